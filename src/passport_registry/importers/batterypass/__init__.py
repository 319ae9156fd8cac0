"""Battery Pass data model v1.2.0 / v1.2.1 aspect payloads -> one passport in our JSON-LD.

The Battery Pass consortium model splits a passport into seven aspects (GeneralProductInformation,
CarbonFootprint, Circularity, Labels, MaterialComposition, Performance 1.2.1, SupplyChainDueDiligence),
each a separate JSON payload. `convert` takes any number of them for one battery and merges them into one
flat passport. Upstream key typos (`warrentyPeriod`, `supplyChainIndicies`, `thirdPartyAussurances`,
`batteryTechicalProperties`, `roundtripEfficiency`) are read, and their corrected spellings too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from passport_registry.errors import UnprocessableInput
from passport_registry.importers.batterypass.performance import PERFORMANCE
from passport_registry.importers.batterypass.product import (
    GENERAL_PRODUCT_INFORMATION,
    LABELS,
    SUPPLY_CHAIN_DUE_DILIGENCE,
)
from passport_registry.importers.batterypass.sustainability import (
    CARBON_FOOTPRINT,
    CIRCULARITY,
    MATERIAL_COMPOSITION,
)
from passport_registry.importers.document import PassportDocument
from passport_registry.importers.models import CATENA_X, recognise
from passport_registry.importers.report import ImportResult
from passport_registry.importers.supplement import supplemented
from passport_registry.importers.tables import Section, walk
from passport_registry.importers.values import Converter

__all__ = ["ASPECT_KEYS", "BATTERY_PASS_SUPPORTED", "ImportResult", "aspect_of", "convert"]


# The top-level keys that identify each aspect payload (typos as upstream writes them, and corrected).
ASPECT_KEYS: Mapping[str, frozenset[str]] = {
    "GeneralProductInformation": frozenset(
        {
            "batteryPassportIdentifier",
            "productIdentifier",
            "operatorInformation",
            "manufacturerInformation",
            "manufacturingPlace",
            "manufacturingDate",
            "puttingIntoService",
            "warrentyPeriod",
            "warrantyPeriod",
            "batteryCategory",
            "batteryMass",
            "batteryStatus",
        }
    ),
    "CarbonFootprint": frozenset(
        {
            "batteryCarbonFootprint",
            "carbonFootprintPerLifecycleStage",
            "carbonFootprintPerformanceClass",
            "carbonFootprintStudy",
            "absoluteCarbonFootprint",
        }
    ),
    "Circularity": frozenset(
        {
            "renewableContent",
            "dismantlingAndRemovalInformation",
            "recycledContent",
            "endOfLifeInformation",
            "safetyMeasures",
            "sparePartSources",
        }
    ),
    "Labels": frozenset({"labels", "declarationOfConformity", "resultOfTestReport"}),
    "MaterialComposition": frozenset({"batteryChemistry", "batteryMaterials", "hazardousSubstances"}),
    "Performance": frozenset({"batteryTechicalProperties", "batteryTechnicalProperties", "batteryCondition"}),
    "SupplyChainDueDiligence": frozenset(
        {
            "supplyChainDueDiligenceReport",
            "supplyChainIndicies",
            "supplyChainIndices",
            "thirdPartyAussurances",
            "thirdPartyAssurances",
        }
    ),
}


#: What `convert` reads, as a message says it.
BATTERY_PASS_SUPPORTED = "Battery Pass v1.2.0 aspect payloads, Performance 1.2.1 ({})".format(
    ", ".join(ASPECT_KEYS)
)
MODEL = "a Battery Pass v1.2 aspect payload"


def aspect_of(payload: Any) -> str:
    """The name of the aspect whose keys `payload` uses; raises UnprocessableInput if it is another model
    (`importers.models`), or matches no aspect or several."""
    payload = recognise(
        payload,
        model=MODEL,
        supported=BATTERY_PASS_SUPPORTED,
        keys=frozenset().union(*ASPECT_KEYS.values()),
        others=[CATENA_X],
    )
    found = {name for name, keys in ASPECT_KEYS.items() if keys & payload.keys()}
    if len(found) != 1:
        raise UnprocessableInput(
            f"The payload has keys of more than one Battery Pass aspect ({', '.join(sorted(found))}); "
            "give each aspect as its own payload."
        )
    return found.pop()


def convert(
    payloads: Iterable[Mapping[str, Any]],
    *,
    granularity: str | None = "item",
    supplement: Mapping[str, Any] | None = None,
) -> ImportResult:
    """One passport from the aspect payloads of one battery, and the issues met on the way.

    Each payload's aspect is recognised by its keys; a payload of another model, or two payloads of the
    same aspect, are refused (UnprocessableInput, with `payload`: the index of the payload at fault, and
    `first`: the index of the earlier payload of the same aspect). Values are carried over unchanged
    except for code mapping (enumeration labels to our SKOS codes, country names to ISO codes), the
    typed forms of numbers and dates, and nesting. Battery Pass passports describe one battery, hence
    `granularity` "item" unless the caller says otherwise (None leaves it out). `supplement` adds
    attributes v1.2 cannot express, in our JSON keys; it never overrides an imported one (see
    `supplemented`).
    """
    document = PassportDocument()
    issues = []
    seen: dict[str, int] = {}
    for index, payload in enumerate(payloads):
        try:
            aspect = aspect_of(payload)
        except UnprocessableInput as exc:
            raise UnprocessableInput(exc.detail, payload=index) from None
        if aspect in seen:
            raise UnprocessableInput(
                f"A second {aspect} payload: a passport takes one payload per aspect.",
                payload=index,
                first=seen[aspect],
            )
        seen[aspect] = index
        converter = Converter(aspect)
        walk(converter, document, "", payload, _ASPECTS[aspect])
        issues.extend(converter.issues)
    return ImportResult(supplemented(document.as_jsonld(granularity), supplement), issues)


#: Each aspect's mapping table (see `importers.tables`).
_ASPECTS: Mapping[str, Section] = {
    "GeneralProductInformation": GENERAL_PRODUCT_INFORMATION,
    "CarbonFootprint": CARBON_FOOTPRINT,
    "Circularity": CIRCULARITY,
    "Labels": LABELS,
    "MaterialComposition": MATERIAL_COMPOSITION,
    "Performance": PERFORMANCE,
    "SupplyChainDueDiligence": SUPPLY_CHAIN_DUE_DILIGENCE,
}
