"""The invalid passports of examples/invalid/: each one yields exactly the violation its manifest names.

"Exactly" means: pySHACL reports that one result (property path, constraint component, root or nested
focus) once, and nothing else except the sh:node results that SHACL adds on each node between the passport
root and a nested fault (the shapes use sh:node on every nested property, as docs/vocabulary.md says).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from passport_graphs import example, example_names
from shapes_oracle import SH, node_constraint_chain, results

INVALID = Path(__file__).resolve().parents[1] / "examples" / "invalid"
NODE_CONSTRAINT = str(SH.NodeConstraintComponent)


def manifest() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((INVALID / "manifest.json").read_text(encoding="utf-8"))
    return entries


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_invalid", INVALID / "make_invalid.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the script runs
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_committed_files_are_what_the_generator_writes() -> None:
    expected = generator().outputs()
    on_disk = {path.name for path in INVALID.glob("*.jsonld")} | {"manifest.json"}
    assert on_disk == set(expected)
    for name, text in expected.items():
        assert (INVALID / name).read_text(encoding="utf-8") == text, f"{name} is stale: run make_invalid.py"


def test_manifest_covers_the_kinds_of_fault_the_issue_asks_for() -> None:
    entries = manifest()
    assert len(entries) >= 25
    assert len({entry["file"] for entry in entries}) == len(entries)
    constraints = {entry["violation"]["constraint"].removeprefix(str(SH)) for entry in entries}
    assert constraints >= {
        "MinCountConstraintComponent",
        "MaxCountConstraintComponent",
        "DatatypeConstraintComponent",
        "MinInclusiveConstraintComponent",
        "MaxInclusiveConstraintComponent",
        "MinExclusiveConstraintComponent",
        "PatternConstraintComponent",
        "InConstraintComponent",
        "OrConstraintComponent",
        "LessThanOrEqualsConstraintComponent",
    }
    assert {entry["violation"]["focus"] for entry in entries} == {"root", "nested"}
    bases = {entry["base"] for entry in entries}
    assert bases <= set(example_names()) and len(bases) >= 5


@pytest.mark.parametrize("name", example_names())
def test_valid_example_has_no_result_at_all(name: str) -> None:
    _data, found = results(example(name))
    assert found == []


@pytest.mark.parametrize("entry", manifest(), ids=lambda entry: entry["file"])
def test_invalid_example_yields_exactly_its_violation(entry: dict[str, Any]) -> None:
    document = json.loads((INVALID / entry["file"]).read_text(encoding="utf-8"))
    assert document != example(entry["base"])
    expected = entry["violation"]
    data, found = results(document)

    leaf = [r for r in found if r.key == (expected["path"], expected["constraint"], expected["focus"])]
    assert len(leaf) == 1, found
    assert leaf[0].severity == str(SH.Violation)

    rest = [r for r in found if r is not leaf[0]]
    assert all(r.constraint == NODE_CONSTRAINT for r in rest), rest
    carried = [(r.focus_node, r.path, r.value) for r in rest]
    assert len(carried) == len(set(carried))
    assert set(carried) == node_constraint_chain(data, leaf[0])
    assert (expected["focus"] == "root") == (not rest)
