"""A registry on disk with every example passport and one account per role, shared by the SPARQL tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, Triple

from oxigraph_server import OxigraphServer, oxigraph_binary
from passport_registry import rdf
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.security import PasswordHasher
from passport_registry.services.accounts import Accounts

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "passports"
BASE = "http://testserver"


def example_triples(path: Path) -> list[Triple]:
    """An example passport as the API reads it: `rdf.parse` (bundled context, numbers normalised)."""
    return [q.triple for q in rdf.parse(path.read_bytes(), "application/ld+json")]


def passport_iri(path: Path) -> NamedNode:
    return NamedNode(f"{BASE}/passports/{path.stem}")


@dataclass
class World:
    """A running registry with the examples loaded; `headers(caller)` signs requests in as `caller`."""

    client: TestClient
    accounts: Accounts
    users: dict[str, tuple[str, str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, caller: str) -> dict[str, str]:
        if caller == "anonymous":
            return {}
        if caller not in self.tokens:
            email, password = self.users[caller]
            response = self.client.post("/auth/token", data={"username": email, "password": password})
            assert response.status_code == 200, response.text
            self.tokens[caller] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[caller]}"}

    def select(self, query: str, caller: str = "anonymous", **params: str) -> httpx.Response:
        headers = {"Accept": "application/sparql-results+json", **self.headers(caller)}
        return self.client.get("/sparql", params={"query": query, **params}, headers=headers)


BACKENDS = ["embedded", "remote"]


@contextmanager
def store_settings(backend: str, data_dir: Path, **server_options: float) -> Iterator[dict[str, object]]:
    """The settings that put a registry's passports in `backend`: the embedded store in `data_dir`, or
    a remote store on an `oxigraph serve` started for it (and stopped on exit)."""
    if backend == "embedded":
        yield {}
        return
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` command is not installed (`make test` installs it: pip install oxigraph)")
    data_dir.mkdir(parents=True, exist_ok=True)
    server = OxigraphServer(data_dir / "oxigraph", **server_options)
    try:
        yield {"store_url": server.url, "store_write_lock": data_dir / "write.lock"}
    finally:
        server.stop()


@contextmanager
def open_world(data_dir: Path, backend: str = "embedded", **overrides: object) -> Iterator[World]:
    """A registry in production mode over `data_dir` (passports in `backend`), one account per role
    (and one holding two roles)."""
    with store_settings(backend, data_dir) as store, _open_world(data_dir, **store, **overrides) as world:
        yield world


@contextmanager
def _open_world(data_dir: Path, **overrides: object) -> Iterator[World]:
    settings = Settings(
        dev=False,
        secret_key=secrets.token_urlsafe(32),
        base_url=BASE,
        data_dir=data_dir,
        **overrides,  # type: ignore[arg-type]
    )
    accounts = Accounts.open(settings, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    try:
        password = secrets.token_urlsafe(12)
        admin = accounts.users.bootstrap_admin(email="admin@registry.example", password=password)
        with TestClient(create_app(settings, accounts=accounts)) as client:
            world = World(client, accounts)
            world.users["admin"] = ("admin@registry.example", password)
            callers: dict[str, frozenset[Role]] = {
                r.value: frozenset({r}) for r in Role if r is not Role.ADMIN
            }
            callers["operator_and_notified_body"] = frozenset({Role.ECONOMIC_OPERATOR, Role.NOTIFIED_BODY})
            for caller, roles in callers.items():
                password = secrets.token_urlsafe(12)
                email = f"{caller}@registry.example"
                accounts.users.create_user(
                    admin,
                    email=email,
                    password=password,
                    display_name=caller,
                    organisation="EO-0001" if Role.ECONOMIC_OPERATOR in roles else None,
                    roles=roles,
                )
                world.users[caller] = (email, password)
            store = client.app.state.registry.store
            for path in sorted(EXAMPLES.glob("*.json")):
                store.create(passport_iri(path), "economic_operator", example_triples(path))
            yield world
    finally:
        accounts.close()


@pytest.fixture(scope="package", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One registry per backend for every SPARQL test module: they query it and never write to it (a
    test that writes opens its own with `open_world`)."""
    with open_world(tmp_path_factory.mktemp("sparql"), request.param) as w:
        yield w
