"""Catena-X BatteryPass 6.1.0 -> our passport, on the upstream example document itself.

`BatteryPass.json` (Eclipse Tractus-X, CC BY 4.0, copied unchanged into
tests/fixtures/tractusx-semantic-models/) has plausible values. Imported, it lacks one thing our shapes
require and Catena-X 6.1.0 cannot say (the separate-collection symbol); with a supplement that adds only
that (tests/fixtures/catenax-supplement.json) it conforms. These tests pin exactly what remains and why
(docs/importers.md).
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from rdflib.compare import isomorphic

from passport_graphs import graph_with_pyld, graph_with_pyoxigraph, ill_typed, pyld_nquads
from passport_registry import resources
from passport_registry.errors import UnprocessableInput
from passport_registry.importers import catenax
from passport_registry.importers.report import ImportResult
from passport_registry.json_schema import DEFAULT_OUTPUT
from passport_registry.rdf import parse
from passport_registry.validation import Validator
from shapes_oracle import SH, Result, node_constraint_chain, results

UPSTREAM = (
    Path(__file__).parent
    / "fixtures"
    / "tractusx-semantic-models"
    / "io.catenax.battery.battery_pass"
    / "6.1.0"
    / "gen"
    / "BatteryPass.json"
)

SUPPLEMENT = Path(__file__).parent / "fixtures" / "catenax-supplement.json"


def upstream() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(UPSTREAM.read_text(encoding="utf-8"))
    return document


def short(result: Result) -> tuple[str | None, str, str]:
    path = None if result.path is None else result.path.replace(resources.BPR, "")
    return (path, result.constraint.removeprefix(str(SH)).removesuffix("ConstraintComponent"), result.focus)


# Catena-X names the operator, the manufacturer and the plants by Business Partner Number only (BPNL, BPNA):
# an identifier identifies them. It gives no hazard class: optional, the regulation names the substances.
# What remains is the one attribute 6.1.0 has no place for:
NOT_IN_CATENA_X_PASSPORT = Counter({("separateCollectionSymbol", "MinCount", "root"): 1})
# The example identifies phenolphthalein as {"type": "CAS", "id": "201-004-7"}, in hazardous.other and in
# composition: that is its EC number (its CAS number is 77-09-8). Carried as the EC number, with a note.
EC_NUMBER_LISTED_AS_CAS = {
    "/materials/hazardous/other/0/materialIdentification/0/id",
    "/materials/composition/0/id/0/id",
}

EXPECTED_IMPORT_ERRORS = {
    # upstream defect: month 75
    ("/operation/intoServiceDate", "not a calendar date"),
    # 36 days is not a whole number of months
    ("/characteristics/warranty", "does not convert exactly to months"),
    # a date only; the importer does not invent a time of day
    ("/metadata/lastModification", "date without a time of day"),
    # dynamic values our model holds with more context than Catena-X gives
    ("/performance/dynamic/selfDischargingRate", "carries the time it was measured"),
    ("/performance/dynamic/power/remaining", "stated at a state of charge"),
    ("/performance/dynamic/negativeEvents", "carry a type and a time"),
    # flagged critical upstream; not on the EU list of critical raw materials
    ("/materials/active/lead/critical", "not a critical raw material"),
}


@pytest.fixture(scope="module")
def imported() -> ImportResult:
    return catenax.convert(upstream())


def test_catena_x_values_land_on_our_attributes_in_our_units(imported: ImportResult) -> None:
    passport = imported.passport
    assert passport["batteryPassportIdentifier"] == "urn:uuid:550e8400-e29b-41d4-a716-446655440000"
    assert passport["productIdentifier"] == "34567890"  # idDmc
    assert passport["batteryCategory"] == "sli"  # "SLI"
    assert passport["batteryChemistry"] == "nmc"  # "Nickel Cobalt Manganese (NCM)"
    assert passport["batteryStatus"] == "original"
    assert passport["batteryMass"] == "0.02"  # 20.0 unit:gram
    assert passport["manufacturingDate"] == "2000-01-31"
    assert passport["extinguishingAgent"] == ["dry-powder"]  # "Dry Powder"
    assert passport["carbonFootprintPerLifecycleStage"] == [
        {"lifecycleStage": "main-production", "carbonFootprint": "12.678"}
    ]
    assert passport["carbonFootprintPerformanceClass"] == "A"
    assert (passport["minimumVoltage"], passport["nominalVoltage"], passport["maximumVoltage"]) == (
        "2.5",
        "3.7",
        "4.2",
    )
    assert passport["originalPowerCapability"] == [
        {"atSoC": "20", "powerCapabilityAt": "35000.0"},
        {"atSoC": "80", "powerCapabilityAt": "39000.0"},
    ]
    assert passport["stateOfCharge"] == {"value": "50.0", "lastUpdate": "2023-12-07T10:39:13.576+01:00"}
    # 5.3 unit:partPerMillion -> per cent
    assert passport["hazardousSubstances"][0]["hazardousSubstanceConcentration"] == "0.00053"
    assert passport["criticalRawMaterials"] == ["nickel", "lithium", "cobalt"]
    assert "predecessor" not in passport  # the nil UUID is Catena-X's "no predecessor" placeholder


def test_import_reports_exactly_the_values_it_could_not_carry(imported: ImportResult) -> None:
    errors = imported.errors
    assert len(errors) == len(EXPECTED_IMPORT_ERRORS)
    for path, reason in EXPECTED_IMPORT_ERRORS:
        assert [e for e in errors if e.path == path and reason in e.reason], path
    assert all(issue.source == catenax.SOURCE for issue in imported.issues)


def test_unmapped_attributes_are_listed_with_their_paths(imported: ImportResult) -> None:
    unmapped = {issue.path for issue in imported.unmapped}
    assert {
        "/metadata/predecessor",
        "/metadata/status",
        "/commercial/placedOnMarket",
        "/materials/hazardous/cadmium",
        "/materials/hazardous/mercury",
        "/materials/hazardous/lead",
        "/materials/active/nickel/recycled",
        "/performance/rated/power/value",
    } <= unmapped
    # Every unmapped path points at a value that really is in the source document.
    for path in unmapped:
        node: Any = upstream()
        for step in path.split("/")[1:]:
            node = node[int(step)] if isinstance(node, list) else node[step]


def test_shapes_reject_exactly_what_catena_x_cannot_say_or_gets_wrong(imported: ImportResult) -> None:
    data, found = results(imported.passport)
    leaves = [r for r in found if r.constraint != str(SH.NodeConstraintComponent)]
    assert Counter(short(r) for r in leaves) == NOT_IN_CATENA_X_PASSPORT
    chains = set().union(*(node_constraint_chain(data, leaf) for leaf in leaves))
    carried = {
        (r.focus_node, r.path, r.value) for r in found if r.constraint == str(SH.NodeConstraintComponent)
    }
    assert carried <= chains


def test_an_ec_number_listed_as_cas_is_carried_as_the_ec_number_with_a_note(imported: ImportResult) -> None:
    assert {note.path for note in imported.notes} == EC_NUMBER_LISTED_AS_CAS
    assert all(note.value == "201-004-7" and "EC number" in note.reason for note in imported.notes)
    (substance,) = imported.passport["hazardousSubstances"]
    assert substance["hazardousSubstanceEcNumber"] == "201-004-7"
    assert "hazardousSubstanceIdentifier" not in substance
    material = imported.passport["batteryMaterials"][0]
    assert material["batteryMaterialEcNumber"] == "201-004-7"
    assert "batteryMaterialIdentifier" not in material


def test_numbers_go_where_their_format_says_and_the_rest_stays_for_the_shapes() -> None:
    document = copy.deepcopy(upstream())
    document["materials"]["hazardous"]["other"][0]["materialIdentification"] = [
        {"type": "EC", "name": "phenolphthalein", "id": "201-004-7"},  # as listed: no note
        {"type": "EC", "id": "77-09-8"},  # a CAS number listed as EC: carried as the CAS number, noted
        {"type": "CAS", "id": "77-09-8 "},  # neither format: a second CAS number, reported, left out
        {"type": "IUPAC", "id": "3,3-bis(4-hydroxyphenyl)-2-benzofuran-1(3H)-one"},
    ]
    result = catenax.convert(document)
    (substance,) = result.passport["hazardousSubstances"]
    assert (substance["hazardousSubstanceEcNumber"], substance["hazardousSubstanceIdentifier"]) == (
        "201-004-7",
        "77-09-8",
    )
    at = "/materials/hazardous/other/0/materialIdentification/"
    assert [(i.kind, i.path) for i in result.issues if i.path.startswith(at)] == [
        ("note", at + "1/id"),
        ("invalid", at + "2/id"),
        ("unmapped", at + "3"),
    ]


def supplement() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SUPPLEMENT.read_text(encoding="utf-8"))
    return document


def test_with_the_supplement_the_reference_passport_conforms_under_both_engines() -> None:
    result = catenax.convert(upstream(), supplement=supplement())
    assert set(result.passport) - set(catenax.convert(upstream()).passport) == {"separateCollectionSymbol"}
    _data, found = results(result.passport)
    assert found == []  # pySHACL
    quads = parse(json.dumps(result.passport).encode(), "application/ld+json", "http://registry.test/p/1")
    for engine in ("shacl", "pyshacl"):
        report = Validator.from_resources(engine=engine).validate(quads)
        assert report.conforms, (engine, report.to_json())


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"batteryCategory": "ev"}, "'batteryCategory'"),  # present in the import: never overridden
        ({"operatorInformation": {"name": "Example AG"}}, "'operatorInformation'"),  # not even nested
        ({"granularity": "item"}, "'granularity'"),  # not even with the same value
        ({"@type": "Organisation"}, "'@type'"),
        ({"@context": "https://example.org/other.jsonld"}, "other.jsonld"),
    ],
)
def test_a_supplement_only_adds_and_names_the_key_it_may_not_give(extra: dict[str, Any], named: str) -> None:
    with pytest.raises(UnprocessableInput, match=named):
        catenax.convert(upstream(), supplement={**supplement(), **extra})
    with pytest.raises(UnprocessableInput, match="JSON object"):
        catenax.convert(upstream(), supplement=["separateCollectionSymbol"])  # type: ignore[arg-type]


def test_imported_passport_reads_the_same_in_pyld_and_pyoxigraph(imported: ImportResult) -> None:
    assert isomorphic(graph_with_pyld(imported.passport), graph_with_pyoxigraph(imported.passport))
    assert ill_typed(pyld_nquads(imported.passport)) == []


def test_the_conforming_import_is_valid_against_the_published_json_schema() -> None:
    result = catenax.convert(upstream(), supplement=supplement())
    schema = json.loads(DEFAULT_OUTPUT.read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(result.passport)
    ]
    assert errors == []


@pytest.mark.parametrize(
    ("unit", "value", "kilograms"),
    [
        ("unit:kilogram", 486.5, "486.5"),
        ("unit:gram", 486500, "486.5"),
        ("unit:tonneMetricTon", 0.4865, "486.5"),
        ("unit:pound", 1000, "453.59237"),
    ],
)
def test_mass_is_converted_to_kilograms_exactly(unit: str, value: float, kilograms: str) -> None:
    document = copy.deepcopy(upstream())
    document["characteristics"]["physicalDimension"]["weight"] = {"value": value, "unit": unit}
    assert catenax.convert(document).passport["batteryMass"] == kilograms


@pytest.mark.parametrize(
    ("life", "months"),
    [({"lifeValue": 8, "lifeUnit": "unit:year"}, 96), ({"lifeValue": 30, "lifeUnit": "unit:month"}, 30)],
)
def test_warranty_in_years_or_months_becomes_months(life: dict[str, Any], months: int) -> None:
    document = copy.deepcopy(upstream())
    document["characteristics"]["warranty"] = life
    result = catenax.convert(document)
    assert result.passport["warrantyPeriod"] == months
    assert not [e for e in result.errors if e.path == "/characteristics/warranty"]


@pytest.mark.parametrize("unit", [{"unit": "kg CO2e / kWh"}, ["kg CO2e / kWh"]])
def test_a_carbon_footprint_unit_that_is_not_a_text_is_reported_not_a_crash(unit: Any) -> None:
    # Found by the importer goldens' mutations: on main this raised TypeError (unhashable).
    document = upstream()
    document["sustainability"]["carbonFootprint"][0]["unit"] = unit
    result = catenax.convert(document)
    at = "/sustainability/carbonFootprint/0/unit"
    assert [(i.kind, i.value, i.reason) for i in result.issues if i.path == at] == [
        ("invalid", unit, "our carbon footprint is in kg CO2e per kWh")
    ]


def test_a_real_predecessor_is_linked() -> None:
    document = copy.deepcopy(upstream())
    document["metadata"]["predecessor"] = "urn:uuid:6f1c2a3e-8d4b-4f7a-9b21-3c5e7d9a1f02"
    passport = catenax.convert(document).passport
    assert passport["predecessor"] == ["urn:uuid:6f1c2a3e-8d4b-4f7a-9b21-3c5e7d9a1f02"]


def test_another_spec_version_is_refused() -> None:
    document = copy.deepcopy(upstream())
    document["specVersion"] = "urn:io.catenax.battery.battery_pass:5.0.0"
    with pytest.raises(UnprocessableInput, match=r"6\.1\.0"):
        catenax.convert(document)


def test_with_its_two_wrong_values_corrected_only_what_catena_x_cannot_say_remains() -> None:
    document = copy.deepcopy(upstream())
    document["operation"]["intoServiceDate"] = "2000-03-01"  # was "7172-75-08"
    for entry in (document["materials"]["hazardous"]["other"][0], document["materials"]["composition"][0]):
        key = "materialIdentification" if "materialIdentification" in entry else "id"
        entry[key][0]["id"] = "77-09-8"  # phenolphthalein's CAS number; "201-004-7" is its EC number
    result = catenax.convert(document)
    assert result.passport["puttingIntoService"] == "2000-03-01"
    assert not [e for e in result.errors if e.path == "/operation/intoServiceDate"]
    assert result.notes == []  # 77-09-8 is a CAS number, listed as one
    assert result.passport["hazardousSubstances"][0]["hazardousSubstanceIdentifier"] == "77-09-8"
    _data, found = results(result.passport)
    leaves = [r for r in found if r.constraint != str(SH.NodeConstraintComponent)]
    assert Counter(short(r) for r in leaves) == NOT_IN_CATENA_X_PASSPORT
