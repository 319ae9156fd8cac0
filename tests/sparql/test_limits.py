"""Time, result and request limits: a stopped query is a problem document, never a truncated 200."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Store

from passport_registry.config import Settings
from passport_registry.errors import QueryTimeout
from passport_registry.services.registry import Registry
from passport_registry.sparql.dataset import DatasetRequest
from passport_registry.store import ONTOLOGY_GRAPH, QueryRequest
from passport_registry.store.query import execute

from .conftest import BACKENDS, World, open_world, store_settings
from .helpers import ontology_triples

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


LIMITS = {"sparql_timeout_s": 1.0, "sparql_max_results": 20, "max_request_bytes": 2048}


@pytest.fixture(scope="module", params=BACKENDS)
def limited(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with open_world(tmp_path_factory.mktemp("limited"), request.param, **LIMITS) as w:  # type: ignore[arg-type]
        yield w


@pytest.fixture(scope="module")
def limited_embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with open_world(tmp_path_factory.mktemp("limited"), "embedded", **LIMITS) as w:  # type: ignore[arg-type]
        yield w


def _problem(response, status: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


def test_a_pathological_query_is_a_503_problem_at_our_time_limit(limited: World) -> None:
    """Also on a SPARQL server with no time limit of its own: the deadline is the registry's."""
    started = time.monotonic()
    body = _problem(limited.select(PATHOLOGICAL), 503)
    assert body["type"] == "https://w3id.org/passport-registry/problems/query-timeout"
    assert time.monotonic() - started < 30  # does not hang (the limit is 1 s)
    assert limited.select("ASK { ?s ?p ?o }").json()["boolean"] is True


def test_a_pathological_query_is_stopped_and_its_worker_killed(limited_embedded: World) -> None:
    limited = limited_embedded
    assert limited.select("ASK { ?s ?p ?o }").status_code == 200  # a worker is up
    before = {p.pid for p in multiprocessing.active_children()}
    body = _problem(limited.select(PATHOLOGICAL), 503)
    assert body["type"] == "https://w3id.org/passport-registry/problems/query-timeout"
    after = {p.pid for p in multiprocessing.active_children()}
    gone = before - after
    assert gone, "the worker that ran the query is no longer a child"
    for pid in gone:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    # A fresh worker answers the next query.
    assert limited.select("ASK { ?s ?p ?o }").json()["boolean"] is True


def test_results_over_the_limit_are_refused_whole(limited: World) -> None:
    body = _problem(limited.select("SELECT * WHERE { ?s ?p ?o }"), 422)
    assert body["max_results"] == 20
    construct = limited.client.get(
        "/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"}
    )
    _problem(construct, 422)
    assert len(limited.select("SELECT * WHERE { ?s ?p ?o } LIMIT 20").json()["results"]["bindings"]) == 20


def test_requests_over_the_size_limit_are_413(limited: World) -> None:
    padding = "#" + "x" * 3000 + "\n"
    body = (padding + "ASK {}").encode()
    post = limited.client.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query"})
    _problem(post, 413)
    _problem(limited.select(padding + "ASK {}"), 413)


def test_in_memory_queries_check_the_deadline_between_solutions() -> None:
    store = Store()
    request = QueryRequest(
        "SELECT * WHERE { VALUES ?x { 1 2 3 } }",
        DatasetRequest((), ()),
        "application/sparql-results+json",
        None,
        10,
    )
    assert b'"bindings":[' in execute(store, request).body
    with pytest.raises(QueryTimeout):
        execute(store, request, deadline=time.monotonic() - 1)


def test_in_memory_registry_answers_queries(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from passport_registry.api.app import create_app

    with TestClient(create_app(Settings(dev=True))) as client:
        response = client.get("/sparql", params={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"})
        assert response.status_code == 200 and response.json()["boolean"] is True


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_ontology_graph_is_replaced_at_every_start(tmp_path: Path, backend: str) -> None:
    count = QueryRequest(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        DatasetRequest((ONTOLOGY_GRAPH.value,), (ONTOLOGY_GRAPH.value,)),
        "text/csv",
        None,
        10,
    )
    with store_settings(backend, tmp_path) as store:
        for _ in range(2):
            registry = Registry.open(Settings(dev=True, data_dir=tmp_path, **store))  # type: ignore[arg-type]
            try:
                body = registry.store.query(count, 30).body.decode()
            finally:
                registry.close()
            assert body.split() == ["n", str(len(ontology_triples()))]


def test_a_server_cut_off_answer_never_reaches_a_client_as_a_success(tmp_path: Path) -> None:
    """`oxigraph serve --timeout-s 1` stops a long streamed answer with a 200 whose body is cut off
    (measured); with our own limit well above its, the client gets a 503 problem, never a shorter 200."""
    with (
        store_settings("remote", tmp_path, timeout_s=1) as store,
        open_world(tmp_path, sparql_timeout_s=30.0, sparql_max_results=10**6, **store) as world,  # type: ignore[arg-type]
    ):
        for query, accept in [
            ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }", "application/sparql-results+json"),
            ("CONSTRUCT { ?a ?b ?d } WHERE { ?a ?b ?c . ?d ?e ?f }", "application/n-triples"),
        ]:
            response = world.client.get("/sparql", params={"query": query}, headers={"Accept": accept})
            body = _problem(response, 503)
            assert "incomplete answer is not sent" in str(body["detail"]), body
        assert world.select("ASK { ?s ?p ?o }").json()["boolean"] is True
