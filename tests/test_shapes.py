"""The shapes reject what the regulation forbids, and report nested violations at the nested node."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pyshacl
import pytest
import rdflib

from passport_graphs import example, graph_with_pyld
from passport_registry import resources

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
BPR = rdflib.Namespace(resources.BPR)
BPRS = rdflib.Namespace(resources.BPRS)


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.shapes_bytes(), format="turtle")


def top_results(report: rdflib.Graph, source: rdflib.URIRef) -> list[rdflib.term.Node]:
    """Top-level results (pySHACL also lists the nested results of an sh:node failure as sh:detail)."""
    return [r for r in report.objects(None, SH.result) if (r, SH.sourceShape, source) in report]


def violations(document: dict[str, Any], shapes: rdflib.Graph) -> tuple[rdflib.Graph, set[rdflib.term.Node]]:
    data = graph_with_pyld(document)
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    return data, {report.value(r, SH.sourceShape) for r in report.objects(None, SH.result)}


def mutated(name: str, change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    document = copy.deepcopy(example(name))
    change(document)
    return document


def test_ev_battery_without_carbon_footprint_is_rejected(shapes: rdflib.Graph) -> None:
    document = mutated("ev-nmc-car-pack.json", lambda d: d.pop("carbonFootprintPerLifecycleStage"))
    _, sources = violations(document, shapes)
    assert sources == {BPRS.CarbonFootprintRequiredShape}


def test_portable_battery_needs_no_carbon_footprint(shapes: rdflib.Graph) -> None:
    def portable(d: dict[str, Any]) -> None:
        d["batteryCategory"] = "portable"
        for key in ("batteryCarbonFootprint", "carbonFootprintPerLifecycleStage"):
            d.pop(key)

    conforms, _, text = pyshacl.validate(
        graph_with_pyld(mutated("lmt-ebike-nmc.json", portable)), shacl_graph=shapes, inference="none"
    )
    assert conforms, text


def test_repurposed_battery_without_predecessor_is_rejected(shapes: rdflib.Graph) -> None:
    document = mutated("stationary-second-life-nmc.json", lambda d: d.pop("predecessor"))
    _, sources = violations(document, shapes)
    assert sources == {BPRS.PredecessorRequiredShape}


def test_putting_into_service_before_manufacturing_is_rejected(shapes: rdflib.Graph) -> None:
    document = mutated("ev-lfp-car-pack.json", lambda d: d.update(puttingIntoService="2024-12-31"))
    _, sources = violations(document, shapes)
    assert sources == {BPRS["BatteryPassport-manufacturingDate-order"]}


def test_share_above_100_percent_is_rejected(shapes: rdflib.Graph) -> None:
    document = mutated("industrial-lfp-storage-rack.json", lambda d: d.update(renewableContent=120))
    _, sources = violations(document, shapes)
    assert sources == {BPRS["BatteryPassport-renewableContent-value"]}


def test_unknown_category_code_is_rejected(shapes: rdflib.Graph) -> None:
    document = mutated("lmt-ebike-nmc.json", lambda d: d.update(batteryCategory="truck"))
    _, sources = violations(document, shapes)
    assert BPRS["BatteryPassport-batteryCategory-value"] in sources


def test_bad_cas_number_is_reported_at_the_nested_substance(shapes: rdflib.Graph) -> None:
    def trailing_space(d: dict[str, Any]) -> None:
        d["hazardousSubstances"][0]["hazardousSubstanceIdentifier"] = "7439-93-2 "

    data = graph_with_pyld(mutated("ev-nmc-car-pack.json", trailing_space))
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    (result,) = top_results(report, BPRS["HazardousSubstance-hazardousSubstanceIdentifier-value"])
    focus = report.value(result, SH.focusNode)
    assert (None, BPR.hazardousSubstances, focus) in data


def test_missing_postal_code_is_reported_at_the_address(shapes: rdflib.Graph) -> None:
    def no_postcode(d: dict[str, Any]) -> None:
        d["manufacturerInformation"]["postalAddress"].pop("postalCode")

    data = graph_with_pyld(mutated("lmt-ebike-nmc.json", no_postcode))
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    assert not conforms
    (result,) = top_results(report, BPRS["PostalAddress-postalCode-count"])
    focus = report.value(result, SH.focusNode)
    assert (None, BPR.postalAddress, focus) in data
    assert "required" in str(report.value(result, SH.resultMessage))


def test_label_with_the_wrong_subject_is_rejected(shapes: rdflib.Graph) -> None:
    def swap(d: dict[str, Any]) -> None:
        d["separateCollectionSymbol"]["labelingSubject"] = "carbon-footprint"

    _, sources = violations(mutated("ev-lfp-car-pack.json", swap), shapes)
    assert sources == {BPRS["BatteryPassport-separateCollectionSymbol-subject"]}


def test_carbon_footprint_without_every_life_cycle_stage_is_rejected(shapes: rdflib.Graph) -> None:
    def drop_distribution(d: dict[str, Any]) -> None:
        stages = d["carbonFootprintPerLifecycleStage"]
        d["carbonFootprintPerLifecycleStage"] = [s for s in stages if s["lifecycleStage"] != "distribution"]

    _, sources = violations(mutated("lmt-ebike-nmc.json", drop_distribution), shapes)
    assert sources == {BPRS.CarbonFootprintRequiredShape}


def test_a_life_cycle_stage_given_twice_is_rejected(shapes: rdflib.Graph) -> None:
    def twice(d: dict[str, Any]) -> None:
        d["carbonFootprintPerLifecycleStage"].append(
            {"lifecycleStage": "main-production", "carbonFootprint": 0.01}
        )

    _, sources = violations(mutated("industrial-lead-acid-traction.json", twice), shapes)
    assert sources == {BPRS["BatteryPassport-carbonFootprintPerLifecycleStage-main-production-once"]}


def test_a_property_outside_the_vocabulary_is_rejected_at_root_and_nested_nodes(shapes: rdflib.Graph) -> None:
    def foreign(d: dict[str, Any]) -> None:
        d["http://schema.org/color"] = "blue"
        d["manufacturerInformation"]["http://schema.org/founder"] = "somebody"

    _, sources = violations(mutated("lmt-ebike-nmc.json", foreign), shapes)
    assert {BPRS.BatteryPassportShape, BPRS.OrganisationShape} <= sources


def test_a_typed_nested_node_is_still_accepted(shapes: rdflib.Graph) -> None:
    def typed(d: dict[str, Any]) -> None:
        d["manufacturerInformation"]["@type"] = "Organisation"

    conforms, _, text = pyshacl.validate(
        graph_with_pyld(mutated("lmt-ebike-nmc.json", typed)), shacl_graph=shapes, inference="none"
    )
    assert conforms, text


def test_ev_battery_without_capacity_threshold_is_rejected(shapes: rdflib.Graph) -> None:
    document = mutated("ev-lfp-car-pack.json", lambda d: d.pop("capacityThresholdForExhaustion"))
    _, sources = violations(document, shapes)
    assert sources == {BPRS.CapacityThresholdRequiredShape}


def test_lmt_battery_needs_no_capacity_threshold(shapes: rdflib.Graph) -> None:
    assert "capacityThresholdForExhaustion" not in example("lmt-ebike-nmc.json")
    conforms, _, text = pyshacl.validate(
        graph_with_pyld(example("lmt-ebike-nmc.json")), shacl_graph=shapes, inference="none"
    )
    assert conforms, text


def test_a_passport_without_its_type_is_rejected(shapes: rdflib.Graph) -> None:
    document = mutated("lmt-ebike-nmc.json", lambda d: d.pop("@type"))
    _, sources = violations(document, shapes)
    assert sources == {BPRS.PassportTypeShape}


def test_a_misspelt_key_is_rejected_instead_of_dropped(shapes: rdflib.Graph) -> None:
    def typos(d: dict[str, Any]) -> None:
        d["batteryMas"] = d.pop("batteryMass")
        d["manufacturerInformation"]["nmae"] = d["manufacturerInformation"].pop("name")

    data, sources = violations(mutated("lmt-ebike-nmc.json", typos), shapes)
    assert (None, BPR.batteryMas, None) in data
    assert sources == {
        BPRS.BatteryPassportShape,  # closed: batteryMas is not a passport property
        BPRS["BatteryPassport-batteryMass-count"],  # and the mass is missing
        BPRS.OrganisationShape,  # closed: nmae (the name is not missing: the identifier identifies it)
        BPRS["BatteryPassport-manufacturerInformation-value"],  # the sh:node failure on the parent
    }


def conforms(document: dict[str, Any], shapes: rdflib.Graph) -> tuple[bool, str]:
    ok, _, text = pyshacl.validate(graph_with_pyld(document), shacl_graph=shapes, inference="none")
    return bool(ok), str(text)


def identified_by_identifier_alone(d: dict[str, Any]) -> None:
    for key in ("operatorInformation", "manufacturerInformation"):
        d[key] = {"identifier": d[key]["identifier"]}
    d["manufacturingPlace"] = {"identifier": "BPNS0000000000A1"}


def identified_by_name_and_address(d: dict[str, Any]) -> None:
    d["operatorInformation"].pop("identifier")
    d["manufacturingPlace"].pop("identifier")


def address_without_locality(d: dict[str, Any]) -> None:
    d["manufacturerInformation"]["postalAddress"].pop("addressLocality")


def substance_by_ec_number_without_class(d: dict[str, Any]) -> None:
    substance = d["hazardousSubstances"][0]
    substance.pop("hazardousSubstanceIdentifier")
    substance.pop("hazardousSubstanceClass")
    substance["hazardousSubstanceEcNumber"] = "244-334-7"  # lithium hexafluorophosphate


@pytest.mark.parametrize(
    "change",
    [
        identified_by_identifier_alone,
        identified_by_name_and_address,
        address_without_locality,
        substance_by_ec_number_without_class,
    ],
)
def test_what_the_regulation_does_not_ask_for_is_not_required(
    change: Callable[[dict[str, Any]], None], shapes: rdflib.Graph
) -> None:
    ok, text = conforms(mutated("ev-nmc-car-pack.json", change), shapes)
    assert ok, text


def test_an_organisation_named_without_identifier_also_needs_its_address(shapes: rdflib.Graph) -> None:
    def named_only(d: dict[str, Any]) -> None:
        d["operatorInformation"] = {"name": d["operatorInformation"]["name"]}

    _, sources = violations(mutated("ev-nmc-car-pack.json", named_only), shapes)
    assert sources == {
        BPRS.OrganisationIdentifiedShape,
        BPRS["BatteryPassport-operatorInformation-value"],  # the sh:node failure on the parent
    }


def test_a_link_without_a_scheme_is_rejected_with_a_plain_message(shapes: rdflib.Graph) -> None:
    document = mutated("ev-nmc-car-pack.json", lambda d: d.update(declarationOfConformity="doc/eu-doc.pdf"))
    data = graph_with_pyld(document)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    (result,) = top_results(report, BPRS["BatteryPassport-declarationOfConformity-value"])
    assert report.value(result, SH.sourceConstraintComponent) == SH.PatternConstraintComponent
    assert "absolute URI" in str(report.value(result, SH.resultMessage))
