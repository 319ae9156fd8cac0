"""End to end over a real socket: a live uvicorn, a real HTTP client, sign-in to deactivation."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx2 as httpx
import pytest
import uvicorn
from accounts_support import cheap_hasher, production_settings

from passport_registry.api.app import create_app
from passport_registry.services.accounts import Accounts

PASSWORD = "live admin password"


@pytest.fixture
def live_url() -> Iterator[str]:
    settings = production_settings(None)
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    accounts.users.bootstrap_admin(email="admin@registry.example", password=PASSWORD)
    config = uvicorn.Config(
        create_app(settings, accounts=accounts), host="127.0.0.1", port=0, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
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
