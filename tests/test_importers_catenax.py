"""Catena-X BatteryPass 6.1.0 -> our passport, on the upstream example document itself.

`BatteryPass.json` (Eclipse Tractus-X, CC BY 4.0, copied unchanged into
tests/fixtures/tractusx-semantic-models/) has plausible values, yet the imported passport does not
conform: a few of its values are wrong upstream, and Catena-X has no attribute for several things our
shapes require. These tests pin exactly what remains and why (docs/importers.md).
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib.compare import isomorphic

from passport_graphs import graph_with_pyld, graph_with_pyoxigraph
from passport_registry import resources
from passport_registry.errors import UnprocessableInput
from passport_registry.importers import catenax
from passport_registry.importers.report import ImportResult
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


def upstream() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(UPSTREAM.read_text(encoding="utf-8"))
    return document


def short(result: Result) -> tuple[str | None, str, str]:
    path = None if result.path is None else result.path.replace(resources.BPR, "")
    return (path, result.constraint.removeprefix(str(SH)).removesuffix("ConstraintComponent"), result.focus)


# Catena-X names the operator, the manufacturer and the plants by Business Partner Number only (BPNL, BPNA);
# names and addresses live in the Catena-X partner directory, outside the passport.
NOT_IN_CATENA_X_PASSPORT = Counter(
    {
        ("name", "MinCount", "nested"): 2,  # operatorInformation, manufacturerInformation
        ("postalAddress", "MinCount", "nested"): 2,  # manufacturingPlace, carbonFootprintManufacturingPlant
        ("separateCollectionSymbol", "MinCount", "root"): 1,  # 6.1.0 has no separate-collection symbol
        ("hazardousSubstanceClass", "MinCount", "nested"): 1,  # 6.1.0 gives no hazard class
    }
)
# The example identifies phenolphthalein as {"type": "CAS", "id": "201-004-7"}: that is its EC number
# (its CAS number is 77-09-8), in hazardous.other and in composition.
UPSTREAM_DEFECT = Counter(
    {
        ("hazardousSubstanceIdentifier", "Pattern", "nested"): 1,
        ("batteryMaterialIdentifier", "Pattern", "nested"): 1,
    }
)

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
    assert Counter(short(r) for r in leaves) == NOT_IN_CATENA_X_PASSPORT + UPSTREAM_DEFECT
    chains = set().union(*(node_constraint_chain(data, leaf) for leaf in leaves))
    carried = {
        (r.focus_node, r.path, r.value) for r in found if r.constraint == str(SH.NodeConstraintComponent)
    }
    assert carried <= chains


def test_imported_passport_reads_the_same_in_pyld_and_pyoxigraph(imported: ImportResult) -> None:
    assert isomorphic(graph_with_pyld(imported.passport), graph_with_pyoxigraph(imported.passport))


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
    [({"lifeValue": 8, "lifeUnit": "unit:year"}, "96"), ({"lifeValue": 30, "lifeUnit": "unit:month"}, "30")],
)
def test_warranty_in_years_or_months_becomes_months(life: dict[str, Any], months: str) -> None:
    document = copy.deepcopy(upstream())
    document["characteristics"]["warranty"] = life
    result = catenax.convert(document)
    assert result.passport["warrantyPeriod"] == months
    assert not [e for e in result.errors if e.path == "/characteristics/warranty"]


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
    _data, found = results(result.passport)
    leaves = [r for r in found if r.constraint != str(SH.NodeConstraintComponent)]
    assert Counter(short(r) for r in leaves) == NOT_IN_CATENA_X_PASSPORT
