"""Fixtures for the account tests: a registry in production mode with one user per role, a manual clock
and a cheap argon2 hasher, served through the app with its lifespan run."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from accounts_support import ManualClock, Registry, cheap_hasher, production_settings
from fastapi.testclient import TestClient

from passport_registry.api.app import create_app
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def registry(clock: ManualClock) -> Iterator[Registry]:
    """A fresh registry per test."""
    with open_registry(clock) as reg:
        yield reg


@pytest.fixture(scope="module")
def shared_registry() -> Iterator[Registry]:
    """One registry for a module of tests whose calls do not disturb each other (the role matrix)."""
    with open_registry(ManualClock()) as reg:
        yield reg


@contextmanager
def open_registry(clock: ManualClock) -> Iterator[Registry]:
    """A registry in production mode with one user per role, in memory (durability: the store tests)."""
    settings = production_settings(None)
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
