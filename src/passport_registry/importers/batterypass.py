"""Battery Pass data model v1.2.0 / v1.2.1 aspect payloads -> one passport in our JSON-LD.

The Battery Pass consortium model splits a passport into seven aspects (GeneralProductInformation,
CarbonFootprint, Circularity, Labels, MaterialComposition, Performance 1.2.1, SupplyChainDueDiligence),
each a separate JSON payload. `convert` takes any number of them for one battery and merges them into one
flat passport. Upstream key typos (`warrentyPeriod`, `supplyChainIndicies`, `thirdPartyAussurances`,
`batteryTechicalProperties`, `roundtripEfficiency`) are read, and their corrected spellings too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from passport_registry.errors import UnprocessableInput
from passport_registry.importers import codes
from passport_registry.importers.document import PassportDocument, compact
from passport_registry.importers.report import ImportResult
from passport_registry.importers.values import Converter, pointer

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


def aspect_of(payload: Mapping[str, Any]) -> str:
    """The name of the aspect whose keys `payload` uses; raises UnprocessableInput if none or several."""
    found = {name for name, keys in ASPECT_KEYS.items() if keys & payload.keys()}
    if len(found) != 1:
        what = "no" if not found else "more than one (" + ", ".join(sorted(found)) + ")"
        raise UnprocessableInput(f"The payload matches {what} Battery Pass aspect.")
    return found.pop()


def convert(payloads: Iterable[Mapping[str, Any]], *, granularity: str | None = "item") -> ImportResult:
    """One passport from the aspect payloads of one battery, and the issues met on the way.

    Each payload's aspect is recognised by its keys; two payloads of the same aspect are refused
    (UnprocessableInput). Values are carried over unchanged except for code mapping (enumeration labels
    to our SKOS codes, country names to ISO codes), the typed forms of numbers and dates, and nesting.
    Battery Pass passports describe one battery, hence `granularity` "item" unless the caller says
    otherwise (None leaves it out).
    """
    document = PassportDocument()
    issues = []
    seen: set[str] = set()
    for payload in payloads:
        if not isinstance(payload, Mapping):
            raise UnprocessableInput("A Battery Pass aspect payload must be a JSON object.")
        aspect = aspect_of(payload)
        if aspect in seen:
            raise UnprocessableInput(f"Two {aspect} payloads were given for one passport.")
        seen.add(aspect)
        converter = Converter(aspect)
        _ASPECTS[aspect](converter, document, payload)
        issues.extend(converter.issues)
    return ImportResult(document.as_jsonld(granularity), issues)


# --- one function per aspect -----------------------------------------------------------------------------


def _general(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    for key, value in payload.items():
        at = pointer(key)
        if key == "batteryPassportIdentifier":
            doc.set(conv, at, key, conv.iri(at, value))
        elif key == "productIdentifier":
            doc.set(conv, at, key, conv.text(at, value))
        elif key in ("operatorInformation", "manufacturerInformation"):
            doc.set(conv, at, key, _organisation(conv, at, value))
        elif key == "manufacturingPlace":
            address = _address(conv, at, value)
            doc.set(conv, at, key, None if address is None else {"postalAddress": address})
        elif key in ("manufacturingDate", "puttingIntoService"):
            doc.set(conv, at, key, conv.date(at, value))
        elif key in ("warrentyPeriod", "warrantyPeriod"):
            doc.set(conv, at, "warrantyPeriod", _warranty_months(conv, at, value))
        elif key == "batteryCategory":
            doc.set(conv, at, key, conv.code(at, value, "category", "battery category"))
        elif key == "batteryMass":
            doc.set(conv, at, key, conv.decimal(at, value))
        elif key == "batteryStatus":
            doc.set(conv, at, key, conv.code(at, value, "status", "battery status"))
        else:
            conv.unmapped(at, value)


def _warranty_months(conv: Converter, at: str, value: Any) -> str | None:
    # Upstream types the period as xsd:gMonth ("--06" = the month of June), which names a month of the
    # year, not a length of time; only a plain number of months says how long the warranty runs.
    if isinstance(value, int | float) and not isinstance(value, bool):
        return conv.integer(at, value)
    conv.issue(
        at,
        value,
        "a month of the year (xsd:gMonth) is not a warranty period; our warrantyPeriod is a number of months",
    )
    return None


def _carbon_footprint(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    for key, value in payload.items():
        at = pointer(key)
        if key in ("batteryCarbonFootprint", "absoluteCarbonFootprint"):
            doc.set(conv, at, key, conv.decimal(at, value))
        elif key == "carbonFootprintPerLifecycleStage":
            doc.extend(key, _items(conv, at, value, _lifecycle_stage))
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


def _circularity(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    for key, value in payload.items():
        at = pointer(key)
        if key == "renewableContent":
            doc.set(conv, at, key, conv.decimal(at, value))
        elif key == "dismantlingAndRemovalInformation":
            doc.extend(key, _items(conv, at, value, _dismantling_document))
        elif key == "recycledContent":
            for index, item in enumerate(_list(conv, at, value)):
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
            doc.extend(key, _items(conv, at, value, _spare_part_source))
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
                for index, agent in enumerate(_list(conv, here, item))
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
            node[key] = _address(conv, here, value)
        elif key == "components":
            node[key] = _items(conv, here, value, _component)
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


def _labels(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    for key, value in payload.items():
        at = pointer(key)
        if key == "declarationOfConformity":
            doc.set(conv, at, key, conv.iri(at, value))
        elif key == "resultOfTestReport":
            link = conv.iri(at, value)
            if link is not None:
                doc.extend(key, [{"documentURL": link, "documentType": "test-report"}])
        elif key == "labels":
            for index, item in enumerate(_list(conv, at, value)):
                _label(conv, doc, at + pointer(index), item)
        else:
            conv.unmapped(at, value)


# Our label-subject codes -> the root property that holds such a label.
_LABEL_PROPERTIES: Mapping[str, str] = {
    "separate-collection": "separateCollectionSymbol",
    "carbon-footprint": "carbonFootprintLabel",
    "cadmium": "cadmiumAndLeadSymbols",
    "lead": "cadmiumAndLeadSymbols",
}


def _label(conv: Converter, doc: PassportDocument, at: str, item: Mapping[str, Any]) -> None:
    # "HazardousMaterial" names both the cadmium and the lead symbol: reported as ambiguous, not guessed.
    code = conv.code(at + "/labelingSubject", item.get("labelingSubject"), "label-subject", "label subject")
    if code is None:
        return
    if code not in _LABEL_PROPERTIES:
        conv.unmapped(at, dict(item), f"our model holds no {code} label")
        return
    key = _LABEL_PROPERTIES[code]
    node: dict[str, Any] = {"labelingSubject": code}
    for part, value in item.items():
        here = at + pointer(part)
        if part == "labelingSymbol":
            node[part] = conv.iri(here, value)
        elif part == "labelingMeaning":
            node[part] = _language_map(conv, here, value)
        elif part != "labelingSubject":
            conv.unmapped(here, value)
    if key == "cadmiumAndLeadSymbols":
        doc.extend(key, [compact(node)])
    elif key in doc:
        conv.issue(at, dict(item), f"a second {code} label; the passport holds one")
    else:
        doc.set(conv, at, key, compact(node))


def _language_map(conv: Converter, at: str, value: Any) -> dict[str, str] | None:
    if isinstance(value, Mapping) and all(isinstance(text, str) for text in value.values()):
        return {str(language): text for language, text in value.items()}
    conv.issue(at, value, "not a map from language tags to texts")
    return None


def _material_composition(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    for key, value in payload.items():
        at = pointer(key)
        if key == "batteryChemistry":
            doc.set(conv, at, key, _chemistry(conv, at, value))
        elif key == "batteryMaterials":
            doc.extend(key, _items(conv, at, value, _material))
        elif key == "hazardousSubstances":
            doc.extend(key, _items(conv, at, value, _hazardous_substance))
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
                conv.text(here + pointer(index), text) for index, text in enumerate(_list(conv, here, value))
            ]
            node[key] = [text for text in texts if text is not None]
        else:
            conv.unmapped(here, value)
    return compact(node)


def _performance(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    for key, value in payload.items():
        at = pointer(key)
        if key in ("batteryTechicalProperties", "batteryTechnicalProperties") and isinstance(value, Mapping):
            _technical_properties(conv, doc, at, value)
        elif key == "batteryCondition" and isinstance(value, Mapping):
            _condition(conv, doc, at, value)
        else:
            conv.unmapped(at, value)


# Technical properties copied as decimals: upstream key -> our key.
_TECHNICAL_DECIMALS: Mapping[str, str] = {
    "ratedMaximumPower": "ratedMaximumPower",
    "powerCapabilityRatio": "powerCapabilityRatio",
    "ratedEnergy": "ratedEnergy",
    "initialSelfDischarge": "initialSelfDischarge",
    "roundtripEfficiency": "roundTripEfficiency",
    "roundTripEfficiency": "roundTripEfficiency",
    "ratedCapacity": "ratedCapacity",
    "nominalVoltage": "nominalVoltage",
    "minimumVoltage": "minimumVoltage",
    "maximumVoltage": "maximumVoltage",
    "capacityThresholdForExhaustion": "capacityThresholdForExhaustion",
    "cRateLifeCycleTest": "cRateLifeCycleTest",
    "roundTripEfficiencyat50PerCentCycleLife": "roundTripEfficiencyAt50PerCentCycleLife",
    "roundTripEfficiencyAt50PerCentCycleLife": "roundTripEfficiencyAt50PerCentCycleLife",
    "roundTripEfficiencyFade": "roundTripEfficiencyFade",
    "powerFade": "powerFade",
}


def _technical_properties(conv: Converter, doc: PassportDocument, at: str, value: Mapping[str, Any]) -> None:
    for key, item in value.items():
        here = at + pointer(key)
        if key in _TECHNICAL_DECIMALS:
            doc.set(conv, here, _TECHNICAL_DECIMALS[key], conv.decimal(here, item))
        elif key in ("expectedLifetime", "expectedNumberOfCycles"):
            doc.set(conv, here, key, conv.integer(here, item))
        elif key == "lifetimeReferenceTest":
            doc.set(conv, here, key, conv.iri(here, item))
        elif key == "originalPowerCapability":
            doc.extend(key, _items(conv, here, item, _power_capability))
        elif key == "initialInternalResistance":
            doc.extend(key, _items(conv, here, item, _internal_resistance))
        elif key == "temperatureRangeIdleState" and isinstance(item, Mapping):
            for bound, number in item.items():
                there = here + pointer(bound)
                if bound in ("minimum", "maximum"):
                    target = "temperatureRangeIdleState" + bound.capitalize()
                    doc.set(conv, there, target, conv.decimal(there, number))
                else:
                    conv.unmapped(there, number)
        else:
            conv.unmapped(here, item)


def _power_capability(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key in ("atSoC", "powerCapabilityAt"):
            node[key] = conv.decimal(here, value)
        elif key in ("rPCLastUpdated", "lastUpdate"):
            node["lastUpdate"] = conv.datetime(here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _internal_resistance(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key == "ohmicResistance":
            node[key] = conv.decimal(here, value)
        elif key == "batteryComponent":
            node[key] = conv.code(here, value, "component", "battery component")
        else:
            conv.unmapped(here, value)
    return compact(node)


# Dynamic values {<name>Value, lastUpdate} that become our timestamped values {value, lastUpdate}.
_TIMESTAMPED = frozenset(
    {
        "remainingCapacity",
        "remainingEnergy",
        "stateOfCertifiedEnergy",
        "stateOfCharge",
        "remainingRoundTripEnergyEfficiency",
        "currentSelfDischargingRate",
        "evolutionOfSelfDischarge",
        "numberOfFullCycles",
        "energyThroughput",
        "capacityThroughput",
    }
)


def _condition(conv: Converter, doc: PassportDocument, at: str, value: Mapping[str, Any]) -> None:
    for key, item in value.items():
        here = at + pointer(key)
        if key in _TIMESTAMPED and isinstance(item, Mapping):
            doc.set(conv, here, key, _timestamped(conv, here, item, key + "Value"))
        elif key == "capacityFade" and isinstance(item, Mapping):
            # Our capacity fade is a static figure (DIN DKE SPEC 99100 6.7.2.4): the value, not its time.
            for part, number in item.items():
                there = here + pointer(part)
                if part == "capacityFadeValue":
                    doc.set(conv, there, key, conv.decimal(there, number))
                else:
                    conv.unmapped(there, number, "our capacity fade is static and carries no time")
        elif key == "temperatureInformation" and isinstance(item, Mapping):
            stamp = item.get("lastUpdate")
            for part, number in item.items():
                there = here + pointer(part)
                if part == "lastUpdate":
                    continue
                if part in (
                    "timeExtremeHighTemp",
                    "timeExtremeLowTemp",
                    "timeExtremeHighTempCharging",
                    "timeExtremeLowTempCharging",
                ):
                    node = {
                        "value": conv.decimal(there, number),
                        "lastUpdate": conv.datetime(here + "/lastUpdate", stamp),
                    }
                    doc.set(conv, there, part, compact(node))
                else:
                    conv.unmapped(there, number)
        elif key == "remainingPowerCapability" and isinstance(item, Mapping):
            doc.extend(key, [_remaining_power(conv, here, item)])
        elif key == "internalResistanceIncrease":
            doc.extend(key, _items(conv, here, item, _resistance_increase))
        elif key == "negativeEvents":
            doc.extend(key, _items(conv, here, item, _negative_event))
        else:
            conv.unmapped(here, item)


def _timestamped(conv: Converter, at: str, item: Mapping[str, Any], value_key: str) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key == value_key:
            node["value"] = conv.decimal(here, value)
        elif key == "lastUpdate":
            node["lastUpdate"] = conv.datetime(here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _remaining_power(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    inner = item.get("remainingPowerCapabilityValue")
    if isinstance(inner, Mapping):
        node = _power_capability(conv, at + "/remainingPowerCapabilityValue", inner)
    for key, value in item.items():
        if key == "lastUpdate":
            if "lastUpdate" not in node:
                node["lastUpdate"] = conv.datetime(at + "/lastUpdate", value)
        elif key != "remainingPowerCapabilityValue" or not isinstance(inner, Mapping):
            conv.unmapped(at + pointer(key), value)
    return compact(node)


def _resistance_increase(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key == "internalResistanceIncreaseValue":
            node["resistanceIncrease"] = conv.decimal(here, value)
        elif key == "batteryComponent":
            node[key] = conv.code(here, value, "component", "battery component")
        elif key == "lastUpdate":
            node[key] = conv.datetime(here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _negative_event(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    # Battery Pass describes an event in free text only; our event type stays absent rather than guessed.
    node: dict[str, Any] = {}
    for key, value in item.items():
        here = at + pointer(key)
        if key == "negativeEvent":
            node[key] = conv.text(here, value)
        elif key == "lastUpdate":
            node[key] = conv.datetime(here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _supply_chain(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    for key, value in payload.items():
        at = pointer(key)
        if key == "supplyChainDueDiligenceReport":
            doc.set(conv, at, key, conv.iri(at, value))
        elif key in ("supplyChainIndicies", "supplyChainIndices"):
            doc.set(conv, at, "supplyChainIndices", conv.decimal(at, value))
        elif key in ("thirdPartyAussurances", "thirdPartyAssurances"):
            links = (
                [conv.iri(at, value)]
                if not isinstance(value, list)
                else [conv.iri(at + pointer(index), link) for index, link in enumerate(value)]
            )
            doc.extend("thirdPartyAssurances", [link for link in links if link is not None])
        else:
            conv.unmapped(at, value)


# --- shared pieces ---------------------------------------------------------------------------------------


def _organisation(conv: Converter, at: str, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        conv.issue(at, value, "not an object")
        return None
    node: dict[str, Any] = {}
    for key, item in value.items():
        here = at + pointer(key)
        if key in ("identifier", "name", "contactName", "emailAddress"):
            node[key] = conv.text(here, item)
        elif key == "webAddress":
            node[key] = conv.iri(here, item)
        elif key == "postalAddress":
            node[key] = _address(conv, here, item)
        else:
            conv.unmapped(here, item)
    return compact(node)


def _address(conv: Converter, at: str, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        conv.issue(at, value, "not an object")
        return None
    node: dict[str, Any] = {}
    for key, item in value.items():
        here = at + pointer(key)
        if key in ("streetAddress", "postalCode", "addressLocality"):
            node[key] = conv.text(here, item)
        elif key == "addressCountry":
            node[key] = conv.country(here, item)
        else:
            conv.unmapped(here, item)
    return compact(node)


def _list(conv: Converter, at: str, value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    conv.issue(at, value, "not a list")
    return []


def _items(
    conv: Converter,
    at: str,
    value: Any,
    one: Callable[[Converter, str, Mapping[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Each object of the list `value` converted by `one`; a non-object item is reported and skipped."""
    nodes = []
    for index, item in enumerate(_list(conv, at, value)):
        here = at + pointer(index)
        if isinstance(item, Mapping):
            nodes.append(one(conv, here, item))
        else:
            conv.issue(here, item, "not an object")
    return nodes


_ASPECTS: Mapping[str, Callable[[Converter, PassportDocument, Mapping[str, Any]], None]] = {
    "GeneralProductInformation": _general,
    "CarbonFootprint": _carbon_footprint,
    "Circularity": _circularity,
    "Labels": _labels,
    "MaterialComposition": _material_composition,
    "Performance": _performance,
    "SupplyChainDueDiligence": _supply_chain,
}
