"""The Battery Pass Performance 1.2.1 aspect: rated technical properties and the battery's condition."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.batterypass.nodes import objects
from passport_registry.importers.document import PassportDocument, compact
from passport_registry.importers.values import Converter, pointer


def performance(conv: Converter, doc: PassportDocument, payload: Mapping[str, Any]) -> None:
    """Root attributes from a Performance 1.2.1 payload (technical properties and condition)."""
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
            doc.extend(key, objects(conv, here, item, _power_capability))
        elif key == "initialInternalResistance":
            doc.extend(key, objects(conv, here, item, _internal_resistance))
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
            doc.extend(key, objects(conv, here, item, _resistance_increase))
        elif key == "negativeEvents":
            doc.extend(key, objects(conv, here, item, _negative_event))
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
