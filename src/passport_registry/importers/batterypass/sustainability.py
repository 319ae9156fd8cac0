"""The Battery Pass CarbonFootprint, MaterialComposition and Circularity aspects."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers import codes
from passport_registry.importers.batterypass.nodes import address
from passport_registry.importers.conversions import code, document, each, objects, one_or_each
from passport_registry.importers.tables import Add, Custom, Section, Sink, To, Within, alike, every_object
from passport_registry.importers.values import Converter, pointer

__all__ = ["CARBON_FOOTPRINT", "CIRCULARITY", "MATERIAL_COMPOSITION"]

CARBON_FOOTPRINT = Section(
    {
        **alike(Converter.decimal, "batteryCarbonFootprint", "absoluteCarbonFootprint"),
        "carbonFootprintPerLifecycleStage": Add(
            "carbonFootprintPerLifecycleStage",
            objects(
                Section(
                    {
                        "lifecycleStage": To("lifecycleStage", code("lifecycle-stage", "life-cycle stage")),
                        "carbonFootprint": To("carbonFootprint", Converter.decimal),
                    }
                )
            ),
        ),
        "carbonFootprintPerformanceClass": To("carbonFootprintPerformanceClass", Converter.text),
        "carbonFootprintStudy": To("carbonFootprintStudy", Converter.iri),
    }
)


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


MATERIAL_COMPOSITION = Section(
    {
        "batteryChemistry": To("batteryChemistry", _chemistry),
        "batteryMaterials": Add(
            "batteryMaterials",
            objects(
                Section(
                    {
                        **alike(Converter.text, "batteryMaterialName", "batteryMaterialIdentifier"),
                        "batteryMaterialMass": To("batteryMaterialMass", Converter.decimal),
                        "batteryMaterialLocation": To("batteryMaterialLocation", _location),
                        "isCriticalRawMaterial": To("isCriticalRawMaterial", Converter.boolean),
                    }
                )
            ),
        ),
        "hazardousSubstances": Add(
            "hazardousSubstances",
            objects(
                Section(
                    {
                        **alike(Converter.text, "hazardousSubstanceName", "hazardousSubstanceIdentifier"),
                        # Battery Pass 1.2.0 gives one class; our property takes several.
                        "hazardousSubstanceClass": To(
                            "hazardousSubstanceClass", one_or_each(code("hazard-class", "hazard class"))
                        ),
                        "hazardousSubstanceConcentration": To(
                            "hazardousSubstanceConcentration", Converter.decimal
                        ),
                        "hazardousSubstanceLocation": To("hazardousSubstanceLocation", _location),
                        "hazardousSubstanceImpact": To("hazardousSubstanceImpact", each(Converter.text)),
                    }
                )
            ),
        ),
    }
)


def _recycled_content(conv: Converter, doc: Sink, at: str, item: Mapping[str, Any]) -> None:
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


_SPARE_PART_SOURCE = Section(
    {
        **alike(Converter.text, "nameOfSupplier", "emailAddressOfSupplier"),
        "supplierWebAddress": To("supplierWebAddress", Converter.iri),
        "addressOfSupplier": To("addressOfSupplier", address),
        "components": To("components", objects(Section(alike(Converter.text, "partName", "partNumber")))),
    }
)

CIRCULARITY = Section(
    {
        "renewableContent": To("renewableContent", Converter.decimal),
        "dismantlingAndRemovalInformation": Add(
            "dismantlingAndRemovalInformation",
            objects(
                Section(
                    {
                        "documentType": To("documentType", code("document-type", "document type")),
                        "mimeType": To("mimeType", Converter.text),
                        "documentURL": To("documentURL", Converter.iri),
                    }
                )
            ),
        ),
        "recycledContent": Custom(every_object(_recycled_content)),
        "endOfLifeInformation": Within(
            Section(alike(Converter.iri, "wastePrevention", "separateCollection", "informationOnCollection"))
        ),
        "safetyMeasures": Within(
            Section(
                {
                    "safetyInstructions": Add("safetyMeasures", document("safety-instructions")),
                    "extinguishingAgent": Add(
                        "extinguishingAgent", each(code("extinguishing-agent", "extinguishing agent"))
                    ),
                }
            )
        ),
        "sparePartSources": Add("sparePartSources", objects(_SPARE_PART_SOURCE)),
    }
)
