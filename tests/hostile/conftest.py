"""The registry the hostile corpus attacks: a live uvicorn over an on-disk store, two operators with a
passport each, an admin, and a local TCP listener that records any connection the registry opens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi import FastAPI

from live_app import live_app
from loopback import Listener
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.security import PasswordHasher
from passport_registry.services.accounts import Accounts

from .payloads import EXAMPLES, OWN_EXAMPLE

BASE = "http://registry.test"
#: How long a slow body may take (the registry's `body_timeout_s` in the corpus).
BODY_TIMEOUT_S = 2.0
SPARQL_TIMEOUT_S = 3.0
#: The operators: the caller of most cases, and the one whose passport they aim at.
OPERATOR, OTHER_OPERATOR = "DE2847193650", "DE1907735512"
OTHER_EXAMPLE = "industrial-lead-acid-traction.json"


@dataclass
class Target:
    """The running registry: where it listens, who may call it, and what its state is."""

    url: str
    app: FastAPI
    accounts: Accounts
    listener: Listener
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    def headers(self, caller: str) -> dict[str, str]:
        return {} if caller == "anonymous" else {"Authorization": f"Bearer {self.tokens[caller]}"}

    def fill(self, body: bytes) -> bytes:
        """`body` with the placeholders of `payloads` replaced."""
        return (
            body.replace(b"@@LISTENER@@", self.listener.url.encode())
            .replace(b"@@OTHER@@", f"{BASE}/passports/{self.ids['other']}".encode())
            .replace(b"@@OWN@@", f"{BASE}/passports/{self.ids['own']}".encode())
            .replace(b"@@PREFIX@@", f"{BASE}/passports/".encode())
        )

    def path(self, template: str) -> str:
        path = template.replace("@@LISTENER@@", self.listener.url)
        for name, value in self.ids.items():
            path = path.replace("{" + name + "}", value)
        return path

    def state(self) -> tuple[int, str]:
        """(number of quads, digest) of everything stored: every quad of every graph of the passport
        store (graphs no API shows included), and every account and API key."""
        digest = hashlib.sha256()
        # The store's own Oxigraph store, read whole: the public interface shows only what some caller
        # may see, and an injected quad could sit where no caller looks.
        store = self.app.state.registry.store._store
        quads = sorted(str(q) for q in store)
        for quad in quads:
            digest.update(quad.encode() + b"\n")
        page = self.accounts.store.list_users(limit=1000)
        for user in page.users:
            digest.update(repr(user).encode())
            for key in self.accounts.store.list_api_keys(user.id):
                digest.update(repr(key).encode())
        return len(quads) + len(page.users), digest.hexdigest()


@pytest.fixture(scope="package")
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture(scope="package")
def target(tmp_path_factory: pytest.TempPathFactory, listener: Listener) -> Iterator[Target]:
    data_dir: Path = tmp_path_factory.mktemp("hostile")
    settings = Settings(
        dev=True,
        data_dir=data_dir,
        base_url=BASE,
        body_timeout_s=BODY_TIMEOUT_S,
        sparql_timeout_s=SPARQL_TIMEOUT_S,
    )
    accounts = Accounts.open(settings, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    passwords = {name: secrets.token_urlsafe(12) for name in ("admin", "operator", "other")}
    admin = accounts.users.bootstrap_admin(email="admin@registry.example", password=passwords["admin"])
    for name, organisation in (("operator", OPERATOR), ("other", OTHER_OPERATOR)):
        accounts.users.create_user(
            admin,
            email=f"{name}@registry.example",
            password=passwords[name],
            display_name=name,
            organisation=organisation,
            roles=frozenset({Role.ECONOMIC_OPERATOR}),
        )
    app = create_app(settings, accounts=accounts)
    try:
        with live_app(app) as url, httpx.Client(base_url=url, timeout=30) as client:
            found = Target(url, app, accounts, listener)
            for name, password in passwords.items():
                login = client.post(
                    "/auth/token", data={"username": f"{name}@registry.example", "password": password}
                )
                assert login.status_code == 200, login.text
                found.tokens[name] = login.json()["access_token"]
            for caller, example, key in (("operator", OWN_EXAMPLE, "own"), ("other", OTHER_EXAMPLE, "other")):
                created = client.post(
                    "/passports",
                    content=(EXAMPLES / example).read_bytes(),
                    headers={**found.headers(caller), "Content-Type": "application/ld+json"},
                )
                assert created.status_code == 201, created.text
                found.ids[key] = created.json()["id"]
            found.ids["admin"] = admin.id
            yield found
    finally:
        accounts.close()
