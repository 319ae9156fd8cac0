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

from .conftest import World, open_world
from .helpers import ontology_triples

PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with open_world(
        tmp_path_factory.mktemp("limited"),
        sparql_timeout_s=1.0,
        sparql_max_results=20,
        max_request_bytes=2048,
    ) as w:
        yield w


def _problem(response, status: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


def test_a_pathological_query_is_stopped_and_its_worker_killed(limited: World) -> None:
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


def test_the_ontology_graph_is_replaced_at_every_start(tmp_path: Path) -> None:
    count = QueryRequest(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        DatasetRequest((ONTOLOGY_GRAPH.value,), (ONTOLOGY_GRAPH.value,)),
        "text/csv",
        None,
        10,
    )
    for _ in range(2):
        registry = Registry.open(Settings(dev=True, data_dir=tmp_path))
        try:
            body = registry.store.query(count, 30).body.decode()
        finally:
            registry.close()
        assert body.split() == ["n", str(len(ontology_triples()))]
