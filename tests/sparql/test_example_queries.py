"""Every query in examples/queries/ gives its expected result on the example passports."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import ROOT, World
from .helpers import parse_results

QUERIES = ROOT / "examples" / "queries"
MANIFEST: list[dict[str, str]] = json.loads((QUERIES / "manifest.json").read_text())["queries"]


def test_the_manifest_lists_every_query_file() -> None:
    assert {e["query"] for e in MANIFEST} == {p.name for p in QUERIES.glob("*.rq")}
    assert len(MANIFEST) >= 8


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["query"])
def test_example_query_gives_its_expected_result(world: World, entry: dict[str, str]) -> None:
    path = QUERIES / entry["query"]
    expected_path = path.with_suffix(".srj")
    response = world.select(path.read_text(encoding="utf-8"), entry["caller"])
    assert response.status_code == 200, response.text
    got: dict[str, Any] = response.json()
    expected: dict[str, Any] = json.loads(expected_path.read_text(encoding="utf-8"))
    assert got["head"] == expected["head"]
    assert got["results"]["bindings"] == expected["results"]["bindings"]
    assert expected["results"]["bindings"], "every example query finds something"
    # The expected file is a valid results document for rdflib too.
    assert len(list(parse_results(expected_path.read_bytes(), "application/sparql-results+json"))) == len(
        expected["results"]["bindings"]
    )


@pytest.mark.parametrize(
    "entry", [e for e in MANIFEST if e["caller"] != "anonymous"], ids=lambda e: e["query"]
)
def test_point_4_queries_find_nothing_for_anonymous_callers(world: World, entry: dict[str, str]) -> None:
    response = world.select((QUERIES / entry["query"]).read_text(encoding="utf-8"))
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == []
