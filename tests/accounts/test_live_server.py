"""End to end over a real socket: a live uvicorn, a real HTTP client, sign-in to deactivation."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from accounts_support import cheap_hasher, production_settings

from live_app import live_app
from passport_registry.api.app import create_app
from passport_registry.services.accounts import Accounts

PASSWORD = "live admin password"


@pytest.fixture
def live_url() -> Iterator[str]:
    settings = production_settings(None)
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    accounts.users.bootstrap_admin(email="admin@registry.example", password=PASSWORD)
    try:
        with live_app(create_app(settings, accounts=accounts), log_level="warning") as url:
            yield url
    finally:
        accounts.close()


def test_sign_in_create_use_and_deactivate(live_url: str) -> None:
    with httpx.Client(base_url=live_url) as client:
        token = client.post("/auth/token", data={"username": "admin@registry.example", "password": PASSWORD})
        admin = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = client.post(
            "/users",
            headers=admin,
            json={"email": "li@registry.example", "display_name": "Recycler", "password": "recycles a lot",
                  "roles": ["legitimate_interest"]},
        )  # fmt: skip
        assert created.status_code == 201
        signed_in = client.post(
            "/auth/token", data={"username": "li@registry.example", "password": "recycles a lot"}
        )
        user = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
        assert client.get("/users/me", headers=user).json()["roles"] == ["legitimate_interest"]
        refused = client.get("/users", headers=user)
        assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
        client.patch(f"/users/{created.json()['id']}", headers=admin, json={"active": False})
        assert client.get("/users/me", headers=user).status_code == 401
