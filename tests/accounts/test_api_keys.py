"""Personal API keys: shown once, stored hashed, usable through both headers, revocable at once."""

from __future__ import annotations

from accounts_support import Registry, assert_problem


def test_a_key_is_shown_once_and_works_in_both_headers(registry: Registry) -> None:
    headers = registry.headers("economic_operator")
    created = registry.client.post("/users/me/api-keys", headers=headers, json={"name": "ERP export"})
    assert created.status_code == 201 and created.headers["cache-control"] == "no-store"
    body = created.json()
    key = body["key"]
    assert key.startswith(f"bpr_{body['id']}_") and body["prefix"] == f"bpr_{body['id']}"
    listed = registry.client.get("/users/me/api-keys", headers=headers)
    assert key not in listed.text and [k["id"] for k in listed.json()] == [body["id"]]
    assert "key" not in listed.json()[0]
    for auth in ({"X-API-Key": key}, {"Authorization": f"Bearer {key}"}):
        me = registry.client.get("/users/me", headers=auth)
        assert me.status_code == 200 and me.json()["id"] == registry.users["economic_operator"].id


def test_revoked_wrong_and_doubled_keys_are_refused(registry: Registry) -> None:
    headers = registry.headers("economic_operator")
    body = registry.client.post("/users/me/api-keys", headers=headers, json={"name": "ci"}).json()
    key = body["key"]
    assert_problem(registry.client.get("/users/me", headers={"X-API-Key": key[:-1] + "x"}), 401)
    assert_problem(registry.client.get("/users/me", headers={"X-API-Key": "bpr_0000000000000000_nope"}), 401)
    assert_problem(registry.client.get("/users/me", headers={"X-API-Key": "something else"}), 401)
    assert_problem(registry.client.get("/users/me", headers={**headers, "X-API-Key": key}), 401)
    assert registry.client.delete(f"/users/me/api-keys/{body['id']}", headers=headers).status_code == 204
    assert_problem(registry.client.get("/users/me", headers={"X-API-Key": key}), 401)
    listed = registry.client.get("/users/me/api-keys", headers=headers).json()
    assert listed[0]["revoked_at"] is not None


def test_keys_expire(registry: Registry) -> None:
    headers = registry.headers("economic_operator")
    key = registry.client.post(
        "/users/me/api-keys", headers=headers, json={"name": "short", "expires_in_days": 1}
    ).json()["key"]
    registry.clock.advance(hours=23)
    assert registry.client.get("/users/me", headers={"X-API-Key": key}).status_code == 200
    registry.clock.advance(hours=1)
    assert_problem(registry.client.get("/users/me", headers={"X-API-Key": key}), 401)


def test_a_key_cannot_mint_keys(registry: Registry) -> None:
    headers = registry.headers("commission")
    key = registry.client.post("/users/me/api-keys", headers=headers, json={"name": "ci"}).json()["key"]
    assert_problem(
        registry.client.post("/users/me/api-keys", headers={"X-API-Key": key}, json={"name": "x"}), 403
    )


def test_nobody_revokes_another_users_key_but_an_admin(registry: Registry) -> None:
    owner = registry.headers("commission")
    body = registry.client.post("/users/me/api-keys", headers=owner, json={"name": "ci"}).json()
    other = registry.headers("notified_body")
    assert_problem(registry.client.delete(f"/users/me/api-keys/{body['id']}", headers=other), 404)
    commission_id = registry.users["commission"].id
    assert_problem(
        registry.client.delete(f"/users/{commission_id}/api-keys/{body['id']}", headers=other), 403
    )
    assert registry.client.get("/users/me", headers={"X-API-Key": body["key"]}).status_code == 200
    admin = registry.headers("admin")
    assert_problem(
        registry.client.delete(f"/users/{registry.users['admin'].id}/api-keys/{body['id']}", headers=admin),
        404,
    )
    assert (
        registry.client.delete(f"/users/{commission_id}/api-keys/{body['id']}", headers=admin).status_code
        == 204
    )
    assert_problem(registry.client.get("/users/me", headers={"X-API-Key": body["key"]}), 401)


def test_key_input_is_checked(registry: Registry) -> None:
    headers = registry.headers("commission")
    for bad in [{}, {"name": ""}, {"name": "x" * 101}, {"name": "ok", "expires_in_days": 0},
                {"name": "ok", "expires_in_days": "7"}, {"name": "ok", "roles": ["admin"]}]:  # fmt: skip
        assert_problem(registry.client.post("/users/me/api-keys", headers=headers, json=bad), 422)
    assert_problem(registry.client.delete("/users/me/api-keys/not-a-key-id", headers=headers), 422)
    assert registry.client.get("/users/me/api-keys", headers=headers).json() == []
