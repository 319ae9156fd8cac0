"""Fixtures for the passport API tests: a registry with an account per role and one economic operator
per example operator, served through the app with its lifespan run; its passports in the embedded store
(on disk in tmp_path) or in the remote store (a real `oxigraph serve`), so each test runs on both."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from oxigraph_server import OxigraphServer, oxigraph_binary
from passports_support import Api, open_api

BACKENDS = ["embedded", "remote"]


def _store_settings(backend: str, tmp: Path, server: OxigraphServer | None) -> dict[str, object]:
    if backend == "embedded":
        return {}
    assert server is not None
    # A small SPARQL result limit keeps the start-up probe of result caps (limit + 1 rows) quick.
    return {"store_url": server.url, "store_write_lock": tmp / "write.lock", "sparql_max_results": 1000}


@pytest.fixture(params=BACKENDS)
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """A fresh registry per test."""
    server = None
    if request.param == "remote":
        server = request.getfixturevalue("oxigraph")
        server.reset()
    with open_api(tmp_path / "data", **_store_settings(request.param, tmp_path, server)) as found:
        yield found


@pytest.fixture(scope="module", params=BACKENDS)
def shared_api(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One registry for a module of read-only tests (the remote one on a server of its own)."""
    tmp = tmp_path_factory.mktemp("data")
    with ExitStack() as stack:
        server = None
        if request.param == "remote":
            if oxigraph_binary() is None:
                pytest.skip("the `oxigraph` command is not installed (`make test` installs it)")
            server = OxigraphServer(tmp / "oxigraph")
            stack.callback(server.stop)
        yield stack.enter_context(open_api(tmp, **_store_settings(request.param, tmp, server)))


@pytest.fixture(scope="session")
def ebike_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One registry (embedded store) holding one passport, the e-bike maker's, shared by the whole run:
    for tests that only read it or send requests the registry refuses (CORS, parameters, method
    semantics). A test that changes it must take `api` instead."""
    with open_api(tmp_path_factory.mktemp("ebike")) as found:
        found.create("lmt-ebike-nmc.json", "ebike")
        yield found


@pytest.fixture(scope="session")
def ebike_passport_id(ebike_api: Api) -> str:
    """The id of the passport in `ebike_api`."""
    listed = ebike_api.client.get("/passports", headers=ebike_api.headers("ebike")).json()["items"]
    found: str = listed[0]["id"]
    return found


@pytest.fixture(scope="session")
def ebike_passport(ebike_passport_id: str) -> str:
    """The path of the passport in `ebike_api`."""
    return "/passports/" + ebike_passport_id
