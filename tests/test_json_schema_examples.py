"""The committed JSON Schema: no drift from the shapes, and the verdicts of the shapes on the examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from passport_registry.cli import app
from passport_registry.json_schema import DEFAULT_OUTPUT, build, bundled_schema_bytes

ROOT = Path(__file__).resolve().parents[1]
VALID_EXAMPLES = sorted(p for p in (ROOT / "examples" / "passports").glob("*.json*"))
MANIFEST = ROOT / "examples" / "invalid" / "manifest.json"
SH = "http://www.w3.org/ns/shacl#"


def test_committed_schema_matches_the_shapes() -> None:
    assert DEFAULT_OUTPUT.read_text(encoding="utf-8") == build(), (
        "shapes/battery-passport.schema.json is out of date with the SHACL shapes or the context; "
        "regenerate it with `passport-registry schema` (or `python -m passport_registry.json_schema`) "
        "and commit the result"
    )


def test_package_ships_the_committed_schema() -> None:
    assert bundled_schema_bytes() == DEFAULT_OUTPUT.read_bytes()


def test_cli_checks_and_writes_the_schema(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "schema.json"
    out.write_text("{}", encoding="utf-8")
    stale = runner.invoke(app, ["schema", "--check", "-o", str(out)])
    assert stale.exit_code == 1 and "passport-registry schema" in stale.output
    assert runner.invoke(app, ["schema", "-o", str(out)]).exit_code == 0
    assert out.read_bytes() == DEFAULT_OUTPUT.read_bytes()


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(DEFAULT_OUTPUT.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_there_are_valid_examples() -> None:
    assert len(VALID_EXAMPLES) >= 5


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=[p.name for p in VALID_EXAMPLES])
def test_schema_accepts_every_valid_example(validator: Draft202012Validator, path: Path) -> None:
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(load(path))
    ]
    assert not errors, errors


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
