"""The benchmark generator: seeded, varied, and every passport it makes conforms to the shapes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from passport_registry.rdf import parse
from passport_registry.rdf.formats import JSON
from passport_registry.validation import Validator

BENCH = Path(__file__).resolve().parents[1] / "bench"


def bench_module(name: str) -> ModuleType:
    """A script of bench/ loaded as a module (bench/ is not a package on the path)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    return bench_module("generate")


def test_same_seed_same_passports_other_seed_others(generate: ModuleType) -> None:
    first = list(generate.passports(5, seed=3))
    assert first == list(generate.passports(5, seed=3))
    assert first != list(generate.passports(5, seed=4))


def test_passports_vary_and_identifiers_are_unique(generate: ModuleType) -> None:
    sample = list(generate.passports(60, seed=1))
    assert len({p["batteryPassportIdentifier"] for p in sample}) == 60
    assert len({p["productIdentifier"] for p in sample}) == 60
    assert len({p["batteryCategory"] for p in sample}) >= 3
    assert len({p["batteryChemistry"] for p in sample}) >= 3
    assert len({p["operatorInformation"]["identifier"] for p in sample}) >= 3
    assert {"original", "waste"} <= {p["batteryStatus"] for p in sample}


def test_a_sample_conforms_to_the_shapes(generate: ModuleType) -> None:
    validator = Validator.from_resources()
    for passport in generate.passports(30, seed=7):
        report = validator.validate(q.triple for q in parse(json.dumps(passport).encode(), JSON))
        assert report.conforms, [v.to_json() for v in report.primary_violations()][:3]


def test_write_jsonl_one_passport_a_line(generate: ModuleType, tmp_path: Path) -> None:
    path = generate.write_jsonl(tmp_path / "p.jsonl", 4, seed=2)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == list(generate.passports(4, seed=2))
