"""The Battery Pass Performance 1.2.1 aspect: rated technical properties and the battery's condition."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.conversions import code, node, objects
from passport_registry.importers.tables import (
    Add,
    Custom,
    Section,
    Sink,
    Skip,
    To,
    Within,
    alike,
    compact,
    walk,
)
from passport_registry.importers.values import Converter, pointer

__all__ = ["PERFORMANCE"]

_POWER_CAPABILITY = Section(
    {
        **alike(Converter.decimal, "atSoC", "powerCapabilityAt"),
        "rPCLastUpdated": To("lastUpdate", Converter.datetime),
        "lastUpdate": To("lastUpdate", Converter.datetime),
    }
)
_COMPONENT = code("component", "battery component")

_TECHNICAL_PROPERTIES = Section(
    {
        **alike(
            Converter.decimal,
            "ratedMaximumPower",
            "powerCapabilityRatio",
            "ratedEnergy",
            "initialSelfDischarge",
            "roundTripEfficiency",
            "ratedCapacity",
            "nominalVoltage",
            "minimumVoltage",
            "maximumVoltage",
            "capacityThresholdForExhaustion",
            "cRateLifeCycleTest",
            "roundTripEfficiencyAt50PerCentCycleLife",
            "roundTripEfficiencyFade",
            "powerFade",
        ),
        "roundtripEfficiency": To("roundTripEfficiency", Converter.decimal),
        "roundTripEfficiencyat50PerCentCycleLife": To(
            "roundTripEfficiencyAt50PerCentCycleLife", Converter.decimal
        ),
        **alike(Converter.integer, "expectedLifetime", "expectedNumberOfCycles"),
        "lifetimeReferenceTest": To("lifetimeReferenceTest", Converter.iri),
        "originalPowerCapability": Add("originalPowerCapability", objects(_POWER_CAPABILITY)),
        "initialInternalResistance": Add(
            "initialInternalResistance",
            objects(
                Section(
                    {
                        "ohmicResistance": To("ohmicResistance", Converter.decimal),
                        "batteryComponent": To("batteryComponent", _COMPONENT),
                    }
                )
            ),
        ),
        "temperatureRangeIdleState": Within(
            Section(
                {
                    "minimum": To("temperatureRangeIdleStateMinimum", Converter.decimal),
                    "maximum": To("temperatureRangeIdleStateMaximum", Converter.decimal),
                }
            )
        ),
    }
)


_LAST_UPDATE = To("lastUpdate", Converter.datetime)


def _timestamped(key: str) -> To:
    """Our timestamped `key` {value, lastUpdate} from Battery Pass {<key>Value, lastUpdate}."""
    stamped = Section({key + "Value": To("value", Converter.decimal), "lastUpdate": _LAST_UPDATE})
    return To(key, node(stamped), objects_only=True)


_EXTREME_TEMPERATURES = (
    "timeExtremeHighTemp",
    "timeExtremeLowTemp",
    "timeExtremeHighTempCharging",
    "timeExtremeLowTempCharging",
)


def _temperature_information(conv: Converter, doc: Sink, at: str, item: Mapping[str, Any]) -> None:
    # One lastUpdate for four figures: each of our four timestamped values carries it.
    stamp = item.get("lastUpdate")

    def stamped(conv: Converter, here: str, number: Any) -> dict[str, Any]:
        return compact(
            {"value": conv.decimal(here, number), "lastUpdate": conv.datetime(at + "/lastUpdate", stamp)}
        )

    rows = {part: To(part, stamped) for part in _EXTREME_TEMPERATURES}
    walk(conv, doc, at, item, Section({"lastUpdate": Skip(), **rows}))


def _remaining_power(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    inner = item.get("remainingPowerCapabilityValue")
    if isinstance(inner, Mapping):
        found = node(_POWER_CAPABILITY)(conv, at + "/remainingPowerCapabilityValue", inner)
    for key, value in item.items():
        if key == "lastUpdate":
            if "lastUpdate" not in found:
                found["lastUpdate"] = conv.datetime(at + "/lastUpdate", value)
        elif key != "remainingPowerCapabilityValue" or not isinstance(inner, Mapping):
            conv.unmapped(at + pointer(key), value)
    return compact(found)


_CONDITION = Section(
    {
        **{
            key: _timestamped(key)
            for key in (
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
            )
        },
        # Our capacity fade is a static figure (DIN DKE SPEC 99100 6.7.2.4): the value, not its time.
        "capacityFade": Within(
            Section(
                {"capacityFadeValue": To("capacityFade", Converter.decimal)},
                otherwise="our capacity fade is static and carries no time",
            )
        ),
        "temperatureInformation": Custom(_temperature_information, objects_only=True),
        "remainingPowerCapability": Add("remainingPowerCapability", _remaining_power, objects_only=True),
        "internalResistanceIncrease": Add(
            "internalResistanceIncrease",
            objects(
                Section(
                    {
                        "internalResistanceIncreaseValue": To("resistanceIncrease", Converter.decimal),
                        "batteryComponent": To("batteryComponent", _COMPONENT),
                        "lastUpdate": _LAST_UPDATE,
                    }
                )
            ),
        ),
        # Battery Pass describes an event in free text only; our event type stays absent, not guessed.
        "negativeEvents": Add(
            "negativeEvents",
            objects(
                Section({"negativeEvent": To("negativeEvent", Converter.text), "lastUpdate": _LAST_UPDATE})
            ),
        ),
    }
)

PERFORMANCE = Section(
    {
        "batteryTechicalProperties": Within(_TECHNICAL_PROPERTIES),
        "batteryTechnicalProperties": Within(_TECHNICAL_PROPERTIES),
        "batteryCondition": Within(_CONDITION),
    }
)
