"""Helpers for the account tests: a manual clock, a cheap (but real) argon2 hasher, a seeded registry."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2 as httpx
from fastapi.testclient import TestClient

from passport_registry.accounts.backends import open_account_store
from passport_registry.accounts.models import User
from passport_registry.accounts.store import AccountStore
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.security import PasswordHasher
from passport_registry.services.accounts import Accounts

#: Every kind of caller the role tests run as: anonymous, each role, and an account with no role.
CALLERS = ["anonymous", *[r.value for r in Role], "no_role"]
#: The account stores every account test runs on.
BACKENDS = ["sqlite", "postgres"]


@dataclass(frozen=True)
class StoreOpener:
    """One account database of a backend: SQLite in `data_dir`, or PostgreSQL at `accounts_url`.

    Each `open()` is a new store object over the same data, as another process or a restart would open it.
    """

    data_dir: Path | None = None
    accounts_url: str | None = None

    @property
    def backend(self) -> str:
        return "sqlite" if self.accounts_url is None else "postgres"

    def open(self) -> AccountStore:
        return open_account_store(self.data_dir, self.accounts_url, pool_size=4)

    def settings(self) -> Settings:
        """Production settings of a registry whose accounts are these."""
        return production_settings(self.data_dir, accounts_url=self.accounts_url)

    def cli_args(self) -> list[str]:
        """The command-line options that name these accounts."""
        if self.accounts_url is not None:
            return ["--accounts-url", self.accounts_url]
        return ["--data-dir", str(self.data_dir)]


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = datetime(2027, 2, 18, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def sample_user(n: int, *roles: Role, email: str | None = None, active: bool = True) -> User:
    """User number `n` as a store test writes it (fixed times, no organisation)."""
    moment = datetime(2027, 2, 18, 9, 0, tzinfo=UTC)
    return User(
        id=f"user-{n}",
        email=email or f"user{n}@registry.example",
        display_name=f"User {n}",
        organisation=None,
        roles=frozenset(roles),
        active=active,
        created_at=moment,
        updated_at=moment,
    )


def cheap_hasher() -> PasswordHasher:
    """Real argon2id with the smallest parameters, so tests hash in well under a millisecond."""
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@dataclass
class Registry:
    """A running registry and its seeded accounts: `users[caller]`, `passwords[caller]`."""

    client: TestClient
    accounts: Accounts
    clock: ManualClock
    settings: Settings
    users: dict[str, User] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)

    def login(self, email: str, password: str, address: str | None = None) -> httpx.Response:
        """`POST /auth/token`, from `address` when given (the client's IP address as the server sees it)."""
        client = self.client if address is None else self.client_at(address)
        return client.post("/auth/token", data={"username": email, "password": password})

    def client_at(self, address: str) -> TestClient:
        """A client of the same running app whose connections come from `address`."""
        return TestClient(self.client.app, client=(address, 50000))

    def token(self, caller: str) -> str:
        response = self.login(self.users[caller].email, self.passwords[caller])
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def headers(self, caller: str) -> dict[str, str]:
        """Authorization headers for `caller` (a fresh token), or none for anonymous."""
        if caller == "anonymous":
            return {}
        return {"Authorization": f"Bearer {self.token(caller)}"}

    def add_user(self, caller: str, roles: frozenset[Role], organisation: str | None = None) -> User:
        password = secrets.token_urlsafe(12)
        user = self.accounts.users.create_user(
            self.users["admin"],
            email=f"{caller}@registry.example",
            password=password,
            display_name=caller.replace("_", " ").title(),
            organisation=organisation,
            roles=roles,
        )
        self.users[caller], self.passwords[caller] = user, password
        return user


def production_settings(data_dir: Path | None, *, accounts_url: str | None = None) -> Settings:
    return Settings(
        dev=False,
        secret_key=secrets.token_urlsafe(32),
        base_url="http://testserver",
        data_dir=data_dir,
        accounts_url=accounts_url,
    )


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    """The response is an RFC 9457 problem document with `status`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert isinstance(body["type"], str) and body["type"].startswith("https://")
    assert body["title"] and body["detail"]
    return body
