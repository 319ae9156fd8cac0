"""Catena-X sustainability, conformity and safety sections, and the document lists they are made of."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.conversions import code
from passport_registry.importers.tables import (
    Add,
    Convert,
    Custom,
    EachWithin,
    Section,
    Sink,
    Skip,
    To,
    ToEach,
    Unmapped,
    Within,
    every_object,
    walk,
)
from passport_registry.importers.values import Converter, pointer

__all__ = ["CONFORMITY", "SAFETY", "SUSTAINABILITY", "documents_of", "links_of"]

# The carbon footprint per functional unit; other impact categories are not carbon footprints.
_CLIMATE_CHANGE_TOTAL = "Climate Change Total"
_CARBON_FOOTPRINT_UNITS = frozenset({"kg CO2 / kWh", "kg CO2e / kWh", "kgCO2e/kWh", "kg CO2 eq / kWh"})


def documents_of(kind: str) -> Convert:
    """Our documents of type `kind` from a Catena-X document list ([{contentType, header, content}])."""

    def convert(conv: Converter, at: str, value: Any) -> list[dict[str, Any]]:
        documents = []
        for index, entry in enumerate(conv.listed(at, value)):
            here = at + pointer(index)
            if not isinstance(entry, Mapping) or entry.get("contentType") != "URL":
                conv.issue(here, entry, "not a document given by URL")
                continue
            link = conv.iri(here + "/content", entry.get("content"))
            if link is None:
                continue
            document = {"documentURL": link, "documentType": kind}
            if isinstance(entry.get("header"), str):
                document["title"] = entry["header"]
            documents.append(document)
        return documents

    return convert


def links_of(conv: Converter, at: str, value: Any) -> list[str]:
    """The links of a Catena-X document list, where our attribute holds a link only (headers dropped)."""
    return [document["documentURL"] for document in documents_of("other")(conv, at, value)]


def _plants(conv: Converter, at: str, value: Any) -> list[dict[str, str]]:
    plants = []
    for index, plant in enumerate(conv.listed(at, value)):
        facility = plant.get("facility") if isinstance(plant, Mapping) else None
        identifier = conv.text(at + pointer(index) + "/facility", facility)
        if identifier is not None:
            plants.append({"identifier": identifier})
    return plants


def _footprint(conv: Converter, doc: Sink, at: str, item: Mapping[str, Any]) -> None:
    if item.get("type") != _CLIMATE_CHANGE_TOTAL:
        conv.unmapped(at, dict(item), "an environmental footprint other than the carbon footprint")
        return
    unit = item.get("unit")
    stage = None
    if not isinstance(unit, str) or unit not in _CARBON_FOOTPRINT_UNITS:
        conv.issue(at + "/unit", unit, "our carbon footprint is in kg CO2e per kWh")
    else:
        stage = conv.code(at + "/lifecycle", item.get("lifecycle"), "lifecycle-stage", "life-cycle stage")

    def per_stage(conv: Converter, here: str, value: Any) -> dict[str, Any] | None:
        number = conv.decimal(here, value) if stage is not None else None
        return None if number is None else {"lifecycleStage": stage, "carbonFootprint": number}

    # rulebook, declaration (the PEF rules and the declaration document) are unmapped
    footprint = Section(
        {
            "type": Skip(),
            "unit": Skip(),
            "lifecycle": Skip(),
            "value": Add("carbonFootprintPerLifecycleStage", per_stage),
            "performanceClass": To("carbonFootprintPerformanceClass", Converter.text),
            "manufacturingPlant": Add("carbonFootprintManufacturingPlant", _plants),
        }
    )
    walk(conv, doc, at, item, footprint)


SUSTAINABILITY = Section(
    {
        "status": To("batteryStatus", code("status", "battery status")),
        "documents": Within(
            Section(
                {
                    "separateCollection": ToEach("separateCollection", links_of),
                    "wastePrevention": ToEach("wastePrevention", links_of),
                }
            )
        ),
        "carbonFootprint": Custom(every_object(_footprint)),
    }
)

CONFORMITY = Section(
    {
        "declarationOfConformity": ToEach("declarationOfConformity", links_of),
        "resultOfTestReport": Add("resultOfTestReport", documents_of("test-report")),
        "thirdPartyAssurance": Add("thirdPartyAssurances", links_of),
        "dueDiligencePolicy": Unmapped("a due diligence policy is not the due diligence report"),
    }
)

# safeDischarging, meaningOfLabels: documents our model has no attribute for
SAFETY = Section(
    {
        "usableExtinguishAgent": EachWithin(
            Section({"media": Add("extinguishingAgent", code("extinguishing-agent", "extinguishing agent"))})
        ),
        "safetyMeasures": Add("safetyMeasures", documents_of("safety-instructions")),
        "dismantling": Add("dismantlingAndRemovalInformation", documents_of("dismantling-manual")),
        "removalFromAppliance": Add("dismantlingAndRemovalInformation", documents_of("removal-manual")),
    }
)
