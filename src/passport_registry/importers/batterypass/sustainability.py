"""The Battery Pass CarbonFootprint, MaterialComposition and Circularity aspects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers import codes
from passport_registry.importers.batterypass.nodes import address, objects
from passport_registry.importers.document import PassportDocument, compact
from passport_registry.importers.values import Converter, pointer


def carbon_footprint(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    """Root attributes from a CarbonFootprint payload."""
    for key, value in payload.items():
        at = pointer(key)
        if key in ("batteryCarbonFootprint", "absoluteCarbonFootprint"):
            doc.set(conv, at, key, conv.decimal(at, value))
        elif key == "carbonFootprintPerLifecycleStage":
            doc.extend(key, objects(conv, at, value, _lifecycle_stage))
        elif key == "carbonFootprintPerformanceClass":
            doc.set(conv, at, key, conv.text(at, value))
        elif key == "carbonFootprintStudy":
            doc.set(conv, at, key, conv.iri(at, value))
        else:
            conv.unmapped(at, value)


def _lifecycle_stage(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key == "lifecycleStage":
            node[key] = conv.code(here, value, "lifecycle-stage", "life-cycle stage")
        elif key == "carbonFootprint":
            node[key] = conv.decimal(here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def material_composition(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    """Root attributes from a MaterialComposition payload."""
    for key, value in payload.items():
        at = pointer(key)
        if key == "batteryChemistry":
            doc.set(conv, at, key, _chemistry(conv, at, value))
        elif key == "batteryMaterials":
            doc.extend(key, objects(conv, at, value, _material))
        elif key == "hazardousSubstances":
            doc.extend(key, objects(conv, at, value, _hazardous_substance))
        else:
            conv.unmapped(at, value)


def _chemistry(conv: Converter, at: str, value: Any) -> str | None:
    """The chemistry of {shortName, clearName}: the short name, else the clear name, must name it."""
    if not isinstance(value, Mapping):
        return conv.code(at, value, "chemistry", "battery chemistry")
    chemistries = codes.bundled()["chemistry"]
    for part in ("shortName", "clearName"):
        label = value.get(part)
        if isinstance(label, str) and len(found := chemistries.lookup(label)) == 1:
            return next(iter(found))
    part = "shortName" if "shortName" in value else "clearName"
    return conv.code(at + pointer(part), value.get(part), "chemistry", "battery chemistry")


def _location(conv: Converter, at: str, value: Any) -> str | None:
    if isinstance(value, Mapping):
        for key, part in value.items():
            if key != "componentName":
                conv.unmapped(at + pointer(key), part)
        return conv.code(at + "/componentName", value.get("componentName"), "component", "component")
    return conv.code(at, value, "component", "component")


def _material(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key in ("batteryMaterialName", "batteryMaterialIdentifier"):
            node[key] = conv.text(here, value)
        elif key == "batteryMaterialMass":
            node[key] = conv.decimal(here, value)
        elif key == "batteryMaterialLocation":
            node[key] = _location(conv, here, value)
        elif key == "isCriticalRawMaterial":
            node[key] = conv.boolean(here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _hazardous_substance(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key in ("hazardousSubstanceName", "hazardousSubstanceIdentifier"):
            node[key] = conv.text(here, value)
        elif key == "hazardousSubstanceClass":
            # Battery Pass 1.2.0 gives one class; our property takes several.
            labelled = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
            found = [
                conv.code(
                    here if index is None else here + pointer(index),
                    label,
                    "hazard-class",
                    "hazard class",
                )
                for index, label in labelled
            ]
            node[key] = [code for code in found if code is not None]
        elif key == "hazardousSubstanceConcentration":
            node[key] = conv.decimal(here, value)
        elif key == "hazardousSubstanceLocation":
            node[key] = _location(conv, here, value)
        elif key == "hazardousSubstanceImpact":
            texts = [
                conv.text(here + pointer(index), text) for index, text in enumerate(conv.listed(here, value))
            ]
            node[key] = [text for text in texts if text is not None]
        else:
            conv.unmapped(here, value)
    return compact(node)


def circularity(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    """Root attributes from a Circularity payload."""
    for key, value in payload.items():
        at = pointer(key)
        if key == "renewableContent":
            doc.set(conv, at, key, conv.decimal(at, value))
        elif key == "dismantlingAndRemovalInformation":
            doc.extend(key, objects(conv, at, value, _dismantling_document))
        elif key == "recycledContent":
            for index, item in enumerate(conv.listed(at, value)):
                _recycled_content(conv, doc, at + pointer(index), item)
        elif key == "endOfLifeInformation" and isinstance(value, Mapping):
            for part, link in value.items():
                here = at + pointer(part)
                if part in ("wastePrevention", "separateCollection", "informationOnCollection"):
                    doc.set(conv, here, part, conv.iri(here, link))
                else:
                    conv.unmapped(here, link)
        elif key == "safetyMeasures" and isinstance(value, Mapping):
            _safety_measures(conv, doc, at, value)
        elif key == "sparePartSources":
            doc.extend(key, objects(conv, at, value, _spare_part_source))
        else:
            conv.unmapped(at, value)


def _dismantling_document(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key == "documentType":
            node[key] = conv.code(here, value, "document-type", "document type")
        elif key == "mimeType":
            node[key] = conv.text(here, value)
        elif key == "documentURL":
            node[key] = conv.iri(here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _recycled_content(conv: Converter, doc: PassportDocument, at: str, item: Mapping[str, Any]) -> None:
    label = item.get("recycledMaterial")
    material = codes.RECYCLED_MATERIAL.get(label) if isinstance(label, str) else None
    if material is None:
        conv.issue(
            at + "/recycledMaterial", label, "our recycled shares are for nickel, cobalt, lithium and lead"
        )
    for key, value in item.items():
        here = at + pointer(key)
        if key == "recycledMaterial":
            continue
        if key in ("preConsumerShare", "postConsumerShare"):
            if material is not None:
                stage = "preConsumer" if key == "preConsumerShare" else "postConsumer"
                doc.set(conv, here, f"{stage}Recycled{material}Share", conv.decimal(here, value))
        else:
            conv.unmapped(here, value)


def _safety_measures(conv: Converter, doc: PassportDocument, at: str, value: Mapping[str, Any]) -> None:
    for key, item in value.items():
        here = at + pointer(key)
        if key == "safetyInstructions":
            link = conv.iri(here, item)
            if link is not None:
                doc.extend("safetyMeasures", [{"documentURL": link, "documentType": "safety-instructions"}])
        elif key == "extinguishingAgent":
            agents = [
                conv.code(here + pointer(index), agent, "extinguishing-agent", "extinguishing agent")
                for index, agent in enumerate(conv.listed(here, item))
            ]
            doc.extend("extinguishingAgent", [agent for agent in agents if agent is not None])
        else:
            conv.unmapped(here, item)


def _spare_part_source(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key in ("nameOfSupplier", "emailAddressOfSupplier"):
            node[key] = conv.text(here, value)
        elif key == "supplierWebAddress":
            node[key] = conv.iri(here, value)
        elif key == "addressOfSupplier":
            node[key] = address(conv, here, value)
        elif key == "components":
            node[key] = objects(conv, here, value, _component)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _component(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key in ("partName", "partNumber"):
            node[key] = conv.text(here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)
