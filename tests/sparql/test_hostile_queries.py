"""Every SPARQL request is bounded, the work before the query runs included (issue: deep and huge queries).

Against a live server (`serve --dev` in its own process, real HTTP): queries that crashed the engine
or held a server thread for a minute are answered within the time limit plus a small margin, with a
4xx or 503 problem document; meanwhile `/health` and ordinary queries keep answering. In process: a
query worker that dies anyway gives 503, not 500, and a fresh worker is started for the next query.
No timing assertion is tighter than "within the limit plus a generous margin".
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from dev_server import dev_server
from passport_registry.access import AccessGroup
from passport_registry.store import LIVE_GRAPHS, META_GRAPH

from .conftest import World, open_world

TIMEOUT_S = 3.0
#: Generous (a busy 2-CPU machine): the server's answer must come within the time limit plus this.
MARGIN_S = 10.0
PUBLIC = LIVE_GRAPHS[AccessGroup.PUBLIC].value
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _values(n: int) -> str:
    return " ".join(f'"{i}"' for i in range(n))


HOSTILE = {
    "2,000 nested subqueries": "SELECT * WHERE " + "{ SELECT * WHERE " * 2000 + "{}" + " }" * 2000,
    "100,000 nested parentheses": "SELECT * WHERE { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }",
    "100,000 nested group patterns": "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000,
    "DESCRIBE of 10,000 IRIs": "DESCRIBE " + " ".join(f"<urn:x:{i}>" for i in range(10_000)),
    "a 1 MiB query with FROM and 130,000 values": (
        f"SELECT * FROM <{PUBLIC}> WHERE {{ VALUES ?x {{ {_values(130_000)} }} }} LIMIT 1"
    ),
    "a 1 MiB query with FROM outside the dataset": (
        f"SELECT * FROM <{META_GRAPH.value}> WHERE {{ VALUES ?x {{ {_values(130_000)} }} }} LIMIT 1"
    ),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live registry with a 3 s query limit, accepting queries up to 2 MiB so that the 1 MiB ones
    reach the query worker (at the default limit they get 413 at once: tested below)."""
    settings = {
        "PASSPORT_REGISTRY_SPARQL_TIMEOUT_S": str(TIMEOUT_S),
        "PASSPORT_REGISTRY_SPARQL_MAX_QUERY_BYTES": str(2 * 1024 * 1024),
        "PASSPORT_REGISTRY_MAX_REQUEST_BYTES": str(4 * 1024 * 1024),
    }
    with dev_server(tmp_path_factory.mktemp("hostile"), settings=settings) as (url, _):
        with httpx.Client(base_url=url, timeout=60) as client:  # a first query starts a worker
            assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        yield url


def _post(url: str, query: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = httpx.post(
        url + "/sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=TIMEOUT_S + MARGIN_S + 30,
    )
    return response, time.monotonic() - started


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_deep_or_huge_query_is_answered_within_the_limit(server: str, name: str) -> None:
    response, elapsed = _post(server, HOSTILE[name])
    assert elapsed < TIMEOUT_S + MARGIN_S, f"{name}: {elapsed:.1f} s"
    if name == "a 1 MiB query with FROM and 130,000 values":
        # Parsed and answered in the worker within the limit (or stopped there): never a held thread.
        assert response.status_code in (200, 503), response.text[:300]
        return
    assert response.status_code in (400, 403, 413, 422, 503), response.text[:300]
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"]


def test_the_reasons_name_the_limit(server: str) -> None:
    for name, status, word in [
        ("2,000 nested subqueries", 422, "nests"),
        ("100,000 nested parentheses", 422, "nests"),
        ("DESCRIBE of 10,000 IRIs", 422, "too complex"),
        ("a 1 MiB query with FROM outside the dataset", 403, "not in your dataset"),
    ]:
        response, _ = _post(server, HOSTILE[name])
        assert response.status_code == status, (name, response.text[:300])
        assert word in response.json()["detail"], name


def test_health_and_ordinary_queries_answer_meanwhile(server: str) -> None:
    """One client sends every hostile query in turn (and one that runs to the time limit) while
    another keeps asking `/health` and an ordinary query: those answer 200 throughout. (Many clients
    at once could hold every query worker; then further queries wait, up to their own limit, and get
    503: the pool is bounded on purpose, docs/sparql.md.)"""
    outcomes: list[int] = []

    def attack() -> None:
        for query in (*HOSTILE.values(), PATHOLOGICAL):
            outcomes.append(_post(server, query)[0].status_code)

    attacker = threading.Thread(target=attack)
    attacker.start()
    answered = 0
    with httpx.Client(base_url=server, timeout=TIMEOUT_S + MARGIN_S) as client:
        while attacker.is_alive():
            assert client.get("/health").status_code == 200
            ask = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
            assert ask.status_code == 200, ask.text
            answered += 1
        attacker.join()
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200
    assert answered >= 1
    assert 500 not in outcomes and len(outcomes) == len(HOSTILE) + 1


def test_a_huge_query_at_the_default_limit_is_413(tmp_path: Path) -> None:
    with open_world(tmp_path) as world:
        started = time.monotonic()
        response = world.client.post(
            "/sparql",
            content=HOSTILE["a 1 MiB query with FROM and 130,000 values"].encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        assert time.monotonic() - started < MARGIN_S
        assert response.status_code == 413, response.text[:300]
        assert response.json()["max_bytes"] == 512 * 1024


# -- a worker that dies anyway -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with open_world(tmp_path_factory.mktemp("dying"), sparql_timeout_s=20.0) as world:
        yield world


def test_a_worker_that_dies_is_503_and_replaced(limited: World) -> None:
    assert limited.select("ASK {}").status_code == 200  # a worker is up
    before = {p.pid for p in multiprocessing.active_children()}
    result: list[httpx.Response] = []
    running = threading.Thread(target=lambda: result.append(limited.select(PATHOLOGICAL)))
    running.start()
    time.sleep(1.0)  # the query is in the worker
    for pid in before:
        os.kill(pid, signal.SIGKILL)  # the engine "crashes"
    running.join(timeout=30)
    (response,) = result
    assert response.status_code == 503, response.text
    assert response.json()["type"].endswith("/query-aborted")
    # A replacement is started at once, before anyone asks.
    deadline = time.monotonic() + 30
    while not {p.pid for p in multiprocessing.active_children()} - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {p.pid for p in multiprocessing.active_children()} - before
    assert limited.select("ASK {}").json()["boolean"] is True
