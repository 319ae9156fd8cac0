"""The two passport store backends the shared suite runs against, behind one small test interface.

`embedded`: `EmbeddedPassportStore` on a data directory. `remote`: `RemotePassportStore` on a real
`oxigraph serve` (emptied first). Each can open a store, list every quad it holds (the raw truth,
bypassing the store's API) and run a raw SPARQL update, so atomicity is checked below the store.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from pyoxigraph import (
    DefaultGraph,
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    Store,
    parse_query_results,
)

from oxigraph_server import OxigraphServer, oxigraph_binary
from passport_registry.access import GroupResolver
from passport_registry.store import EmbeddedPassportStore, PassportStore, RemotePassportStore
from passport_registry.store.layout import GRAPH_BASE
from passport_registry.store.sparql_http import Endpoints, SparqlHttp
from passport_registry.store.write_lock import FileWriteLock

from .helpers import Clock

#: Set to a SPARQL 1.1 server's query endpoint (a throw-away one: its test graphs are dropped) to run the
#: shared suite on it too, as backend `external`, WITHOUT the start-up checks, to see which guarantees
#: hold there (docs/deployment.md records Virtuoso's).
EXTERNAL_URL = os.environ.get("PASSPORT_REGISTRY_TEST_SPARQL_URL")
BACKENDS = ["embedded", "remote", *(["external"] if EXTERNAL_URL else [])]


class Backend:
    name: str

    def open(self, resolver: GroupResolver, clock: Clock | None = None) -> PassportStore:
        raise NotImplementedError

    def quads(self) -> set[Quad]:
        """Every quad stored (for the embedded backend, every store on the directory must be closed)."""
        raise NotImplementedError

    def raw_update(self, text: str) -> None:
        raise NotImplementedError

    def count(self, store: PassportStore) -> int:
        """How many quads `store` (open, of this backend) holds."""
        raise NotImplementedError


class EmbeddedBackend(Backend):
    name = "embedded"

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir

    def open(self, resolver: GroupResolver, clock: Clock | None = None) -> PassportStore:
        if clock is None:
            return EmbeddedPassportStore(resolver, self.data_dir)
        return EmbeddedPassportStore(resolver, self.data_dir, clock=clock)

    def quads(self) -> set[Quad]:
        raw = Store(str(self.data_dir))
        try:
            return set(raw)
        finally:
            del raw

    def raw_update(self, text: str) -> None:
        raw = Store(str(self.data_dir))
        raw.update(text)
        del raw

    def count(self, store: PassportStore) -> int:
        assert isinstance(store, EmbeddedPassportStore)
        return len(store._db)


class RemoteBackend(Backend):
    name = "remote"

    def __init__(self, server: OxigraphServer, lock_path: Path) -> None:
        self.server = server
        self.lock_path = lock_path
        server.reset()

    def open(self, resolver: GroupResolver, clock: Clock | None = None) -> PassportStore:
        # A small result limit keeps the start-up probe of result caps (limit + 1 rows) quick.
        options = {"lock_path": self.lock_path, "max_results": 1000}
        if clock is None:
            return RemotePassportStore.connect(resolver, self.server.url, **options)  # type: ignore[arg-type]
        return RemotePassportStore.connect(resolver, self.server.url, clock=clock, **options)  # type: ignore[arg-type]

    def quads(self) -> set[Quad]:
        query = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        response = httpx.post(
            self.server.url + "/query",
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        response.raise_for_status()
        solutions = parse_query_results(response.content, QueryResultsFormat.JSON)
        assert isinstance(solutions, QuerySolutions)
        found = set()
        for s in solutions:
            graph = s["g"]
            assert graph is None or isinstance(graph, NamedNode)
            found.add(Quad(s["s"], s["p"], s["o"], graph if graph is not None else DefaultGraph()))  # type: ignore[arg-type]
        return found

    def raw_update(self, text: str) -> None:
        self.server.update(text)

    def count(self, store: PassportStore) -> int:
        return len(self.quads())


class ExternalBackend(Backend):
    """The store on `EXTERNAL_URL`, opened without `server_checks`; every graph the tests may have
    written (ours, and the test passports' own) is dropped first."""

    name = "external"

    def __init__(self, url: str, lock_path: Path) -> None:
        self.http = SparqlHttp(Endpoints.from_url(url))
        self.lock_path = lock_path
        rows = self.http.rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        ours = [r["g"] for r in rows if r["g"].value.startswith((GRAPH_BASE, "http://testserver/"))]
        for graph in ours:
            self.http.update(f"DROP SILENT GRAPH {graph}")

    def open(self, resolver: GroupResolver, clock: Clock | None = None) -> PassportStore:
        http = SparqlHttp(self.http.endpoints)
        lock = FileWriteLock(self.lock_path)
        if clock is None:
            return RemotePassportStore(resolver, http, lock)
        return RemotePassportStore(resolver, http, lock, clock=clock)

    def quads(self) -> set[Quad]:
        rows = self.http.rows("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {
            Quad(r["s"], r["p"], r["o"], r["g"])
            for r in rows
            if r["g"].value.startswith((GRAPH_BASE, "http://testserver/"))
        }

    def raw_update(self, text: str) -> None:
        self.http.update(text)

    def count(self, store: PassportStore) -> int:
        return len(self.quads())


def make_backend(name: str, tmp_path: Path, server: OxigraphServer | None) -> Backend:
    if name == "embedded":
        return EmbeddedBackend(tmp_path / "store")
    if name == "external":
        assert EXTERNAL_URL is not None
        return ExternalBackend(EXTERNAL_URL, tmp_path / "write.lock")
    assert server is not None
    return RemoteBackend(server, tmp_path / "write.lock")


@contextmanager
def own_backend(name: str, tmp_path: Path) -> Iterator[Backend]:
    """A backend of its own (for module-scoped fixtures): the remote one gets a server nobody resets."""
    if name == "embedded":
        yield EmbeddedBackend(tmp_path / "store")
        return
    if name == "external":
        yield make_backend(name, tmp_path, None)
        return
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` command is not installed (`make test` installs it: pip install oxigraph)")
    server = OxigraphServer(tmp_path / "oxigraph")
    try:
        yield RemoteBackend(server, tmp_path / "write.lock")
    finally:
        server.stop()
