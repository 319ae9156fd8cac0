"""Shared by the resilience suites: how long to run (bounded in CI, long with `make resilience`), where
the figures go, the benchmark generator's passports, and a registry with an account per kind of caller."""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi.testclient import TestClient

from passport_registry.accounts.models import User
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.security import PasswordHasher
from passport_registry.services.accounts import Accounts

ROOT = Path(__file__).resolve().parents[2]
#: Set by `make resilience`: the long runs. Unset (CI, `make test`): the bounded ones.
LONG = os.environ.get("RESILIENCE_LONG") == "1"
#: A JSON file the suites add their figures to (`make resilience` names bench/results/resilience.json).
RESULTS_ENV = "RESILIENCE_RESULTS"


def scale(bounded: int, long: int, env: str) -> int:
    """`env` when set, else `long` under `make resilience`, else `bounded`."""
    if os.environ.get(env):
        return int(os.environ[env])
    return long if LONG else bounded


def record(section: str, figures: dict[str, Any]) -> None:
    """Add `figures` under `section` to the results file named by $RESILIENCE_RESULTS, if any."""
    target = os.environ.get(RESULTS_ENV)
    if not target:
        return
    path = Path(target)
    found = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    found[section] = figures
    path.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def bench_module(name: str) -> ModuleType:
    """A script of bench/ loaded as a module (bench/ is not a package on the path)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def generated_passports(n: int, seed: int) -> list[dict[str, Any]]:
    """`n` valid, varied plain-JSON passports from bench/generate.py (four categories, three chemistries)."""
    return list(bench_module("generate").passports(n, seed=seed))


def operators() -> dict[str, str]:
    """Caller name -> organisation, one per operator the generator uses."""
    found = {}
    for base in bench_module("generate").templates():
        organisation = base["operatorInformation"]["identifier"]
        found[f"operator-{organisation}"] = organisation
    return found


@dataclass
class Registry:
    """A registry served through its ASGI app; `headers(caller)` signs a request in as `caller`."""

    client: TestClient
    accounts: Accounts
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def add_user(self, caller: str, roles: frozenset[Role], organisation: str | None = None) -> None:
        password = secrets.token_urlsafe(12)
        user = self.accounts.users.create_user(
            self.users["admin"],
            email=f"{caller.lower()}@registry.example",
            password=password,
            display_name=caller,
            organisation=organisation,
            roles=roles,
        )
        self.users[caller] = user
        response = self.client.post("/auth/token", data={"username": user.email, "password": password})
        assert response.status_code == 200, response.text
        self.tokens[caller] = response.json()["access_token"]

    def headers(self, caller: str, **extra: str) -> dict[str, str]:
        found = {} if caller == "anonymous" else {"Authorization": f"Bearer {self.tokens[caller]}"}
        found.update({k.replace("_", "-"): v for k, v in extra.items()})
        return found


@contextmanager
def open_registry(data_dir: Path) -> Iterator[Registry]:
    """A registry on disk with an admin, an account per role, and one economic operator per organisation
    of the generator's passports."""
    config = Settings(dev=True, data_dir=data_dir, base_url="http://testserver")
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    accounts = Accounts.open(config, hasher=hasher)
    admin_password = secrets.token_urlsafe(12)
    admin = accounts.users.bootstrap_admin(
        email="root@registry.example", password=admin_password, display_name="Admin"
    )
    try:
        with TestClient(create_app(config, accounts=accounts)) as client:
            registry = Registry(client=client, accounts=accounts)
            registry.users["admin"] = admin
            token = client.post("/auth/token", data={"username": admin.email, "password": admin_password})
            registry.tokens["admin"] = token.json()["access_token"]
            for caller, organisation in operators().items():
                registry.add_user(caller, frozenset({Role.ECONOMIC_OPERATOR}), organisation)
            for role in Role:
                if role not in (Role.ECONOMIC_OPERATOR, Role.ADMIN):
                    registry.add_user(role.value, frozenset({role}))
            registry.add_user("no_role", frozenset())
            yield registry
    finally:
        accounts.close()
