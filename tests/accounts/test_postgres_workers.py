"""Two registry processes over one PostgreSQL account database, as two workers or two hosts behind a load
balancer: an account created, changed or deactivated through one is what the other sees on the very next
request, and failed logins through both count against one throttle."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import ExitStack

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from dev_server import serve_process
from passport_registry.cli import app as cli
from postgres_server import PostgresCluster

SECRET = "one secret shared by every worker, long enough"
ADMIN = ("admin@registry.example", "first admin's password")
USER = ("li@registry.example", "recycles a lot, safely")


@pytest.fixture(scope="module")
def workers(postgres: PostgresCluster) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    url = postgres.fresh_url()
    created = CliRunner().invoke(
        cli,
        ["users", "create-admin", "--email", ADMIN[0], "--password-stdin"],
        input=ADMIN[1] + "\n",
        env={"PASSPORT_REGISTRY_ACCOUNTS_URL": url},
    )
    assert created.exit_code == 0, created.output
    env = {k: v for k, v in os.environ.items() if not k.startswith("PASSPORT_REGISTRY_")}
    env |= {"PASSPORT_REGISTRY_SECRET_KEY": SECRET, "PASSPORT_REGISTRY_ACCOUNTS_URL": url}
    with ExitStack() as stack:
        # No data directory: each process has a passport store of its own; only the accounts are shared.
        urls = [stack.enter_context(serve_process(env=env))[0] for _ in range(2)]
        clients = [stack.enter_context(httpx.Client(base_url=u, timeout=60)) for u in urls]
        yield clients[0], clients[1]


def _token(client: httpx.Client, email: str, password: str) -> dict[str, str]:
    response = client.post("/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_what_one_worker_writes_the_other_sees_at_once(workers: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = workers
    admin = _token(a, *ADMIN)
    assert b.get("/users/me", headers=admin).json()["email"] == ADMIN[0]

    created = a.post(
        "/users",
        headers=admin,
        json={
            "email": USER[0],
            "display_name": "Recycler",
            "password": USER[1],
            "roles": ["legitimate_interest"],
        },
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    user = _token(b, *USER)  # created through A, signs in through B
    assert a.get("/users/me", headers=user).json()["roles"] == ["legitimate_interest"]

    changed = b.patch(f"/users/{user_id}", headers=admin, json={"roles": ["notified_body"]})
    assert changed.status_code == 200, changed.text
    assert a.get("/users/me", headers=user).json()["roles"] == ["notified_body"]

    assert b.patch(f"/users/{user_id}", headers=admin, json={"active": False}).status_code == 200
    assert a.get("/users/me", headers=user).status_code == 401  # deactivated through B, refused by A
    refused = a.post("/auth/token", data={"username": USER[0], "password": USER[1]})
    assert refused.status_code == 401


def test_failed_logins_through_both_workers_count_together(
    workers: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = workers
    statuses: list[int] = []

    def fail(client: httpx.Client) -> None:
        response = client.post("/auth/token", data={"username": ADMIN[0], "password": "a wrong guess"})
        statuses.append(response.status_code)

    # Five failures of one account from one address (the pair's limit), sent at once: three through A,
    # two through B. Neither worker alone saw five; only a shared, concurrency-safe count blocks.
    threads = [threading.Thread(target=fail, args=(client,)) for client in (a, b, a, b, a)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [401] * 5
    for client in (a, b):
        blocked = client.post("/auth/token", data={"username": ADMIN[0], "password": ADMIN[1]})
        assert blocked.status_code == 429, blocked.text
        assert blocked.headers["content-type"] == "application/problem+json"
