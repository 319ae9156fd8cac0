"""Fixtures for the passport API tests: a registry (store on disk in tmp_path) with an account per role
and one economic operator per example operator, served through the app with its lifespan run."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from passports_support import OPERATORS, Api, cheap_hasher

from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts


@contextmanager
def open_api(data_dir: Path, **settings: object) -> Iterator[Api]:
    config = Settings(dev=True, data_dir=data_dir, base_url="http://testserver", **settings)  # type: ignore[arg-type]
    accounts = Accounts.open(config, hasher=cheap_hasher())
    admin = accounts.users.bootstrap_admin(
        email="root@registry.example", password=secrets.token_urlsafe(12), display_name="Admin"
    )
    try:
        with TestClient(create_app(config, accounts=accounts)) as client:
            api = Api(client=client, accounts=accounts)
            api.users["admin"] = admin
            for caller, organisation in OPERATORS.items():
                api.add_user(caller, frozenset({Role.ECONOMIC_OPERATOR}), organisation)
            for role in Role:
                if role is not Role.ECONOMIC_OPERATOR:
                    api.add_user(role.value, frozenset({role}))
            api.add_user("no_role", frozenset())
            yield api
    finally:
        accounts.close()


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """A fresh registry per test."""
    with open_api(tmp_path / "data") as found:
        yield found


@pytest.fixture(scope="module")
def shared_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One registry for a module of read-only tests."""
    with open_api(tmp_path_factory.mktemp("data")) as found:
        yield found
