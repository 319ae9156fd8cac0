"""The importers give, on every fixture and on every one-value mutation of it, what the goldens recorded.

The goldens (tests/fixtures/importer-goldens/, written by tests/importer_goldens.py) were written from the
importers as they were before they became mapping tables: the passport of each fixture must denote the
same graph, the issue report must be the same issue for issue, and every mutation (a value swapped for one
of the wrong kind) must give the same outcome. Regenerate them only for an intended change of behaviour.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from importer_goldens import GOLDENS, aas_environments, cases, digest, load, mutations, outcome
from passport_graphs import graph_with_pyld, isomorphic

CASES = cases()
MUTATIONS = load(GOLDENS / "mutations.json")


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_fixture_converts_to_its_golden_graph_and_report(name: str) -> None:
    convert, paths = CASES[name]
    golden: dict[str, Any] = load(GOLDENS / f"{name}.json")
    found = json.loads(json.dumps(outcome(convert, [load(p) for p in paths]), default=repr))
    assert found.keys() == golden.keys()
    assert found.get("issues") == golden.get("issues")
    assert found.get("refused") == golden.get("refused")
    if "passport" in golden:
        assert isomorphic(graph_with_pyld(found["passport"]), graph_with_pyld(golden["passport"]))


@pytest.mark.parametrize("case", sorted({name.split(" ")[0] for name in MUTATIONS}))
def test_every_mutation_of_a_fixture_gives_its_golden_outcome(case: str) -> None:
    changed = [
        name
        for name, convert, variants in mutations(case)
        if digest([outcome(convert, documents) for documents in variants]) != MUTATIONS[name]
    ]
    expected = [name for name in MUTATIONS if name.split(" ")[0] == case]
    assert expected, case
    assert changed == []


def test_the_aas_view_of_every_example_is_its_golden() -> None:
    golden = load(GOLDENS / "aas-environments.json")
    found = {name: digest(environment) for name, environment in aas_environments().items()}
    assert found == golden
