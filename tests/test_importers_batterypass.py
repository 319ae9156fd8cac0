"""Battery Pass v1.2.0/1.2.1 aspect payloads -> our passport, on the upstream example payloads themselves.

The upstream payloads are SAMM-generated random examples (CC BY 4.0, copied unchanged into
tests/fixtures/batterypass-datamodel/, see docs/attribution.md). Their numbers are random doubles such as
-1.7976931348623157E308 in per-cent fields, so the imported passport must NOT conform, and the importer must
not make it conform. These tests pin exactly what remains, each with its reason (docs/importers.md).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from passport_graphs import graph_with_pyld, graph_with_pyoxigraph, ill_typed, pyld_nquads
from passport_registry import resources
from passport_registry.errors import UnprocessableInput
from passport_registry.importers import batterypass
from passport_registry.json_schema import DEFAULT_OUTPUT
from shapes_oracle import SH, Result, node_constraint_chain, results

UPSTREAM = Path(__file__).parent / "fixtures" / "batterypass-datamodel" / "BatteryPass"
PAYLOADS = {  # aspect -> upstream file under io.BatteryPass.<Aspect>/<version>/gen/
    "GeneralProductInformation": "1.2.0/gen/GeneralProductInformation-payload.json",
    "CarbonFootprint": "1.2.0/gen/CarbonFootprintForBatteries-payload.json",
    "Circularity": "1.2.0/gen/Circularity.json",
    "Labels": "1.2.0/gen/Labeling-payload.json",
    "MaterialComposition": "1.2.0/gen/MaterialComposition-payload.json",
    "Performance": "1.2.1/gen/PerformanceAndDurability.json",
    "SupplyChainDueDiligence": "1.2.0/gen/SupplyChainDueDiligence-payload.json",
}
# -1.7976931348623157E308 as the payloads write it, as an xsd:decimal: the 17 digits, then 292 zeros.
HUGE_NEGATIVE = "-17976931348623157" + "0" * 292


def payload(aspect: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        (UPSTREAM / f"io.BatteryPass.{aspect}" / PAYLOADS[aspect]).read_text(encoding="utf-8")
    )
    return document


def all_payloads() -> list[dict[str, Any]]:
    return [payload(aspect) for aspect in PAYLOADS]


def short(result: Result) -> tuple[str | None, str, str]:
    path = None if result.path is None else result.path.replace(resources.BPR, "")
    return (path, result.constraint.removeprefix(str(SH)).removesuffix("ConstraintComponent"), result.focus)


# What pySHACL reports for the seven upstream payloads imported together (the sh:node results that carry a
# nested fault up to the root are checked separately), grouped by why.
RANDOM_NUMBERS_OUT_OF_RANGE = Counter(
    {
        ("batteryCarbonFootprint", "MinInclusive", "root"): 1,  # CarbonFootprint: -1.8E308 kg CO2e/kWh
        ("absoluteCarbonFootprint", "MinInclusive", "root"): 1,
        ("renewableContent", "MaxInclusive", "root"): 1,  # Circularity: 2.5E38 %
        ("hazardousSubstanceConcentration", "MinInclusive", "nested"): 1,  # MaterialComposition: -1.8E308 %
        # Performance 1.2.1: random doubles in every technical property ...
        ("ratedMaximumPower", "MinInclusive", "root"): 1,
        ("capacityThresholdForExhaustion", "MinInclusive", "root"): 1,
        ("initialSelfDischarge", "MinInclusive", "root"): 1,
        ("powerFade", "MinInclusive", "root"): 1,
        ("roundTripEfficiency", "MaxInclusive", "root"): 1,
        ("roundTripEfficiencyAt50PerCentCycleLife", "MaxInclusive", "root"): 1,
        ("roundTripEfficiencyFade", "MinInclusive", "root"): 1,
        ("cRateLifeCycleTest", "MinInclusive", "root"): 1,
        ("expectedLifetime", "MinInclusive", "root"): 1,
        ("expectedNumberOfCycles", "MinInclusive", "root"): 1,
        ("minimumVoltage", "MinInclusive", "root"): 1,
        ("nominalVoltage", "MinExclusive", "root"): 1,
        ("maximumVoltage", "MinExclusive", "root"): 1,
        ("minimumVoltage", "LessThanOrEquals", "root"): 1,  # random voltages are not in order either
        ("nominalVoltage", "LessThanOrEquals", "root"): 1,
        ("atSoC", "MinInclusive", "nested"): 1,  # original power capability at -1.8E38 % SoC
        ("atSoC", "MaxInclusive", "nested"): 1,  # remaining power capability at 1.4E38 % SoC
        ("ohmicResistance", "MinInclusive", "nested"): 1,
        # ... and in every condition value
        ("capacityFade", "MaxInclusive", "root"): 1,
        ("resistanceIncrease", "MinInclusive", "nested"): 1,
        ("remainingCapacity / value", "MinInclusive", "root"): 1,
        ("stateOfCertifiedEnergy / value", "MinInclusive", "root"): 1,
        ("stateOfCharge / value", "MinInclusive", "root"): 1,
        ("remainingRoundTripEnergyEfficiency / value", "MaxInclusive", "root"): 1,
        ("currentSelfDischargingRate / value", "MinInclusive", "root"): 1,
        ("numberOfFullCycles / value", "MinInclusive", "root"): 1,
        ("energyThroughput / value", "MinInclusive", "root"): 1,
        ("capacityThroughput / value", "MinInclusive", "root"): 1,
        ("timeExtremeHighTemp / value", "MinInclusive", "root"): 1,
        ("timeExtremeLowTemp / value", "MinInclusive", "root"): 1,
        ("timeExtremeHighTempCharging / value", "MinInclusive", "root"): 1,
        ("timeExtremeLowTempCharging / value", "MinInclusive", "root"): 1,
    }
)
RANDOM_STRINGS = Counter(
    {
        ("carbonFootprintPerformanceClass", "Pattern", "root"): 1,  # "eOMtThyhVNLWUZNRcBaQKxI"
        ("mimeType", "Pattern", "nested"): 1,  # dismantling document of MIME type "eOMtThyhVNLWUZNRcBaQKxI"
        ("emailAddress", "Pattern", "nested"): 1,  # the operator's e-mail address ends in "%mKozizk..."
    }
)
UPSTREAM_DEFECT = Counter({("batteryMaterialIdentifier", "Pattern", "nested"): 1})  # CAS "7439-93-2 "
# Organisations without a name (v1.2 has contactName and identifier) and addresses without a locality conform:
# an identifier identifies an organisation, a postal code and country an address. What remains:
NOT_IN_BATTERY_PASS_MODEL = Counter(
    {("negativeEventType", "MinCount", "nested"): 1}  # v1.2 describes an event in free text only
)
# The CarbonFootprint example lists one life-cycle stage; an LMT battery declares all four
# (bprs:CarbonFootprintRequiredShape, a node-level rule without a result path).
INCOMPLETE_EXAMPLE = Counter({(None, "Or", "root"): 1})
LEFT_OUT_BY_AN_IMPORT_ERROR = Counter(
    {("extinguishingAgent", "MinCount", "root"): 1}
)  # "RYtGKbgicZaHCBRQDSx"

EXPECTED_IMPORT_ERRORS = {
    ("GeneralProductInformation", "/warrentyPeriod", "--06"),
    ("Circularity", "/safetyMeasures/extinguishingAgent/0", "RYtGKbgicZaHCBRQDSx"),
}
EXPECTED_UNMAPPED = {
    ("MaterialComposition", "/hazardousSubstances/0/hazardousSubstanceLocation/componentId"),
    ("MaterialComposition", "/batteryMaterials/0/batteryMaterialLocation/componentId"),
    ("Performance", "/batteryTechicalProperties/cRate"),
    ("Performance", "/batteryCondition/capacityFade/lastUpdate"),
}


@pytest.fixture(scope="module")
def imported() -> batterypass.ImportResult:
    return batterypass.convert(all_payloads())


@pytest.mark.parametrize("aspect", PAYLOADS)
def test_each_upstream_payload_is_recognised_by_its_keys(aspect: str) -> None:
    assert batterypass.aspect_of(payload(aspect)) == aspect


def test_the_payloads_merge_into_one_flat_passport(imported: batterypass.ImportResult) -> None:
    passport = imported.passport
    assert passport["@context"] == resources.CONTEXT_URL
    assert passport["@type"] == "BatteryPassport"
    assert passport["batteryPassportIdentifier"] == "urn:bmwk:123456687678"  # GeneralProductInformation
    assert passport["batteryCategory"] == "lmt"
    assert passport["batteryStatus"] == "original"  # "Original"
    assert passport["batteryChemistry"] == "nmc"  # MaterialComposition {"shortName": "NMC"}
    assert passport["manufacturingDate"] == "2025-06-17"  # the date of "2025-06-17T11:14:27.698+02:00"
    assert passport["manufacturingPlace"]["postalAddress"]["addressCountry"] == "DE"  # "Germany"
    assert passport["carbonFootprintPerLifecycleStage"] == [
        {"lifecycleStage": "raw-material-acquisition", "carbonFootprint": HUGE_NEGATIVE}
    ]
    assert passport["preConsumerRecycledCobaltShare"] == "54.426945"  # Circularity recycledContent
    assert passport["separateCollectionSymbol"]["labelingMeaning"] == {"en": "Separate Collection"}
    assert passport["resultOfTestReport"] == [
        {"documentURL": "ftp://ftp.is.co.za/rfc/rfc1808.txt", "documentType": "test-report"}
    ]
    # Upstream typos are read: supplyChainIndicies, thirdPartyAussurances, batteryTechicalProperties,
    # roundtripEfficiency, roundTripEfficiencyat50PerCentCycleLife.
    assert passport["supplyChainIndices"] == "216244820000000000000000000000000000000"
    assert passport["thirdPartyAssurances"] == ["ftp://ftp.is.co.za/rfc/rfc1808.txt"]
    assert passport["roundTripEfficiency"] == "294991420000000000000000000000000000000"
    assert "roundTripEfficiencyAt50PerCentCycleLife" in passport
    assert passport["remainingPowerCapability"] == [
        {
            "atSoC": "143802800000000000000000000000000000000",
            "powerCapabilityAt": "130099440000000000000000000000000000000",
            "lastUpdate": "2025-08-08T16:19:26.601+02:00",
        }
    ]


def test_numbers_are_carried_exactly_not_clamped(imported: batterypass.ImportResult) -> None:
    # -1.7976931348623157E308 stays that number, written as an xsd:decimal (309 digits), not a double.
    assert imported.passport["batteryCarbonFootprint"] == HUGE_NEGATIVE
    cycles = payload("Performance")["batteryCondition"]["numberOfFullCycles"]["numberOfFullCyclesValue"]
    assert imported.passport["numberOfFullCycles"]["value"] == str(cycles)


def test_material_composition_keeps_the_trailing_space_of_its_cas_number(
    imported: batterypass.ImportResult,
) -> None:
    assert imported.passport["batteryMaterials"][0]["batteryMaterialIdentifier"] == "7439-93-2 "
    _data, found = results(imported.passport)
    cas = [r for r in found if short(r) == ("batteryMaterialIdentifier", "Pattern", "nested")]
    assert [str(r.value) for r in cas] == ["7439-93-2 "]


def test_import_reports_exactly_the_values_it_could_not_carry(imported: batterypass.ImportResult) -> None:
    assert {(i.source, i.path, i.value) for i in imported.errors} == EXPECTED_IMPORT_ERRORS
    assert len(imported.errors) == len(EXPECTED_IMPORT_ERRORS)
    assert {(i.source, i.path) for i in imported.unmapped} == EXPECTED_UNMAPPED


def test_shapes_reject_exactly_what_the_upstream_examples_get_wrong(
    imported: batterypass.ImportResult,
) -> None:
    data, found = results(imported.passport)
    leaves = [r for r in found if r.constraint != str(SH.NodeConstraintComponent)]
    assert Counter(short(r) for r in leaves) == (
        RANDOM_NUMBERS_OUT_OF_RANGE
        + RANDOM_STRINGS
        + UPSTREAM_DEFECT
        + NOT_IN_BATTERY_PASS_MODEL
        + INCOMPLETE_EXAMPLE
        + LEFT_OUT_BY_AN_IMPORT_ERROR
    )
    # Every other result is an sh:node result on the way from the root down to one of those faults.
    chains = set().union(*(node_constraint_chain(data, leaf) for leaf in leaves))
    carried = {
        (r.focus_node, r.path, r.value) for r in found if r.constraint == str(SH.NodeConstraintComponent)
    }
    assert carried <= chains


def test_imported_passport_reads_the_same_in_pyld_and_pyoxigraph(imported: batterypass.ImportResult) -> None:
    assert isomorphic(graph_with_pyld(imported.passport), graph_with_pyoxigraph(imported.passport))


def test_corrected_key_spellings_are_read_too() -> None:
    result = batterypass.convert(
        [
            {"warrantyPeriod": 24, "batteryCategory": "ev"},
            {"supplyChainIndices": 0.8, "thirdPartyAssurances": ["https://assurance.example/a"]},
            {"batteryTechnicalProperties": {"roundTripEfficiency": 95.5}},
        ]
    )
    assert result.issues == []
    assert result.passport["warrantyPeriod"] == 24
    assert result.passport["supplyChainIndices"] == "0.8"
    assert result.passport["thirdPartyAssurances"] == ["https://assurance.example/a"]
    assert result.passport["roundTripEfficiency"] == "95.5"


def test_granularity_is_item_unless_the_caller_says_otherwise() -> None:
    assert batterypass.convert([payload("Labels")]).passport["granularity"] == "item"
    assert "granularity" not in batterypass.convert([payload("Labels")], granularity=None).passport
    assert batterypass.convert([payload("Labels")], granularity="model").passport["granularity"] == "model"


def test_unknown_payload_and_repeated_aspect_are_refused_naming_the_payload() -> None:
    supported = (
        "Supported: Battery Pass v1.2.0 aspect payloads, Performance 1.2.1 (GeneralProductInformation, "
        "CarbonFootprint, Circularity, Labels, MaterialComposition, Performance, SupplyChainDueDiligence)."
    )
    with pytest.raises(UnprocessableInput) as unknown:
        batterypass.convert([payload("Labels"), {"somethingElse": 1}])
    assert unknown.value.detail == (
        "This is not a Battery Pass v1.2 aspect payload: it has only somethingElse, none of its keys. "
        f"{supported}"
    )
    assert unknown.value.extensions == {"payload": 1}
    with pytest.raises(UnprocessableInput) as twice:
        batterypass.convert([payload("Labels"), payload("Circularity"), payload("Labels")])
    assert twice.value.detail == "A second Labels payload: a passport takes one payload per aspect."
    assert twice.value.extensions == {"payload": 2, "first": 0}
    with pytest.raises(UnprocessableInput, match="more than one"):
        batterypass.convert([{"labels": [], "batteryMass": 1}])


def test_an_unknown_code_is_reported_and_left_out_not_guessed() -> None:
    result = batterypass.convert([{"batteryStatus": "Refurbished", "batteryCategory": "EV"}])
    assert result.passport["batteryCategory"] == "ev"
    assert "batteryStatus" not in result.passport
    assert [(i.kind, i.path, i.value) for i in result.issues] == [
        ("invalid", "/batteryStatus", "Refurbished")
    ]


def test_a_hazardous_material_label_is_reported_because_it_does_not_name_its_metal() -> None:
    labels = {
        "labels": [{"labelingSubject": "HazardousMaterial", "labelingSymbol": "https://x.example/cd.svg"}]
    }
    result = batterypass.convert([labels])
    assert "cadmiumAndLeadSymbols" not in result.passport
    assert [(i.kind, i.path) for i in result.issues] == [("invalid", "/labels/0/labelingSubject")]


@pytest.mark.parametrize(
    "payload",
    [{"labels": ["separate collection"]}, {"recycledContent": [12, {"recycledMaterial": "Cobalt"}]}],
    ids=["labels", "recycledContent"],
)
def test_a_list_item_that_is_not_an_object_is_reported_not_a_crash(payload: dict[str, Any]) -> None:
    # Found by the importer goldens' mutations: on main these raised AttributeError (a 500, a traceback).
    key = next(iter(payload))
    result = batterypass.convert([payload])
    assert (result.issues[0].kind, result.issues[0].path, result.issues[0].reason) == (
        "invalid",
        f"/{key}/0",
        "not an object",
    )


# --- plausible payloads: the battery of examples/passports/ev-nmc-car-pack.json, in Battery Pass v1.2 ---

PLAUSIBLE = Path(__file__).parent / "fixtures" / "batterypass-plausible"
SCHEMAS = {  # aspect -> upstream JSON Schema (draft-04) under io.BatteryPass.<Aspect>/<version>/gen/
    "GeneralProductInformation": "1.2.0/gen/GeneralProductInformation-schema.json",
    "CarbonFootprint": "1.2.0/gen/CarbonFootprintForBatteries-schema.json",
    "Circularity": "1.2.0/gen/Circularity-schema.json",
    "Labels": "1.2.0/gen/Labeling-schema.json",
    "MaterialComposition": "1.2.0/gen/MaterialComposition-schema.json",
    "Performance": "1.2.1/gen/PerformanceAndDurability.schema",
    "SupplyChainDueDiligence": "1.2.0/gen/SupplyChainDueDiligence-schema.json",
}


def plausible(aspect: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((PLAUSIBLE / f"{aspect}.json").read_text(encoding="utf-8"))
    return document


@pytest.mark.parametrize("aspect", SCHEMAS)
def test_plausible_payload_is_valid_against_its_upstream_schema(aspect: str) -> None:
    schema = json.loads((UPSTREAM / f"io.BatteryPass.{aspect}" / SCHEMAS[aspect]).read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(plausible(aspect)))
    assert errors == []
    assert batterypass.aspect_of(plausible(aspect)) == aspect


def test_plausible_payloads_conform_as_they_are() -> None:
    # Operators and manufacturers named by identifier only, addresses without a locality: as v1.2 writes them.
    result = batterypass.convert([plausible(aspect) for aspect in SCHEMAS])
    assert [(i.kind, i.path) for i in result.errors] == [("invalid", "/warrentyPeriod")]  # "--08", a gMonth
    assert "name" not in result.passport["operatorInformation"]
    assert "addressLocality" not in result.passport["manufacturingPlace"]["postalAddress"]
    _data, found = results(result.passport)
    assert found == []
    assert ill_typed(pyld_nquads(result.passport)) == []
    schema = json.loads(DEFAULT_OUTPUT.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(result.passport)
    ]
    assert errors == []


def test_plausible_payloads_with_name_and_locality_added_still_conform() -> None:
    # JSON Schema draft-04 allows extra keys, so a partner can send what v1.2 lacks; the importer reads it.
    general = plausible("GeneralProductInformation")
    general["operatorInformation"]["name"] = "Voltara Automotive GmbH"
    general["operatorInformation"]["postalAddress"]["addressLocality"] = "Wolfsburg"
    general["manufacturerInformation"]["name"] = "Nordcell Energy AB"
    general["manufacturerInformation"]["postalAddress"]["addressLocality"] = "Skellefteå"
    general["manufacturingPlace"]["addressLocality"] = "Skellefteå"
    circularity = plausible("Circularity")
    circularity["sparePartSources"][0]["addressOfSupplier"]["addressLocality"] = "Wolfsburg"
    schema = json.loads(
        (
            UPSTREAM / "io.BatteryPass.GeneralProductInformation" / SCHEMAS["GeneralProductInformation"]
        ).read_text(encoding="utf-8")
    )
    assert list(jsonschema.Draft4Validator(schema).iter_errors(general)) == []

    others = [plausible(a) for a in SCHEMAS if a not in ("GeneralProductInformation", "Circularity")]
    result = batterypass.convert([general, circularity, *others])
    _data, found = results(result.passport)
    assert found == []
    passport = result.passport
    assert passport["batteryCategory"] == "ev" and passport["batteryChemistry"] == "nmc"
    assert passport["manufacturingDate"] == "2025-02-10" and passport["puttingIntoService"] == "2025-04-01"
    assert passport["preConsumerRecycledLeadShare"] == "0"
    assert passport["extinguishingAgent"] == ["water"]
    assert [stage["lifecycleStage"] for stage in passport["carbonFootprintPerLifecycleStage"]] == [
        "raw-material-acquisition",
        "main-production",
        "distribution",
        "end-of-life-recycling",
    ]


def keys_of(node: object) -> set[str]:
    if isinstance(node, dict):
        return set(node).union(*(keys_of(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(keys_of(value) for value in node))
    return set()


@pytest.mark.parametrize("aspect", SCHEMAS)
def test_every_attribute_filled_is_one_the_ontology_maps_to_an_element_of_that_payload(aspect: str) -> None:
    # The ontology says, with skos:exactMatch/closeMatch, which Battery Pass SAMM element each of our
    # properties is; the importer must agree: what it fills from an aspect is mapped to a key of that payload.
    ontology = rdflib.Graph().parse(data=resources.ontology_bytes(), format="turtle")
    source = plausible(aspect)
    filled = [
        key for key in batterypass.convert([source], granularity=None).passport if not key.startswith("@")
    ]
    assert filled
    for key in filled:
        elements = {
            str(urn).split("#")[1]
            for match in (SKOS.exactMatch, SKOS.closeMatch)
            for urn in ontology.objects(rdflib.URIRef(resources.BPR + key), match)
            if str(urn).startswith(f"urn:samm:io.BatteryPass.{aspect}:")
        }
        assert elements & keys_of(source), (key, elements)


def test_a_supplement_adds_what_the_payloads_lack_and_never_overrides_them() -> None:
    symbol = {
        "labelingSubject": "lead",
        "labelingSymbol": "https://x.example/pb.svg",
        "labelingMeaning": {"en": "Contains lead."},
    }
    result = batterypass.convert([payload("Labels")], supplement={"cadmiumAndLeadSymbols": [symbol]})
    assert result.passport["cadmiumAndLeadSymbols"] == [symbol]
    with pytest.raises(UnprocessableInput, match="'declarationOfConformity'"):
        batterypass.convert(
            [payload("Labels")], supplement={"declarationOfConformity": "https://x.example/doc.pdf"}
        )
