"""Catena-X BatteryPass 6.1.0 (`urn:io.catenax.battery.battery_pass:6.1.0`) -> a passport in our JSON-LD.

Catena-X holds a whole passport in one document, grouped by topic (identification, operation, performance,
materials, ...). `convert` walks every attribute: those with a place in our model are carried over (units
converted to ours, enumeration labels to our SKOS codes), the others are reported as unmapped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from passport_registry.errors import UnprocessableInput
from passport_registry.importers import codes
from passport_registry.importers.document import PassportDocument, compact
from passport_registry.importers.report import ImportResult
from passport_registry.importers.values import Converter, pointer

SPEC_VERSION = "urn:io.catenax.battery.battery_pass:6.1.0"
SOURCE = "CatenaXBatteryPass"

# Catena-X writes "If there is no preceding passport, input a dummy value"; its example uses the nil UUID.
NIL_UUID = "urn:uuid:00000000-0000-0000-0000-000000000000"

# Catena-X MassUnitEnumeration -> kilograms per unit (exact conversion factors).
_KILOGRAMS_PER: Mapping[str, Decimal] = {
    "unit:gram": Decimal("0.001"),
    "unit:kilogram": Decimal(1),
    "unit:tonneMetricTon": Decimal(1000),
    "unit:tonUsOrShortTonUkorus": Decimal("907.18474"),
    "unit:ounceAvoirdupois": Decimal("0.028349523125"),
    "unit:pound": Decimal("0.45359237"),
}

# Catena-X ConcentrationEnumeration -> per cent per unit.
_PERCENT_PER: Mapping[str, Decimal] = {
    "unit:percent": Decimal(1),
    "unit:partPerThousand": Decimal("0.1"),
    "unit:partPerMillion": Decimal("0.0001"),
    "unit:partPerBillionUs": Decimal("0.0000001"),
    "unit:partPerTrillionUs": Decimal("0.0000000001"),
}

# Catena-X LifeEnumeration -> months per unit, where a calendar unit converts exactly to months.
_MONTHS_PER: Mapping[str, int] = {"unit:month": 1, "unit:year": 12}

# The carbon footprint per functional unit; other impact categories are not carbon footprints.
_CLIMATE_CHANGE_TOTAL = "Climate Change Total"
_CARBON_FOOTPRINT_UNITS = frozenset({"kg CO2 / kWh", "kg CO2e / kWh", "kgCO2e/kWh", "kg CO2 eq / kWh"})

_ANNEX_XIII_EXCLUDES = (
    "Annex XIII 1(a)-(b) asks for hazardous substances other than mercury, cadmium and lead; our model has "
    "no place for these three"
)


def convert(document: Mapping[str, Any], *, granularity: str | None = "item") -> ImportResult:
    """One passport from a Catena-X BatteryPass 6.1.0 document, and the issues met on the way.

    Raises UnprocessableInput when `document` is not an object or names another `specVersion`. A
    Catena-X battery passport describes one battery (it carries its serial number), hence `granularity`
    "item" unless the caller says otherwise (None leaves it out).
    """
    if not isinstance(document, Mapping):
        raise UnprocessableInput("A Catena-X BatteryPass document must be a JSON object.")
    version = document.get("specVersion")
    if version is not None and version != SPEC_VERSION:
        raise UnprocessableInput(f"Expected specVersion {SPEC_VERSION}, got {version!r}.")
    conv = Converter(SOURCE)
    doc = PassportDocument()
    for key, value in document.items():
        at = pointer(key)
        handler = _SECTIONS.get(key)
        if key == "specVersion":
            continue
        if handler is None or not isinstance(value, Mapping):
            conv.unmapped(at, value)
            continue
        handler(conv, doc, at, value)
    return ImportResult(doc.as_jsonld(granularity), conv.issues)


# --- sections --------------------------------------------------------------------------------------------


def _metadata(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "passportIdentifier":
            doc.set(conv, here, "batteryPassportIdentifier", conv.iri(here, value))
        elif key == "predecessor":
            if value == NIL_UUID:
                conv.unmapped(here, value, "Catena-X's placeholder for 'no preceding passport'")
            else:
                link = conv.iri(here, value)
                doc.extend("predecessor", [] if link is None else [link])
        elif key == "economicOperatorId":
            identifier = conv.text(here, value)
            doc.set(
                conv, here, "operatorInformation", None if identifier is None else {"identifier": identifier}
            )
        elif key == "lastModification":
            if isinstance(value, str) and len(value) == 10:
                conv.issue(here, value, "a date without a time of day; our lastModification is a date-time")
            else:
                doc.set(conv, here, key, conv.datetime(here, value))
        else:
            # status, version, issueDate, expirationDate, registrationIdentifier, backupReference:
            # registry metadata about the passport document, kept outside a passport body by design.
            conv.unmapped(here, value, "passport-document metadata; the registry keeps its own")


def _characteristics(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "physicalDimension" and isinstance(value, Mapping):
            for dimension, quantity in value.items():
                there = here + pointer(dimension)
                if dimension == "weight":
                    doc.set(
                        conv, there, "batteryMass", _quantity(conv, there, quantity, _KILOGRAMS_PER, "mass")
                    )
                else:
                    conv.unmapped(there, quantity)
        elif key == "warranty" and isinstance(value, Mapping):
            doc.set(conv, here, "warrantyPeriod", _warranty(conv, here, value))
        else:
            conv.unmapped(here, value)


def _warranty(conv: Converter, at: str, value: Mapping[str, Any]) -> str | None:
    unit = value.get("lifeUnit")
    if not isinstance(unit, str) or unit not in _MONTHS_PER:
        conv.issue(
            at,
            dict(value),
            f"a warranty in {unit} does not convert exactly to months, the unit of our warrantyPeriod",
        )
        return None
    count = conv.integer(at + "/lifeValue", value.get("lifeValue"))
    return None if count is None else str(int(count) * _MONTHS_PER[unit])


def _quantity(conv: Converter, at: str, value: Any, factors: Mapping[str, Decimal], what: str) -> str | None:
    if not isinstance(value, Mapping):
        conv.issue(at, value, "not an object with value and unit")
        return None
    unit = value.get("unit")
    if not isinstance(unit, str) or unit not in factors:
        conv.issue(at + "/unit", unit, f"not a {what} unit the importer converts")
        return None
    return conv.scaled(at + "/value", value.get("value"), factors[unit])


def _sustainability(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "status":
            doc.set(conv, here, "batteryStatus", conv.code(here, value, "status", "battery status"))
        elif key == "documents" and isinstance(value, Mapping):
            for kind, documents in value.items():
                there = here + pointer(kind)
                if kind in ("separateCollection", "wastePrevention"):
                    for link in _links(conv, there, documents):
                        doc.set(conv, there, kind, link)
                else:
                    conv.unmapped(there, documents)
        elif key == "carbonFootprint":
            for index, item in enumerate(_list(conv, here, value)):
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
            for index, plant in enumerate(_list(conv, here, value)):
                there = here + pointer(index)
                facility = plant.get("facility") if isinstance(plant, Mapping) else None
                identifier = conv.text(there + "/facility", facility)
                if identifier is not None:
                    plants.append({"identifier": identifier})
            doc.extend("carbonFootprintManufacturingPlant", plants)
        else:
            # rulebook, declaration: the PEF rules and the declaration document
            conv.unmapped(here, value)


def _identification(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "idDmc":
            doc.set(conv, here, "productIdentifier", conv.text(here, value))
        elif key == "category":
            doc.set(conv, here, "batteryCategory", conv.code(here, value, "category", "battery category"))
        elif key == "chemistry":
            doc.set(conv, here, "batteryChemistry", conv.code(here, value, "chemistry", "battery chemistry"))
        else:
            # identification.identification: batch, serial, part type, customs codes, classification,
            # data carrier -- part identities in Catena-X terms.
            conv.unmapped(here, value)


def _operation(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "intoServiceDate":
            doc.set(conv, here, "puttingIntoService", conv.date(here, value))
        elif key == "manufacturer" and isinstance(value, Mapping):
            for part, item in value.items():
                there = here + pointer(part)
                if part == "manufacturingDate":
                    doc.set(conv, there, "manufacturingDate", conv.date(there, item))
                elif part == "manufacturer":
                    identifier = conv.text(there, item)
                    organisation = None if identifier is None else {"identifier": identifier}
                    doc.set(conv, there, "manufacturerInformation", organisation)
                elif part == "facility":
                    facilities = [
                        conv.text(there + pointer(index) + "/facility", entry.get("facility"))
                        if isinstance(entry, Mapping)
                        else conv.text(there + pointer(index), entry)
                        for index, entry in enumerate(_list(conv, there, item))
                    ]
                    for facility in facilities:
                        if facility is not None:
                            doc.set(conv, there, "manufacturingPlace", {"identifier": facility})
                else:
                    conv.unmapped(there, item)
        else:
            conv.unmapped(here, value)


def _conformity(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "declarationOfConformity":
            for link in _links(conv, here, value):
                doc.set(conv, here, key, link)
        elif key == "resultOfTestReport":
            doc.extend(key, _documents(conv, here, value, "test-report"))
        elif key == "thirdPartyAssurance":
            doc.extend("thirdPartyAssurances", _links(conv, here, value))
        elif key == "dueDiligencePolicy":
            conv.unmapped(here, value, "a due diligence policy is not the due diligence report")
        else:
            conv.unmapped(here, value)


def _safety(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "usableExtinguishAgent":
            for index, agent in enumerate(_list(conv, here, value)):
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
            doc.extend("safetyMeasures", _documents(conv, here, value, "safety-instructions"))
        elif key in ("dismantling", "removalFromAppliance"):
            kind = "dismantling-manual" if key == "dismantling" else "removal-manual"
            doc.extend("dismantlingAndRemovalInformation", _documents(conv, here, value, kind))
        else:
            # safeDischarging, meaningOfLabels: documents our model has no attribute for
            conv.unmapped(here, value)


def _performance(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "rated" and isinstance(value, Mapping):
            _rated(conv, doc, here, value)
        elif key == "dynamic" and isinstance(value, Mapping):
            _dynamic(conv, doc, here, value)
        else:
            conv.unmapped(here, value)


# rated.<group>.<key> -> our root key, for values copied as decimals.
_RATED_DECIMALS: Mapping[tuple[str, str], str] = {
    ("roundTripEfficiency", "initial"): "roundTripEfficiency",
    ("roundTripEfficiency", "50PercentLife"): "roundTripEfficiencyAt50PerCentCycleLife",
    ("temperature", "lower"): "temperatureRangeIdleStateMinimum",
    ("temperature", "upper"): "temperatureRangeIdleStateMaximum",
    ("voltage", "min"): "minimumVoltage",
    ("voltage", "nominal"): "nominalVoltage",
    ("voltage", "max"): "maximumVoltage",
    ("energy", "value"): "ratedEnergy",
    ("capacity", "value"): "ratedCapacity",
    ("capacity", "thresholdExhaustion"): "capacityThresholdForExhaustion",
}


def _rated(conv: Converter, doc: PassportDocument, at: str, rated: Mapping[str, Any]) -> None:
    for group, value in rated.items():
        here = at + pointer(group)
        if group == "selfDischargingRate":
            doc.set(conv, here, "initialSelfDischarge", conv.decimal(here, value))
        elif group == "testReport":
            doc.extend("resultOfTestReport", _documents(conv, here, value, "test-report"))
        elif group == "lifetime" and isinstance(value, Mapping):
            _lifetime(conv, doc, here, value)
        elif group == "power" and isinstance(value, Mapping):
            for key, item in value.items():
                there = here + pointer(key)
                if key in ("at20SoC", "at80SoC"):
                    power = conv.decimal(there, item)
                    if power is not None:
                        soc = "20" if key == "at20SoC" else "80"
                        doc.extend("originalPowerCapability", [{"atSoC": soc, "powerCapabilityAt": power}])
                else:
                    # value: a rated power with no state of charge; temperature: the test temperature
                    conv.unmapped(there, item)
        elif group == "resistance" and isinstance(value, Mapping):
            for key, item in value.items():
                there = here + pointer(key)
                if key in ("cell", "module", "pack"):
                    ohms = conv.decimal(there, item)
                    if ohms is not None:
                        doc.extend(
                            "initialInternalResistance", [{"batteryComponent": key, "ohmicResistance": ohms}]
                        )
                else:
                    conv.unmapped(there, item)
        elif isinstance(value, Mapping) and any((group, key) in _RATED_DECIMALS for key in value):
            for key, item in value.items():
                there = here + pointer(key)
                if (group, key) in _RATED_DECIMALS:
                    doc.set(conv, there, _RATED_DECIMALS[group, key], conv.decimal(there, item))
                else:
                    # test conditions (temperature, depth of discharge) of a rated value
                    conv.unmapped(there, item)
        else:
            conv.unmapped(here, value)


def _lifetime(conv: Converter, doc: PassportDocument, at: str, lifetime: Mapping[str, Any]) -> None:
    for key, value in lifetime.items():
        here = at + pointer(key)
        if key == "expectedYears":
            doc.set(conv, here, "expectedLifetime", conv.integer(here, value))
        elif key == "report":
            for link in _links(conv, here, value):
                doc.set(conv, here, "lifetimeReferenceTest", link)
        elif key == "cycleLifeTesting" and isinstance(value, Mapping):
            for part, item in value.items():
                there = here + pointer(part)
                if part == "cycles":
                    doc.set(conv, there, "expectedNumberOfCycles", conv.integer(there, item))
                elif part == "appliedDischargeRate":
                    doc.set(conv, there, "cRateLifeCycleTest", conv.decimal(there, item))
                else:
                    conv.unmapped(there, item)
        else:
            conv.unmapped(here, value)


# dynamic.<group>.<key> ({value, time}) -> our timestamped root key; (group, None) for dynamic.<group>.
_DYNAMIC_TIMESTAMPED: Mapping[tuple[str, str | None], str] = {
    ("stateOfCharge", None): "stateOfCharge",
    ("fullCycles", None): "numberOfFullCycles",
    ("roundTripEfficiency", "remaining"): "remainingRoundTripEnergyEfficiency",
    ("capacity", "capacity"): "remainingCapacity",
    ("capacity", "throughput"): "capacityThroughput",
    ("energy", "remaining"): "remainingEnergy",
    ("energy", "soce"): "stateOfCertifiedEnergy",
    ("energy", "throughput"): "energyThroughput",
}

# dynamic.<group>.fade ({value, time}) -> our static fade figure (its time is not kept).
_DYNAMIC_FADES: Mapping[str, str] = {
    "roundTripEfficiency": "roundTripEfficiencyFade",
    "power": "powerFade",
    "capacity": "capacityFade",
}


def _dynamic(conv: Converter, doc: PassportDocument, at: str, dynamic: Mapping[str, Any]) -> None:
    for group, value in dynamic.items():
        here = at + pointer(group)
        if (group, None) in _DYNAMIC_TIMESTAMPED:
            doc.set(conv, here, _DYNAMIC_TIMESTAMPED[group, None], _timestamped(conv, here, value))
        elif group == "resistance" and isinstance(value, Mapping):
            for key, item in value.items():
                there = here + pointer(key)
                if key == "increase" and isinstance(item, Mapping):
                    doc.extend("internalResistanceIncrease", _resistance_increase(conv, there, item))
                else:
                    conv.unmapped(there, item, "our model holds the resistance increase, not the resistance")
        elif group in ("roundTripEfficiency", "capacity", "energy", "power") and isinstance(value, Mapping):
            for key, item in value.items():
                there = here + pointer(key)
                if (group, key) in _DYNAMIC_TIMESTAMPED:
                    doc.set(conv, there, _DYNAMIC_TIMESTAMPED[group, key], _timestamped(conv, there, item))
                elif key == "fade" and group in _DYNAMIC_FADES:
                    number = item.get("value") if isinstance(item, Mapping) else item
                    doc.set(conv, there, _DYNAMIC_FADES[group], conv.decimal(there + "/value", number))
                elif group == "power" and key == "remaining":
                    conv.issue(
                        there,
                        item,
                        "our remaining power capability is stated at a state of charge; none is given",
                    )
                else:
                    conv.unmapped(there, item)
        elif group == "selfDischargingRate":
            conv.issue(
                here, value, "our current self-discharge rate carries the time it was measured; none is given"
            )
        elif group == "negativeEvents":
            conv.issue(here, value, "our negative events carry a type and a time; documents give neither")
        else:
            # operatingEnvironment, performanceDocument
            conv.unmapped(here, value)


def _timestamped(conv: Converter, at: str, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, Mapping):
        conv.issue(at, value, "not an object with value and time")
        return None
    node: dict[str, Any] = {}
    for key, item in value.items():
        here = at + pointer(key)
        if key == "value":
            node["value"] = conv.decimal(here, item)
        elif key == "time":
            node["lastUpdate"] = conv.datetime(here, item)
        else:
            conv.unmapped(here, item)
    return compact(node)


def _resistance_increase(conv: Converter, at: str, value: Mapping[str, Any]) -> list[dict[str, Any]]:
    nodes = []
    for component, item in value.items():
        here = at + pointer(component)
        if component not in ("cell", "module", "pack"):
            conv.unmapped(here, item)
            continue
        stamped = _timestamped(conv, here, item)
        if stamped is not None:
            node = {"batteryComponent": component}
            if "value" in stamped:
                node["resistanceIncrease"] = stamped["value"]
            if "lastUpdate" in stamped:
                node["lastUpdate"] = stamped["lastUpdate"]
            nodes.append(node)
    return nodes


def _materials(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "hazardous" and isinstance(value, Mapping):
            for name, item in value.items():
                there = here + pointer(name)
                if name == "other":
                    substances = [
                        _hazardous_substance(conv, there + pointer(index), entry)
                        for index, entry in enumerate(_list(conv, there, item))
                    ]
                    doc.extend("hazardousSubstances", [node for node in substances if node])
                else:
                    conv.unmapped(there, item, _ANNEX_XIII_EXCLUDES)
        elif key == "active" and isinstance(value, Mapping):
            for name, item in value.items():
                there = here + pointer(name)
                if name in ("nickel", "lithium", "cobalt", "lead") and isinstance(item, Mapping):
                    _active_material(conv, doc, there, name, item)
                else:
                    conv.unmapped(there, item)
        elif key == "composition":
            materials = [
                _material(conv, here + pointer(index), entry)
                for index, entry in enumerate(_list(conv, here, value))
            ]
            doc.extend("batteryMaterials", [node for node in materials if node])
        else:
            conv.unmapped(here, value)


def _active_material(
    conv: Converter, doc: PassportDocument, at: str, name: str, item: Mapping[str, Any]
) -> None:
    for key, value in item.items():
        here = at + pointer(key)
        if key == "critical":
            found = codes.bundled()["material"].lookup(name)
            if value is True and len(found) == 1:
                doc.extend("criticalRawMaterials", sorted(found))
            elif value is True:
                conv.issue(here, value, f"{name} is not a critical raw material in our vocabulary")
        elif key == "recycled":
            conv.unmapped(
                here, value, "our recycled shares are split into pre- and post-consumer; this is not"
            )
        else:
            conv.unmapped(here, value)


def _identifiers(conv: Converter, at: str, value: Any) -> tuple[str | None, str | None]:
    """The name and CAS number among Catena-X material identifications (CAS / EC / IUPAC)."""
    name = cas = None
    for index, entry in enumerate(_list(conv, at, value)):
        here = at + pointer(index)
        if not isinstance(entry, Mapping):
            conv.issue(here, entry, "not an object")
            continue
        if name is None and isinstance(entry.get("name"), str):
            name = entry["name"]
        if entry.get("type") == "CAS" and cas is None:
            cas = conv.text(here + "/id", entry.get("id"))
        elif entry.get("type") != "CAS":
            conv.unmapped(here, dict(entry), "our model identifies substances by CAS number only")
    return name, cas


def _concentration(conv: Converter, at: str, item: Mapping[str, Any], unit_key: str) -> str | None:
    if "concentration" not in item:
        return None
    unit = item.get(unit_key)
    if not isinstance(unit, str) or unit not in _PERCENT_PER:
        conv.issue(at + pointer(unit_key), unit, "not a concentration unit the importer converts")
        return None
    return conv.scaled(at + "/concentration", item["concentration"], _PERCENT_PER[unit])


def _hazardous_substance(conv: Converter, at: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        conv.issue(at, item, "not an object")
        return {}
    name, cas = _identifiers(conv, at + "/materialIdentification", item.get("materialIdentification"))
    node: dict[str, Any] = {
        "hazardousSubstanceName": name,
        "hazardousSubstanceIdentifier": cas,
        "hazardousSubstanceConcentration": _concentration(conv, at, item, "materialUnit"),
    }
    for key, value in item.items():
        here = at + pointer(key)
        if key in ("materialIdentification", "concentration", "materialUnit"):
            continue
        if key == "location":
            node["hazardousSubstanceLocation"] = conv.code(here, value, "component", "component")
        elif key == "impactOfSubstances":
            node["hazardousSubstanceImpact"] = _links(conv, here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _material(conv: Converter, at: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        conv.issue(at, item, "not an object")
        return {}
    name, cas = _identifiers(conv, at + "/id", item.get("id"))
    node: dict[str, Any] = {"batteryMaterialName": name, "batteryMaterialIdentifier": cas}
    for key, value in item.items():
        here = at + pointer(key)
        if key == "id":
            continue
        if key == "location":
            node["batteryMaterialLocation"] = conv.code(here, value, "component", "component")
        elif key == "critical":
            node["isCriticalRawMaterial"] = conv.boolean(here, value)
        else:
            # concentration/unit, recycled, renewable, documentation: our material holds a mass, not these
            conv.unmapped(here, value)
    return compact(node)


def _unmapped_section(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    """commercial: placedOnMarket and purpose have no attribute in our model."""
    for key, value in section.items():
        conv.unmapped(at + pointer(key), value)


def _handling(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    content = section.get("content")
    for key, value in section.items():
        here = at + pointer(key)
        if key == "content" and isinstance(content, Mapping):
            for part, item in content.items():
                there = here + pointer(part)
                if part == "sparePart":
                    conv.unmapped(
                        there, item, "spare parts without their supplier; ours are listed per supplier"
                    )
                else:
                    conv.unmapped(there, item)
        else:
            conv.unmapped(here, value)


# --- shared pieces ---------------------------------------------------------------------------------------


def _documents(conv: Converter, at: str, value: Any, kind: str) -> list[dict[str, Any]]:
    """Our documents of type `kind` from a Catena-X document list ([{contentType, header, content}])."""
    documents = []
    for index, entry in enumerate(_list(conv, at, value)):
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


def _links(conv: Converter, at: str, value: Any) -> list[str]:
    """The links of a Catena-X document list, where our attribute holds a link only (headers dropped)."""
    return [document["documentURL"] for document in _documents(conv, at, value, "other")]


def _list(conv: Converter, at: str, value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    conv.issue(at, value, "not a list")
    return []


_SECTIONS: Mapping[str, Callable[[Converter, PassportDocument, str, Mapping[str, Any]], None]] = {
    "metadata": _metadata,
    "characteristics": _characteristics,
    "commercial": _unmapped_section,
    "sustainability": _sustainability,
    "identification": _identification,
    "operation": _operation,
    "conformity": _conformity,
    "safety": _safety,
    "performance": _performance,
    "materials": _materials,
    "handling": _handling,
}
