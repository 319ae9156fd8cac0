"""No query makes the registry open a network connection (issue: SSRF through SERVICE).

Two lines of defence, each shown to hold on its own, against a local TCP listener that must never be
contacted: the parse of the query refuses SERVICE wherever it hides (first line), and the threads that
run queries cannot open network sockets at all (second line: `store/sandbox.py`), which the tests show
by running queries with the first line switched off. Both on an on-disk store (worker processes) and
an in-memory store (query threads of the server process).
"""

from __future__ import annotations

import contextlib
import secrets
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from loopback import Listener
from passport_registry import resources
from passport_registry.access import GroupResolver
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.errors import BadRequest, RegistryError
from passport_registry.sparql.dataset import DatasetRequest
from passport_registry.sparql.parser import QueryShape
from passport_registry.store import EmbeddedPassportStore, QueryRequest, sandbox
from passport_registry.store.query import Inspector

from .conftest import World

SELECT_JSON = "application/sparql-results+json"
_RESULTS = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"leaked"}}]}}'


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener("application/sparql-results+json", _RESULTS)
    yield found
    found.close()


#: SERVICE calls a text scan misses; `{url}` is the listener. Each parses for Oxigraph (checked below).
HIDDEN = {
    "escaped hash in a local name": "PREFIX ex: <http://x/> SELECT * WHERE {{ {{ ?s ex:a\\#b ?o }} "
    "UNION {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    "escaped quote in a local name": "PREFIX ex: <http://x/> SELECT * WHERE {{ {{ ?s ex:a\\' ?o }} "
    "UNION {{ SERVICE <{url}> {{ ?x ?y ?z }} }} FILTER(?o != 'x') }}",
    "escaped character in an IRI before a hash": "SELECT * WHERE {{ {{ ?s ?p <http://x/\\u0041#f> }} "
    "UNION {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }}",
    "in EXISTS": "SELECT * WHERE {{ BIND(1 AS ?a) FILTER EXISTS {{ SERVICE SILENT <{url}> {{ ?x ?y ?z }} }} "
    "}}",
    "in a subquery": "SELECT * WHERE {{ {{ SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }} }} }}",
    "through a variable": "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?x ?y ?z }} }}",
    "lower case after a comment": "select * where {{ # }} service\n service <{url}> {{ ?x ?y ?z }} }}",
}


def _query(template: str, listener: Listener) -> str:
    return template.format(url=f"http://127.0.0.1:{listener.port}/sparql")


def test_the_hidden_service_queries_are_real_sparql(listener: Listener) -> None:
    """The engine reads each query: evaluating it gets past the parser (to the network, which the
    sandbox denies, to an answer where SERVICE SILENT swallows that, or to an evaluation error)."""
    for name, template in HIDDEN.items():
        query = _query(template, listener)
        try:
            # In a confined thread, so that the engine's request cannot leave the process.
            _in_confined_thread(lambda q=query: list(ox.Store().query(q)))  # type: ignore[misc]
        except SyntaxError:
            pytest.fail(f"Oxigraph cannot parse {name}: {query}")
        except (OSError, RuntimeError):
            pass
        assert listener.connections == [], name


def _in_confined_thread(work: Callable[[], object]) -> None:
    failure: list[BaseException] = []

    def run() -> None:
        try:
            sandbox.confine(all_threads=False)
            work()
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_service_is_refused_from_the_parse_on_disk(world: World, listener: Listener, name: str) -> None:
    response = world.select(_query(HIDDEN[name], listener))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "SERVICE" in response.json()["detail"]
    assert listener.connections == []


@pytest.fixture(scope="module")
def in_memory() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(dev=True, secret_key=secrets.token_urlsafe(32)))) as client:
        yield client


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_service_is_refused_from_the_parse_in_memory(
    in_memory: TestClient, listener: Listener, name: str
) -> None:
    response = in_memory.get(
        "/sparql", params={"query": _query(HIDDEN[name], listener)}, headers={"Accept": SELECT_JSON}
    )
    assert response.status_code == 400, response.text
    assert "SERVICE" in response.json()["detail"]
    assert listener.connections == []


# -- the second line alone ---------------------------------------------------------------------------


def no_check(text: str, base_iri: str | None) -> QueryShape:
    """The first line switched off: every query passes as a plain SELECT (module level, so that a
    worker process can unpickle it)."""
    return QueryShape("SELECT")


def probe_sockets(text: str, base_iri: str | None) -> QueryShape:
    """Runs where queries run and reports, as the query's error, which sockets it could open."""
    found = []
    for family in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.socket(family).close()
            found.append(f"{family.name}=open")
        except PermissionError:
            found.append(f"{family.name}=denied")
    left, right = socket.socketpair()
    left.close()
    right.close()
    found.append("AF_UNIX=open")
    raise BadRequest(" ".join(found))


def _store(tmp_path: Path, on_disk: bool, inspector: Inspector) -> EmbeddedPassportStore:
    resolver = GroupResolver.from_triples(ox.parse(resources.ontology_bytes(), format=ox.RdfFormat.TURTLE))
    return EmbeddedPassportStore(resolver, tmp_path / "store" if on_disk else None, inspector=inspector)


def _request(text: str) -> QueryRequest:
    return QueryRequest(text, DatasetRequest((), ()), SELECT_JSON, None, 100)


#: Where queries run: an on-disk store's worker processes (slow: they start), an in-memory store's threads.
ON_DISK = [
    pytest.param(True, id="worker process", marks=pytest.mark.slow),
    pytest.param(False, id="in-memory thread"),
]


@pytest.mark.parametrize("on_disk", ON_DISK)
def test_the_sandbox_alone_keeps_service_off_the_network(
    tmp_path: Path, listener: Listener, on_disk: bool
) -> None:
    store = _store(tmp_path, on_disk, no_check)
    try:
        for name, template in HIDDEN.items():
            # Refused, or answered without what the listener sent (SERVICE SILENT).
            with contextlib.suppress(RegistryError):
                assert b"leaked" not in store.query(_request(_query(template, listener)), 30).body
            assert listener.connections == [], name
        plain = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?x ?y ?z }} }}"
        with pytest.raises(BadRequest, match="network connection"):
            store.query(_request(plain), 30)
        assert listener.connections == []
    finally:
        store.close()


@pytest.mark.parametrize("on_disk", ON_DISK)
def test_queries_run_where_no_network_socket_can_be_opened(tmp_path: Path, on_disk: bool) -> None:
    store = _store(tmp_path, on_disk, probe_sockets)
    try:
        with pytest.raises(BadRequest) as refused:
            store.query(_request("ASK {}"), 30)
        assert refused.value.detail == "AF_INET=denied AF_INET6=denied AF_UNIX=open"
    finally:
        store.close()
    # The server's own threads keep the network: only query threads are confined.
    socket.socket(socket.AF_INET).close()
