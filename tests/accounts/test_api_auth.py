"""`POST /auth/token` and how tokens are checked: throttling, expiry, tampering, revocation."""

from __future__ import annotations

import jwt
from accounts_support import Registry, assert_problem


def test_login_returns_a_bearer_token_that_works(registry: Registry) -> None:
    response = registry.login("ADMIN@registry.example", registry.passwords["admin"])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    me = registry.client.get("/users/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["email"] == "admin@registry.example"


def test_wrong_and_unknown_logins_look_alike(registry: Registry) -> None:
    wrong = registry.login("admin@registry.example", "not the password")
    unknown = registry.login("nobody@registry.example", "not the password")
    for response in (wrong, unknown):
        body = assert_problem(response, 401)
        assert body["error"] == "invalid_grant" and response.headers["www-authenticate"] == "Bearer"
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_deactivated_users_cannot_log_in(registry: Registry) -> None:
    registry.client.patch(
        f"/users/{registry.users['commission'].id}", headers=registry.headers("admin"), json={"active": False}
    )
    assert_problem(registry.login("commission@registry.example", registry.passwords["commission"]), 401)


def test_failed_logins_are_throttled_per_account_and_address(registry: Registry) -> None:
    for _ in range(5):
        assert_problem(registry.login("commission@registry.example", "wrong password"), 401)
    throttled = registry.login("commission@registry.example", registry.passwords["commission"])
    assert_problem(throttled, 429)
    assert throttled.headers["retry-after"] == str(15 * 60)
    registry.clock.advance(minutes=15)
    assert registry.login("commission@registry.example", registry.passwords["commission"]).status_code == 200


def test_a_burst_of_typos_locks_out_nobody_else(registry: Registry) -> None:
    # Regression: five failures from one address locked every account behind it (an office NAT) for
    # 15 minutes, and five failures on an account locked its owner out from everywhere.
    office, home = "203.0.113.7", "198.51.100.2"
    for _ in range(5):
        assert_problem(registry.login("commission@registry.example", "wrong password", office), 401)
    assert_problem(
        registry.login("commission@registry.example", registry.passwords["commission"], office), 429
    )
    colleague = registry.login("notified_body@registry.example", registry.passwords["notified_body"], office)
    assert colleague.status_code == 200
    owner_elsewhere = registry.login("commission@registry.example", registry.passwords["commission"], home)
    assert owner_elsewhere.status_code == 200


def test_password_spraying_from_one_address_is_slowed(registry: Registry) -> None:
    spray = "192.0.2.66"
    known = registry.login(
        "legitimate_interest@registry.example", registry.passwords["legitimate_interest"], spray
    )
    assert known.status_code == 200  # this account has signed in from that address before the spray
    for n in range(20):
        assert_problem(registry.login(f"user{n}@registry.example", "Summer2027!", spray), 401)
    sprayed = registry.login("commission@registry.example", "Summer2027!", spray)
    assert_problem(sprayed, 429)
    assert int(sprayed.headers["retry-after"]) == 15 * 60
    # The address is slowed for accounts that never signed in from it; one that did is not locked out.
    again = registry.login(
        "legitimate_interest@registry.example", registry.passwords["legitimate_interest"], spray
    )
    assert again.status_code == 200
    assert registry.login("commission@registry.example", registry.passwords["commission"]).status_code == 200


def test_guessing_one_account_from_many_addresses_is_slowed(registry: Registry) -> None:
    usual = "198.51.100.9"
    own = registry.login("commission@registry.example", registry.passwords["commission"], usual)
    assert own.status_code == 200
    for n in range(20):
        assert_problem(registry.login("commission@registry.example", f"guess {n}", f"10.0.{n}.1"), 401)
    fresh = registry.login("commission@registry.example", registry.passwords["commission"], "10.9.9.9")
    assert_problem(fresh, 429)
    # The owner still signs in from where it signed in before.
    assert (
        registry.login("commission@registry.example", registry.passwords["commission"], usual).status_code
        == 200
    )
    registry.clock.advance(minutes=15)
    later = registry.login("commission@registry.example", registry.passwords["commission"], "10.9.9.9")
    assert later.status_code == 200


def test_success_clears_the_account_count(registry: Registry) -> None:
    for _ in range(4):
        registry.login("commission@registry.example", "wrong password")
    registry.clock.advance(minutes=15)  # the address window passes; the account count would not
    assert registry.login("commission@registry.example", registry.passwords["commission"]).status_code == 200
    assert_problem(registry.login("commission@registry.example", "wrong password"), 401)
    assert registry.login("commission@registry.example", registry.passwords["commission"]).status_code == 200


def test_expired_tokens_are_refused(registry: Registry) -> None:
    headers = registry.headers("commission")
    registry.clock.advance(minutes=59)
    assert registry.client.get("/users/me", headers=headers).status_code == 200
    registry.clock.advance(minutes=1)
    response = registry.client.get("/users/me", headers=headers)
    assert_problem(response, 401)
    assert "invalid_token" in response.headers["www-authenticate"]


def test_tampered_and_foreign_tokens_are_refused(registry: Registry) -> None:
    token = registry.token("commission")
    admin_id = registry.users["admin"].id
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = [
        jwt.encode({**claims, "sub": admin_id}, "a guessed secret of at least 32 chars", algorithm="HS256"),
        jwt.encode({**claims, "sub": admin_id}, key=None, algorithm="none"),
        token[:-3] + ("abc" if not token.endswith("abc") else "xyz"),
        "garbage",
    ]
    for bad in forged:
        assert_problem(registry.client.get("/users/me", headers={"Authorization": f"Bearer {bad}"}), 401)


def test_password_change_ends_earlier_tokens(registry: Registry) -> None:
    old = registry.headers("commission")
    changed = registry.client.patch(
        "/users/me",
        headers=old,
        json={"current_password": registry.passwords["commission"], "new_password": "a brand new password"},
    )
    assert changed.status_code == 200
    assert_problem(registry.client.get("/users/me", headers=old), 401)
    assert_problem(registry.login("commission@registry.example", registry.passwords["commission"]), 401)
    assert registry.login("commission@registry.example", "a brand new password").status_code == 200


def test_token_request_must_be_a_form(registry: Registry) -> None:
    credentials = {"username": "admin@registry.example", "password": registry.passwords["admin"]}
    assert_problem(registry.client.post("/auth/token", json=credentials), 415)
    assert_problem(registry.client.post("/auth/token"), 415)
    assert_problem(registry.client.post("/auth/token", data={"username": "admin@registry.example"}), 422)
    assert_problem(
        registry.client.post("/auth/token", data={**credentials, "grant_type": "client_credentials"}), 422
    )
    assert_problem(registry.client.post("/auth/token", data={**credentials, "password": "x" * 2000}), 422)
    assert_problem(registry.client.post("/auth/token", data={**credentials, "scope": "x" * 20_000}), 413)


def test_openapi_offers_the_authorize_button(registry: Registry) -> None:
    schema = registry.client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["AccessToken"]["flows"]["password"]["tokenUrl"] == "auth/token"
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert {"AccessToken": []} in schema["paths"]["/users/me"]["get"]["security"]
    assert registry.client.get("/docs").status_code == 200
