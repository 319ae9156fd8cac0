"""`/users`: one's own account and administration: creation, paging, self-service limits, deactivation."""

from __future__ import annotations

from accounts_support import Registry, assert_problem


def _user_ids(registry: Registry, **params: str) -> list[str]:
    ids: list[str] = []
    cursor = None
    headers = registry.headers("admin")
    while True:
        query = {**params, "limit": "2", **({"cursor": cursor} if cursor else {})}
        page = registry.client.get("/users", headers=headers, params=query).json()
        ids += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


def test_admin_creates_a_user_who_can_sign_in(registry: Registry) -> None:
    response = registry.client.post(
        "/users",
        headers=registry.headers("admin"),
        json={
            "email": "Repairer@Workshop.example",
            "display_name": "  A repairer  ",
            "password": "repairs batteries daily",
            "roles": ["legitimate_interest", "legitimate_interest"],
        },
    )
    assert response.status_code == 201
    created = response.json()
    assert response.headers["location"] == f"/users/{created['id']}"
    assert created["display_name"] == "A repairer" and created["roles"] == ["legitimate_interest"]
    assert created["active"] is True and created["created_at"] == created["updated_at"]
    assert set(created) == {
        "id", "email", "display_name", "organisation", "roles", "active", "created_at", "updated_at",
    }  # fmt: skip
    assert registry.login("repairer@workshop.example", "repairs batteries daily").status_code == 200
    read = registry.client.get(f"/users/{created['id']}", headers=registry.headers("admin"))
    assert read.json() == created


def test_emails_are_unique_in_any_case(registry: Registry) -> None:
    before = _user_ids(registry)
    response = registry.client.post(
        "/users",
        headers=registry.headers("admin"),
        json={"email": "COMMISSION@registry.example", "display_name": "Twin", "password": "x" * 12},
    )
    assert_problem(response, 409)
    assert _user_ids(registry) == before


def test_an_economic_operator_needs_an_organisation(registry: Registry) -> None:
    admin = registry.headers("admin")
    body = {
        "email": "eo2@registry.example",
        "display_name": "EO",
        "password": "x" * 12,
        "roles": ["economic_operator"],
    }
    assert_problem(registry.client.post("/users", headers=admin, json=body), 422)
    created = registry.client.post("/users", headers=admin, json={**body, "organisation": "EO-0002"})
    assert created.status_code == 201 and created.json()["organisation"] == "EO-0002"
    target = f"/users/{created.json()['id']}"
    assert_problem(registry.client.patch(target, headers=admin, json={"organisation": None}), 422)
    assert registry.client.get(target, headers=admin).json()["organisation"] == "EO-0002"


def test_listing_pages_and_filters(registry: Registry) -> None:
    everyone = _user_ids(registry)
    assert len(everyone) == 7 and len(set(everyone)) == 7
    assert everyone[0] == registry.users["admin"].id
    assert _user_ids(registry, role="commission") == [registry.users["commission"].id]
    registry.client.patch(
        f"/users/{registry.users['no_role'].id}", headers=registry.headers("admin"), json={"active": False}
    )
    assert _user_ids(registry, active="false") == [registry.users["no_role"].id]
    admin = registry.headers("admin")
    assert_problem(registry.client.get("/users", headers=admin, params={"role": "king"}), 422)
    assert_problem(registry.client.get("/users", headers=admin, params={"cursor": "forged"}), 400)
    assert_problem(registry.client.get("/users", headers=admin, params={"limit": "0"}), 422)
    assert_problem(registry.client.get("/users/no-such-user", headers=admin), 404)


def test_self_service_changes_name_and_email_with_the_password(registry: Registry) -> None:
    headers = registry.headers("notified_body")
    renamed = registry.client.patch("/users/me", headers=headers, json={"display_name": "Notified Body 0001"})
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Notified Body 0001"
    assert_problem(
        registry.client.patch("/users/me", headers=headers, json={"email": "nb@registry.example"}), 403
    )
    assert_problem(
        registry.client.patch(
            "/users/me",
            headers=headers,
            json={"email": "nb@registry.example", "current_password": "wrong guess"},
        ),
        403,
    )
    assert_problem(
        registry.client.patch("/users/me", headers=headers, json={"new_password": "a brand new password"}),
        403,
    )
    moved = registry.client.patch(
        "/users/me",
        headers=headers,
        json={"email": "nb@registry.example", "current_password": registry.passwords["notified_body"]},
    )
    assert moved.status_code == 200 and moved.json()["email"] == "nb@registry.example"
    assert registry.login("nb@registry.example", registry.passwords["notified_body"]).status_code == 200
    taken = {"email": "Commission@registry.example", "current_password": registry.passwords["notified_body"]}
    assert_problem(registry.client.patch("/users/me", headers=headers, json=taken), 409)


def test_wrong_current_passwords_are_throttled(registry: Registry) -> None:
    headers = registry.headers("notified_body")
    attempt = {"new_password": "a brand new password", "current_password": "guess"}
    for _ in range(5):
        assert_problem(registry.client.patch("/users/me", headers=headers, json=attempt), 403)
    right = {**attempt, "current_password": registry.passwords["notified_body"]}
    assert_problem(registry.client.patch("/users/me", headers=headers, json=right), 429)


def test_nobody_grants_itself_a_role(registry: Registry) -> None:
    for caller in ["economic_operator", "commission", "no_role"]:
        headers = registry.headers(caller)
        own = registry.users[caller]
        assert_problem(registry.client.patch("/users/me", headers=headers, json={"roles": ["admin"]}), 422)
        assert_problem(
            registry.client.patch("/users/me", headers=headers, json={"organisation": "EO-9"}), 422
        )
        assert_problem(registry.client.patch("/users/me", headers=headers, json={"active": True}), 422)
        assert_problem(
            registry.client.patch(f"/users/{own.id}", headers=headers, json={"roles": ["admin"]}), 403
        )
        me = registry.client.get("/users/me", headers=headers).json()
        assert me["roles"] == sorted(r.value for r in own.roles) and me["organisation"] == own.organisation


def test_admin_changes_roles_and_they_apply_at_once(registry: Registry) -> None:
    headers = registry.headers("legitimate_interest")
    assert_problem(registry.client.get("/users", headers=headers), 403)
    target = f"/users/{registry.users['legitimate_interest'].id}"
    granted = registry.client.patch(
        target, headers=registry.headers("admin"), json={"roles": ["admin", "legitimate_interest"]}
    )
    assert granted.json()["roles"] == ["admin", "legitimate_interest"]
    assert registry.client.get("/users", headers=headers).status_code == 200  # same token, new role
    registry.client.patch(target, headers=registry.headers("admin"), json={"roles": []})
    assert_problem(registry.client.get("/users", headers=headers), 403)


def test_deactivation_stops_tokens_and_keys_at_once(registry: Registry) -> None:
    headers = registry.headers("market_surveillance")
    key = registry.client.post("/users/me/api-keys", headers=headers, json={"name": "robot"}).json()["key"]
    assert registry.client.get("/users/me", headers={"X-API-Key": key}).status_code == 200
    target = f"/users/{registry.users['market_surveillance'].id}"
    admin = registry.headers("admin")
    deactivated = registry.client.patch(target, headers=admin, json={"active": False})
    assert deactivated.status_code == 200 and deactivated.json()["active"] is False
    assert_problem(registry.client.get("/users/me", headers=headers), 401)
    assert_problem(registry.client.get("/users/me", headers={"X-API-Key": key}), 401)
    assert_problem(registry.client.get("/users/me", headers={"Authorization": f"Bearer {key}"}), 401)
    keys = registry.client.get(f"{target}/api-keys", headers=admin).json()
    assert [k["revoked_at"] is not None for k in keys] == [True]
    # Coming back does not revive the old token or key.
    assert registry.client.patch(target, headers=admin, json={"active": True}).json()["active"] is True
    assert_problem(registry.client.get("/users/me", headers=headers), 401)
    assert_problem(registry.client.get("/users/me", headers={"X-API-Key": key}), 401)
    assert (
        registry.login(
            "market_surveillance@registry.example", registry.passwords["market_surveillance"]
        ).status_code
        == 200
    )


def test_admin_resets_a_password(registry: Registry) -> None:
    old = registry.headers("commission")
    target = f"/users/{registry.users['commission'].id}"
    reset = registry.client.patch(
        target, headers=registry.headers("admin"), json={"password": "reset by the admin"}
    )
    assert reset.status_code == 200
    assert_problem(registry.client.get("/users/me", headers=old), 401)
    assert registry.login("commission@registry.example", "reset by the admin").status_code == 200


def test_the_last_admin_stays_an_admin(registry: Registry) -> None:
    admin = registry.headers("admin")
    me = f"/users/{registry.users['admin'].id}"
    assert_problem(registry.client.patch(me, headers=admin, json={"active": False}), 409)
    assert_problem(registry.client.patch(me, headers=admin, json={"roles": ["commission"]}), 409)
    assert registry.client.get("/users/me", headers=admin).json()["roles"] == ["admin"]


def test_users_are_never_deleted(registry: Registry) -> None:
    target = f"/users/{registry.users['commission'].id}"
    assert_problem(registry.client.delete(target, headers=registry.headers("admin")), 405)
    assert registry.client.get(target, headers=registry.headers("admin")).status_code == 200


def test_an_admin_changes_its_own_credentials_only_with_its_password(registry: Registry) -> None:
    # Regression: `PATCH /users/{own id}` changed an admin's email and password with a token alone, so a
    # stolen admin token took the account over; `PATCH /users/me` already asked for the password.
    headers = registry.headers("admin")
    me = f"/users/{registry.users['admin'].id}"
    for change in ({"email": "thief@elsewhere.example"}, {"password": "chosen by the thief"}):
        assert_problem(registry.client.patch(me, headers=headers, json=change), 403)
        wrong = {**change, "current_password": "a wrong guess"}
        assert_problem(registry.client.patch(me, headers=headers, json=wrong), 403)
    assert_problem(registry.login("thief@elsewhere.example", registry.passwords["admin"]), 401)
    assert registry.login("admin@registry.example", "chosen by the thief").status_code == 401
    assert registry.client.get("/users/me", headers=headers).json()["email"] == "admin@registry.example"
    # With the current password the change goes through, as on /users/me; other fields never needed it.
    renamed = registry.client.patch(me, headers=headers, json={"display_name": "Root"})
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Root"
    moved = registry.client.patch(
        me,
        headers=headers,
        json={"email": "root@registry.example", "current_password": registry.passwords["admin"]},
    )
    assert moved.status_code == 200 and moved.json()["email"] == "root@registry.example"
    assert registry.login("root@registry.example", registry.passwords["admin"]).status_code == 200
