"""The committed JSON Schema: no drift from the shapes, and the verdicts of the shapes on the examples."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError
from typer.testing import CliRunner

from passport_registry import resources
from passport_registry.cli import app
from passport_registry.json_schema import DEFAULT_OUTPUT, build, bundled_schema_bytes
from passport_registry.json_schema.context import JsonLdContext

ROOT = Path(__file__).resolve().parents[1]
VALID_EXAMPLES = sorted(p for p in (ROOT / "examples" / "passports").glob("*.json*"))
MANIFEST = ROOT / "examples" / "invalid" / "manifest.json"
SH = "http://www.w3.org/ns/shacl#"
CONTEXT = JsonLdContext.from_document(resources.context_document())


def test_committed_schema_matches_the_shapes() -> None:
    assert DEFAULT_OUTPUT.read_text(encoding="utf-8") == build(), (
        "shapes/battery-passport.schema.json is out of date with the SHACL shapes or the context; "
        "regenerate it with `passport-registry schema` (or `python -m passport_registry.json_schema`) "
        "and commit the result"
    )


def test_package_ships_the_committed_schema() -> None:
    assert bundled_schema_bytes() == DEFAULT_OUTPUT.read_bytes()


def test_cli_writes_the_committed_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = CliRunner().invoke(app, ["schema", "-o", str(out)])
    assert result.exit_code == 0, result.output
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


# Invalid examples the schema cannot reject, each with the reason (docs/jsonschema.md, "What JSON Schema
# cannot express"). The test asserts the schema really accepts them, so an entry that goes stale fails.
NOT_EXPRESSIBLE: dict[str, tuple[str, str]] = {
    "put-into-service-before-manufacture.jsonld": (
        SH + "LessThanOrEqualsConstraintComponent",
        "dates in order: sh:lessThanOrEquals compares two values, which JSON Schema cannot do",
    ),
    "voltages-out-of-order.jsonld": (
        SH + "LessThanOrEqualsConstraintComponent",
        "minimum <= nominal voltage: sh:lessThanOrEquals compares two values, which JSON Schema cannot do",
    ),
    "idle-temperature-range-reversed.jsonld": (
        SH + "LessThanOrEqualsConstraintComponent",
        "idle temperature minimum <= maximum: sh:lessThanOrEquals has no JSON Schema equivalent",
    ),
}
LOGICAL_KEYWORDS = {"if", "then", "else", "anyOf", "oneOf", "allOf", "not"}


def invalid_cases() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = load(MANIFEST)
    return entries


def all_errors(errors: Iterable[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        yield error
        yield from all_errors(error.context or [])


def test_invalid_corpus_is_there_and_exceptions_name_real_files() -> None:
    files = {case["file"] for case in invalid_cases()}
    assert len(files) >= 30
    assert set(NOT_EXPRESSIBLE) <= files


@pytest.mark.parametrize("case", invalid_cases(), ids=[c["file"] for c in invalid_cases()])
def test_schema_rejects_each_invalid_example_for_its_violation(
    validator: Draft202012Validator, case: dict[str, Any]
) -> None:
    document = load(MANIFEST.parent / case["file"])
    errors = list(all_errors(validator.iter_errors(document)))
    violation = case["violation"]
    if case["file"] in NOT_EXPRESSIBLE:
        constraint, reason = NOT_EXPRESSIBLE[case["file"]]
        assert violation["constraint"] == constraint, reason
        assert not errors, (
            f"listed as not expressible ({reason}) but the schema rejects it now: drop the entry"
        )
        return
    assert errors, f"the shapes reject {case['file']} ({case['description']}) but the schema accepts it"
    if violation["path"] is None:  # a node-level rule (sh:or ...): some conditional branch must fail
        assert any(LOGICAL_KEYWORDS & set(map(str, e.schema_path)) for e in errors)
        return
    key = CONTEXT.term_for_property(violation["path"]).key
    related = [
        e
        for e in errors
        if key in e.absolute_path
        or (e.validator == "required" and repr(key) in e.message)
        or (e.validator == "propertyNames" and key in str(e.instance))
    ]
    assert related, f"rejected, but not at key {key!r}: {[e.message for e in errors]}"
