"""What the validator tells partners, below HTTP: one entry per problem on real upstream payloads, decimals of
any length judged as pySHACL judges them, and values JSON-LD would drop reaching the validator as written."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from passport_graphs import example
from passport_registry.importers import batterypass
from passport_registry.rdf import parse
from passport_registry.validation import Validator
from shapes_oracle import results

FIXTURES = Path(__file__).parent / "fixtures"
BATTERY_PASS = sorted(
    path
    for path in (FIXTURES / "batterypass-datamodel/BatteryPass").glob("*/*/gen/*.json")
    if not path.name.endswith("-schema.json")
)
BPR = "https://w3id.org/passport-registry/battery#"
SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_resources()


def problems(validator: Validator, document: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """(constraint component, property local name, message) of each problem the validator reports."""
    report = validator.validate(parse(json.dumps(document).encode(), "application/ld+json"))
    return [
        (
            v.constraint_component.value.removeprefix(SH),
            None if v.path is None else v.path.value.removeprefix(BPR),
            v.message,
        )
        for v in report.problems
    ]


def test_no_entry_repeats_on_the_upstream_battery_pass_files(validator: Validator) -> None:
    """Issue: 41 of 107 entries repeated word for word (a datatype and a range constraint sharing one message
    failed together, because the 309-digit decimals of the random examples were beyond the engine)."""
    passport = batterypass.convert([json.loads(p.read_text(encoding="utf-8")) for p in BATTERY_PASS]).passport
    report = validator.validate(parse(json.dumps(passport).encode(), "application/ld+json"))
    entries = [(v.focus_node, v.path, v.value, v.message) for v in report.problems]
    assert len(entries) == len(set(entries))
    assert len(entries) == 41
    components = {v.constraint_component.value.removeprefix(SH) for v in report.problems}
    assert "DatatypeConstraintComponent" not in components  # every decimal there is a decimal


@pytest.mark.parametrize(
    "mass",
    ["486.50000000000000000001", "123456789012345678901234567890", "0.0000000000000000000000001", "-0"],
)
def test_every_decimal_lexical_form_is_judged_by_its_value_as_pyshacl_does(
    validator: Validator, mass: str
) -> None:
    """Issue: "486.50000000000000000001" was called "must be a decimal number, greater than 0"."""
    document = example("ev-nmc-car-pack.json")
    document["batteryMass"] = mass
    _graph, oracle = results(document)
    expected = [(r.path, r.constraint) for r in oracle]
    found = problems(validator, document)
    assert [(BPR + p if p else None, SH + c) for c, p, _ in found] == expected
    if mass == "-0":
        assert found == [
            (
                "MinExclusiveConstraintComponent",
                "batteryMass",
                "Battery mass (batteryMass) must be a decimal number, greater than 0, in kilograms.",
            )
        ]
    else:
        assert found == []


@pytest.mark.parametrize(
    ("minimum", "nominal", "in_order"),
    [
        ("400.0000000000000000000000001", "400.0000000000000000000000002", True),
        ("400.0000000000000000000000002", "400.0000000000000000000000001", False),
        ("170141183460469231732", "170141183460469231731", False),
        ("-0.00000000000000000000001", "0.00000000000000000000001", True),
    ],
)
def test_long_decimals_keep_their_order_in_comparisons(
    validator: Validator, minimum: str, nominal: str, in_order: bool
) -> None:
    document = example("ev-nmc-car-pack.json")
    document["minimumVoltage"] = minimum
    document["nominalVoltage"] = nominal
    document["maximumVoltage"] = "9" * 30  # beyond the engine too, and above both
    _graph, oracle = results(document)
    found = problems(validator, document)
    assert sorted((BPR + p, SH + c) for c, p, _ in found if p) == sorted(
        (r.path, r.constraint) for r in oracle if r.path
    )
    order = ("LessThanOrEqualsConstraintComponent", "minimumVoltage")
    assert (order not in {(c, p) for c, p, _ in found}) is in_order


def test_a_reported_long_decimal_is_the_value_as_given(validator: Validator) -> None:
    document = example("ev-nmc-car-pack.json")
    document["batteryMass"] = "-486.50000000000000000001"
    report = validator.validate(parse(json.dumps(document).encode(), "application/ld+json"))
    (problem,) = report.problems
    assert problem.value == ox.Literal(
        "-486.50000000000000000001", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
    )


@pytest.mark.parametrize(
    ("key", "value", "kept"),
    [
        ("batteryCategory", "Electric vehicle", ox.Literal("Electric vehicle")),
        ("predecessor", "not an iri", ox.Literal("not an iri")),
        ("predecessor", "http://a b", ox.Literal("http://a b")),
        (
            "batteryCategory",
            "ev",
            ox.NamedNode("https://w3id.org/passport-registry/battery/vocab/category/ev"),
        ),
        ("predecessor", "urn:uuid:0b7e4c19", ox.NamedNode("urn:uuid:0b7e4c19")),
    ],
)
def test_a_value_json_ld_would_drop_reaches_the_validator_as_written(
    key: str, value: str, kept: ox.Term
) -> None:
    document = {"@type": "BatteryPassport", key: value}
    triples = parse(json.dumps(document).encode(), "application/json")
    assert [q.object for q in triples if q.predicate == ox.NamedNode(BPR + key)] == [kept]


def test_a_key_json_ld_would_drop_is_kept_percent_encoded() -> None:
    triples = parse(b'{"@type": "BatteryPassport", "battery mass": "4"}', "application/json")
    assert [q.predicate.value for q in triples if q.predicate.value.startswith(BPR)] == [
        BPR + "battery%20mass"
    ]


def test_a_valid_document_is_read_exactly_as_before(validator: Validator) -> None:
    document = copy.deepcopy(example("ev-nmc-car-pack.json"))
    assert validator.validate(parse(json.dumps(document).encode(), "application/ld+json")).conforms
