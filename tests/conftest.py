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

#: Test modules that start servers or processes or run long: `make test-fast` (`-m "not slow"`) leaves
#: them out, `make test` runs them. Tests that use the `oxigraph` or `postgres` fixtures are slow too.
SLOW_MODULES = frozenset(
    {
        "accounts/test_cli_users.py",
        "accounts/test_dev_run.py",
        "accounts/test_forwarded_addresses.py",
        "accounts/test_live_server.py",
        "accounts/test_postgres_outage.py",
        "accounts/test_postgres_workers.py",
        "api/test_aas_conformance.py",
        "api/test_cors_browser.py",
        "api/test_openapi_fuzz.py",
        "api/test_pages_browser.py",
        "api/test_passports_live.py",
        "api/test_transport.py",
        "api/test_workers.py",
        "sparql/test_freshness.py",
        "sparql/test_hostile_queries.py",
        "sparql/test_limits.py",
        "store/test_durability.py",
        "store/test_processes.py",
        "hostile/test_corpus.py",
        "resilience/test_backup_restore.py",
        "resilience/test_concurrency_http.py",
        "resilience/test_crash_consistency.py",
        "resilience/test_leak_property.py",
        "test_bench_generate.py",
        "test_bench_smoke.py",
        "test_dev_server.py",
        "test_readme.py",
    }
)
SLOW_FIXTURES = frozenset({"oxigraph", "postgres"})
#: Backend parameters whose runs start a server (the embedded and SQLite runs of the same tests stay fast).
SLOW_BACKENDS = frozenset({"remote", "external", "postgres"})


@pytest.hookimpl(tryfirst=True)  # before pytest orders the tests by their fixtures
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tests `slow` (see SLOW_MODULES). On a pytest-xdist worker, put the serial unit of
    work first (work_units.py), then the slow modules, so the longest units start soonest."""
    root = os.path.dirname(__file__)
    modules = {item: os.path.relpath(str(item.path), root).replace(os.sep, "/") for item in items}
    for item, module in modules.items():
        callspec = getattr(item, "callspec", None)
        params = {v for v in callspec.params.values() if isinstance(v, str)} if callspec else set()
        if (
            module in SLOW_MODULES
            or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
            or SLOW_BACKENDS & params
        ):
            item.add_marker(pytest.mark.slow)
    if hasattr(config, "workerinput"):
        from work_units import SERIAL

        items.sort(key=lambda item: (modules[item] not in SERIAL, modules[item] not in SLOW_MODULES))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """`--dist loadscope` hands out the units of work of work_units.py (a module, or a group of them)."""
    if config.getoption("dist") != "loadscope":
        return None
    from work_units import ModuleScheduling

    return ModuleScheduling(config, log)


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
