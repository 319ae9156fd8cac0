"""When the account database goes away, requests that need it get 503 problem+json (never a 500, never a
wrong 401), requests that do not still work, and everything works again once it is back."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator

import pytest
from accounts_support import assert_problem, cheap_hasher
from fastapi.testclient import TestClient

from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.services.accounts import Accounts
from postgres_server import PostgresCluster, postgres_bindir

PASSWORD = "outage admin password"


@pytest.fixture
def own_cluster(postgres: PostgresCluster) -> Iterator[PostgresCluster]:
    """A cluster this test may stop (the session's is shared); `postgres` decides skip or fail."""
    bindir = postgres_bindir()
    assert bindir is not None
    cluster = PostgresCluster(bindir)
    yield cluster
    cluster.stop()


def test_an_outage_is_a_503_and_recovery_is_automatic(own_cluster: PostgresCluster) -> None:
    settings = Settings(
        dev=False,
        secret_key=secrets.token_urlsafe(32),
        base_url="http://testserver",
        accounts_url=own_cluster.url(),
        accounts_timeout_s=1,
    )
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    accounts.users.bootstrap_admin(email="admin@registry.example", password=PASSWORD)
    form = {"username": "admin@registry.example", "password": PASSWORD}
    try:
        with TestClient(create_app(settings, accounts=accounts)) as client:
            token = client.post("/auth/token", data=form).json()["access_token"]
            me = {"Authorization": f"Bearer {token}"}
            assert client.get("/users/me", headers=me).status_code == 200

            own_cluster.pause()
            started = time.monotonic()
            for response in (client.post("/auth/token", data=form), client.get("/users/me", headers=me)):
                body = assert_problem(response, 503)
                assert body["type"].endswith("/accounts-unavailable")  # type: ignore[union-attr]
                assert own_cluster.url() not in response.text
            assert time.monotonic() - started < 30  # bounded by the timeout, does not hang
            assert client.get("/health").status_code == 200  # what needs no account still works

            own_cluster.resume()
            deadline = time.monotonic() + 30
            while client.get("/users/me", headers=me).status_code != 200:
                assert time.monotonic() < deadline, "the registry did not reconnect"
                time.sleep(0.2)
            assert client.post("/auth/token", data=form).status_code == 200
    finally:
        accounts.close()
