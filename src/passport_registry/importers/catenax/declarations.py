"""Catena-X sustainability, conformity and safety sections, and the document lists they are made of."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.document import PassportDocument
from passport_registry.importers.values import Converter, pointer

# The carbon footprint per functional unit; other impact categories are not carbon footprints.
_CLIMATE_CHANGE_TOTAL = "Climate Change Total"


_CARBON_FOOTPRINT_UNITS = frozenset({"kg CO2 / kWh", "kg CO2e / kWh", "kgCO2e/kWh", "kg CO2 eq / kWh"})


def sustainability(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    """Root attributes from `sustainability`: status, end-of-life documents, carbon footprint."""
    for key, value in section.items():
        here = at + pointer(key)
        if key == "status":
            doc.set(conv, here, "batteryStatus", conv.code(here, value, "status", "battery status"))
        elif key == "documents" and isinstance(value, Mapping):
            for kind, documents in value.items():
                there = here + pointer(kind)
                if kind in ("separateCollection", "wastePrevention"):
                    for link in links_of(conv, there, documents):
                        doc.set(conv, there, kind, link)
                else:
                    conv.unmapped(there, documents)
        elif key == "carbonFootprint":
            for index, item in enumerate(conv.listed(here, value)):
                _footprint(conv, doc, here + pointer(index), item)
        else:
            conv.unmapped(here, value)


def _footprint(conv: Converter, doc: PassportDocument, at: str, item: Any) -> None:
    if not isinstance(item, Mapping):
        conv.issue(at, item, "not an object")
        return
    if item.get("type") != _CLIMATE_CHANGE_TOTAL:
        conv.unmapped(at, dict(item), "an environmental footprint other than the carbon footprint")
        return
    unit = item.get("unit")
    stage = None
    if unit not in _CARBON_FOOTPRINT_UNITS:
        conv.issue(at + "/unit", unit, "our carbon footprint is in kg CO2e per kWh")
    else:
        stage = conv.code(at + "/lifecycle", item.get("lifecycle"), "lifecycle-stage", "life-cycle stage")
    for key, value in item.items():
        here = at + pointer(key)
        if key in ("type", "unit", "lifecycle"):
            continue
        if key == "value":
            number = conv.decimal(here, value) if stage is not None else None
            if number is not None:
                doc.extend(
                    "carbonFootprintPerLifecycleStage", [{"lifecycleStage": stage, "carbonFootprint": number}]
                )
        elif key == "performanceClass":
            doc.set(conv, here, "carbonFootprintPerformanceClass", conv.text(here, value))
        elif key == "manufacturingPlant":
            plants = []
            for index, plant in enumerate(conv.listed(here, value)):
                there = here + pointer(index)
                facility = plant.get("facility") if isinstance(plant, Mapping) else None
                identifier = conv.text(there + "/facility", facility)
                if identifier is not None:
                    plants.append({"identifier": identifier})
            doc.extend("carbonFootprintManufacturingPlant", plants)
        else:
            # rulebook, declaration: the PEF rules and the declaration document
            conv.unmapped(here, value)


def conformity(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    """Root attributes from `conformity`: declaration, test reports, third-party assurances."""
    for key, value in section.items():
        here = at + pointer(key)
        if key == "declarationOfConformity":
            for link in links_of(conv, here, value):
                doc.set(conv, here, key, link)
        elif key == "resultOfTestReport":
            doc.extend(key, documents_of(conv, here, value, "test-report"))
        elif key == "thirdPartyAssurance":
            doc.extend("thirdPartyAssurances", links_of(conv, here, value))
        elif key == "dueDiligencePolicy":
            conv.unmapped(here, value, "a due diligence policy is not the due diligence report")
        else:
            conv.unmapped(here, value)


def safety(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    """Root attributes from `safety`: extinguishing agents, safety and dismantling documents."""
    for key, value in section.items():
        here = at + pointer(key)
        if key == "usableExtinguishAgent":
            for index, agent in enumerate(conv.listed(here, value)):
                there = here + pointer(index)
                if not isinstance(agent, Mapping):
                    conv.issue(there, agent, "not an object")
                    continue
                for part, item in agent.items():
                    if part == "media":
                        code = conv.code(there + "/media", item, "extinguishing-agent", "extinguishing agent")
                        doc.extend("extinguishingAgent", [] if code is None else [code])
                    else:
                        conv.unmapped(there + pointer(part), item)
        elif key == "safetyMeasures":
            doc.extend("safetyMeasures", documents_of(conv, here, value, "safety-instructions"))
        elif key in ("dismantling", "removalFromAppliance"):
            kind = "dismantling-manual" if key == "dismantling" else "removal-manual"
            doc.extend("dismantlingAndRemovalInformation", documents_of(conv, here, value, kind))
        else:
            # safeDischarging, meaningOfLabels: documents our model has no attribute for
            conv.unmapped(here, value)


def documents_of(conv: Converter, at: str, value: Any, kind: str) -> list[dict[str, Any]]:
    """Our documents of type `kind` from a Catena-X document list ([{contentType, header, content}])."""
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


def links_of(conv: Converter, at: str, value: Any) -> list[str]:
    """The links of a Catena-X document list, where our attribute holds a link only (headers dropped)."""
    return [document["documentURL"] for document in documents_of(conv, at, value, "other")]
