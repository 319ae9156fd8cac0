"""Shared fixtures: a real app over real HTTP (httpx ASGI transport with the lifespan run)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from oxigraph_server import OxigraphServer, oxigraph_binary
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from postgres_server import REQUIRE_ENV, PostgresCluster, postgres_bindir


@pytest.fixture
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(dev=True, data_dir=tmp_path / "data", base_url="http://testserver")


@pytest.fixture
def client(settings: Settings) -> Iterator[httpx.Client]:
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One PostgreSQL cluster of our own for the session (each test takes a fresh schema of it)."""
    bindir = postgres_bindir()
    if bindir is None:
        reason = "PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run installs it)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason}, and {REQUIRE_ENV}=1 requires it")
        pytest.skip(reason)
    cluster = PostgresCluster(bindir)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """One `oxigraph serve` for the session (tests that use it reset it first)."""
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` command is not installed (`make test` installs it: pip install oxigraph)")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db")
    yield server
    server.stop()
