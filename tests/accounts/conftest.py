"""Fixtures for the account tests: a registry in production mode with one user per role, a manual clock
and a cheap argon2 hasher, served through the app with its lifespan run.

Every test that uses `registry`, `shared_registry` or `account_backend` runs on both account stores:
`sqlite` (the embedded default) and `postgres` (a real PostgreSQL, see `postgres_server.py`)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from accounts_support import BACKENDS, ManualClock, Registry, StoreOpener, cheap_hasher, production_settings
from fastapi.testclient import TestClient

from passport_registry.api.app import create_app
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="module", params=BACKENDS)
def account_backend(request: pytest.FixtureRequest) -> str:
    """Which account store the test runs on (module scope, so `shared_registry` can follow it)."""
    if request.param == "postgres":
        request.getfixturevalue("postgres")  # skips (or fails in CI) when PostgreSQL is absent
    return str(request.param)


@pytest.fixture
def account_stores(account_backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> StoreOpener:
    """Opens stores over one fresh, empty account database of the test's backend."""
    if account_backend == "postgres":
        return StoreOpener(accounts_url=request.getfixturevalue("postgres").fresh_url())
    return StoreOpener(data_dir=tmp_path)


@pytest.fixture
def registry(clock: ManualClock, account_backend: str, request: pytest.FixtureRequest) -> Iterator[Registry]:
    """A fresh registry per test."""
    with open_registry(clock, _accounts_url(account_backend, request)) as reg:
        yield reg


@pytest.fixture(scope="module")
def shared_registry(account_backend: str, request: pytest.FixtureRequest) -> Iterator[Registry]:
    """One registry for a module of tests whose calls do not disturb each other (the role matrix)."""
    with open_registry(ManualClock(), _accounts_url(account_backend, request)) as reg:
        yield reg


def _accounts_url(backend: str, request: pytest.FixtureRequest) -> str | None:
    """None for SQLite (in memory: durability is the store tests' subject), else a fresh database."""
    if backend == "postgres":
        url: str = request.getfixturevalue("postgres").fresh_url()
        return url
    return None


@contextmanager
def open_registry(clock: ManualClock, accounts_url: str | None = None) -> Iterator[Registry]:
    """A registry in production mode with one user per role, its accounts at `accounts_url` (PostgreSQL)
    or in memory."""
    settings = production_settings(None, accounts_url=accounts_url)
    accounts = Accounts.open(settings, clock=clock, hasher=cheap_hasher())
    admin_password = secrets.token_urlsafe(12)
    admin = accounts.users.bootstrap_admin(
        email="admin@registry.example", password=admin_password, display_name="Admin"
    )
    try:
        with TestClient(create_app(settings, accounts=accounts)) as client:
            reg = Registry(client=client, accounts=accounts, clock=clock, settings=settings)
            reg.users["admin"], reg.passwords["admin"] = admin, admin_password
            for role in Role:
                if role is not Role.ADMIN:
                    organisation = "EO-0001" if role is Role.ECONOMIC_OPERATOR else None
                    reg.add_user(role.value, frozenset({role}), organisation)
            reg.add_user("no_role", frozenset())
            yield reg
    finally:
        accounts.close()
