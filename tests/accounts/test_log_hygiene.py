"""Passwords, key secrets and tokens never appear in a log line, nor in any response but the one that
hands them out."""

from __future__ import annotations

import logging

import pytest
from accounts_support import Registry


def test_no_secret_in_logs_or_responses(registry: Registry, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = registry.client
    secrets_seen: list[str] = []
    responses = []

    def keep(response):  # type: ignore[no-untyped-def]
        responses.append(response)
        return response

    admin_password = registry.passwords["admin"]
    secrets_seen.append(admin_password)
    token = keep(registry.login("admin@registry.example", admin_password)).json()["access_token"]
    admin = {"Authorization": f"Bearer {token}"}
    keep(registry.login("admin@registry.example", admin_password + "-typo"))
    keep(registry.login(admin_password, admin_password))  # the password typed into the username field

    new_password = "the new user's password"
    secrets_seen.append(new_password)
    created = keep(
        client.post(
            "/users",
            headers=admin,
            json={"email": "eo9@registry.example", "display_name": "EO", "password": new_password,
                  "roles": ["economic_operator"], "organisation": "EO-9"},
        )
    )  # fmt: skip
    keep(
        client.post(
            "/users", headers=admin, json={"email": "bad", "display_name": "x", "password": new_password}
        )
    )
    user_token = keep(registry.login("eo9@registry.example", new_password)).json()["access_token"]
    user = {"Authorization": f"Bearer {user_token}"}

    key_response = client.post("/users/me/api-keys", headers=user, json={"name": "robot"})
    key = key_response.json()["key"]
    secrets_seen.append(key.split("_", 2)[2])  # bpr_<id>_<secret>; the secret itself may hold "_"
    keep(client.get("/users/me", headers={"X-API-Key": key}))
    keep(client.get("/users/me", headers={"X-API-Key": key + "x"}))
    keep(client.get("/users/me/api-keys", headers=user))

    changed_password = "changed password, longer"
    secrets_seen.append(changed_password)
    keep(client.patch("/users/me", headers=user, json={"current_password": "wrong " + new_password,
                                                        "new_password": changed_password}))  # fmt: skip
    keep(client.patch("/users/me", headers=user, json={"current_password": new_password,
                                                        "new_password": changed_password}))  # fmt: skip
    keep(client.patch(f"/users/{created.json()['id']}", headers=admin, json={"active": False}))
    keep(client.get("/users/me", headers={"X-API-Key": key}))

    assert caplog.records, "the flow logs something, so the check below means something"
    logged = "\n".join(record.getMessage() for record in caplog.records) + caplog.text
    for secret in [*secrets_seen, token]:
        assert secret not in logged
    for response in responses:
        for secret in secrets_seen:
            assert secret not in response.text
        assert "argon2" not in response.text
