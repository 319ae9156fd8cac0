"""SPARQL stays available and fresh while passports are written (issue: queries slowed by recent writes).

Query workers read snapshots the writer takes (store/snapshots.py), so a query's cost no longer grows
with the writes since the store last flushed. Tested through the API: a few hundred passports are
created while SPARQL queries keep answering within the time limit, during and after; a query sees
every write acknowledged `sparql_max_staleness_s` before it (and with 0, every earlier write); the
time limit still stops a runaway query while the writes go on. No timing assertion beyond "answers
within the limit" (and the staleness bound, which the store enforces rather than hopes for).
"""

from __future__ import annotations

import copy
import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLES, World, open_world

TIMEOUT_S = 2.0
CREATES = 300
COUNT = """PREFIX bpr: <https://w3id.org/passport-registry/battery#>
SELECT (COUNT(?p) AS ?n) WHERE { ?p bpr:batteryPassportIdentifier ?id }"""
AGGREGATE = """PREFIX bpr: <https://w3id.org/passport-registry/battery#>
SELECT ?chemistry (AVG(?footprint) AS ?average) (COUNT(?passport) AS ?passports)
WHERE { ?passport bpr:batteryChemistry ?chemistry ; bpr:batteryCarbonFootprint ?footprint . }
GROUP BY ?chemistry"""
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _template() -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / "ev-nmc-car-pack.json").read_text())
    document["operatorInformation"]["identifier"] = "EO-0001"  # the world's economic operator
    return document


def _passport(template: dict[str, Any], n: int) -> bytes:
    document = copy.deepcopy(template)
    document["batteryPassportIdentifier"] = f"urn:uuid:{uuid.uuid4()}"
    document["productIdentifier"] = f"(01)04012345000016(21)FRESH{n:06d}"
    return json.dumps(document).encode()


def _create(world: World, template: dict[str, Any], n: int) -> str:
    response = world.client.post(
        "/passports",
        content=_passport(template, n),
        headers={"Content-Type": "application/json", **world.headers("economic_operator")},
    )
    assert response.status_code == 201, response.text
    return "http://testserver" + response.headers["location"]


def _count(world: World) -> int:
    response = world.select(COUNT)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_queries_answer_while_hundreds_of_passports_are_created(tmp_path: Path) -> None:
    with open_world(tmp_path, sparql_timeout_s=TIMEOUT_S) as world:
        template = _template()
        before = _count(world)
        failures: list[str] = []
        created: list[str] = []

        def write() -> None:
            try:
                for n in range(CREATES):
                    created.append(_create(world, template, n))
            except BaseException as exc:  # reported below, with the queries' outcome
                failures.append(f"writer: {exc!r}")

        writer = threading.Thread(target=write)
        writer.start()
        answered = stopped = 0
        while writer.is_alive():
            for query in (COUNT, AGGREGATE):
                response = world.select(query)
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text[:200]}")
                answered += 1
            if stopped == 0 and len(created) > CREATES // 2:  # a runaway query, mid-way
                runaway = world.select(PATHOLOGICAL)
                assert runaway.status_code == 503, runaway.text
                assert runaway.json()["type"].endswith("/query-timeout")
                stopped += 1
        writer.join()
        assert failures == []
        assert answered > 10 and stopped == 1 and len(created) == CREATES
        # Afterwards: every passport is there once the staleness bound has passed.
        time.sleep(world.client.app.state.settings.sparql_max_staleness_s + 0.05)  # type: ignore[attr-defined]
        assert _count(world) == before + CREATES
        for _ in range(5):
            assert world.select(AGGREGATE).status_code == 200


@pytest.mark.parametrize("staleness_s", [1.0, 0.2])
def test_a_query_sees_every_write_older_than_the_bound(tmp_path: Path, staleness_s: float) -> None:
    with open_world(tmp_path, sparql_max_staleness_s=staleness_s) as world:
        template = _template()
        assert world.select("ASK {}").status_code == 200  # workers and a first snapshot are up
        for n in range(5):
            passport = _create(world, template, n)
            time.sleep(staleness_s + 0.01)
            seen = world.select(f"ASK {{ <{passport}> ?p ?o }}")
            assert seen.json()["boolean"] is True, n


def test_with_no_staleness_a_query_sees_every_earlier_write(tmp_path: Path) -> None:
    with open_world(tmp_path, sparql_max_staleness_s=0.0) as world:
        template = _template()
        for n in range(10):
            passport = _create(world, template, n)
            assert world.select(f"ASK {{ <{passport}> ?p ?o }}").json()["boolean"] is True, n
