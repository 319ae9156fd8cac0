"""The Catena-X performance section: rated values and dynamic (timestamped) values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.catenax.declarations import documents_of, links_of
from passport_registry.importers.document import PassportDocument, compact
from passport_registry.importers.values import Converter, pointer


def performance(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    """Root attributes from `performance`: rated and dynamic values."""
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
            doc.extend("resultOfTestReport", documents_of(conv, here, value, "test-report"))
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
            for link in links_of(conv, here, value):
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
