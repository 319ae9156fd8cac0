"""The Catena-X performance section: rated values and dynamic (timestamped) values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.catenax.declarations import documents_of, links_of
from passport_registry.importers.conversions import node, wrap
from passport_registry.importers.tables import Add, Convert, Invalid, Section, To, ToEach, Within
from passport_registry.importers.values import Converter

__all__ = ["PERFORMANCE"]

_DECIMAL = Converter.decimal
_COMPONENTS = ("cell", "module", "pack")
_INCREASE = "internalResistanceIncrease"


def _power(soc: str) -> Convert:
    """Our original power capability at `soc` per cent state of charge."""
    return wrap("powerCapabilityAt", _DECIMAL, atSoC=soc)


def _resistance(component: str) -> Convert:
    """Our initial internal resistance of `component` (cell, module or pack)."""
    return wrap("ohmicResistance", _DECIMAL, batteryComponent=component)


def _rated(rows: dict[str, str]) -> Within:
    """A rated group whose members are decimals (source key -> our term); its test conditions
    (temperature, depth of discharge) are unmapped, and so is a group with none of the members."""
    return Within(Section({key: To(term, _DECIMAL) for key, term in rows.items()}), whole=True)


_RATED = Section(
    {
        "selfDischargingRate": To("initialSelfDischarge", _DECIMAL),
        "testReport": Add("resultOfTestReport", documents_of("test-report")),
        "lifetime": Within(
            Section(
                {
                    "expectedYears": To("expectedLifetime", Converter.integer),
                    "report": ToEach("lifetimeReferenceTest", links_of),
                    "cycleLifeTesting": Within(
                        Section(
                            {
                                "cycles": To("expectedNumberOfCycles", Converter.integer),
                                "appliedDischargeRate": To("cRateLifeCycleTest", _DECIMAL),
                            }
                        )
                    ),
                }
            )
        ),
        # value: a rated power with no state of charge; temperature: the test temperature
        "power": Within(
            Section(
                {
                    "at20SoC": Add("originalPowerCapability", _power("20")),
                    "at80SoC": Add("originalPowerCapability", _power("80")),
                }
            )
        ),
        "resistance": Within(
            Section({part: Add("initialInternalResistance", _resistance(part)) for part in _COMPONENTS})
        ),
        "roundTripEfficiency": _rated(
            {"initial": "roundTripEfficiency", "50PercentLife": "roundTripEfficiencyAt50PerCentCycleLife"}
        ),
        "temperature": _rated(
            {"lower": "temperatureRangeIdleStateMinimum", "upper": "temperatureRangeIdleStateMaximum"}
        ),
        "voltage": _rated({"min": "minimumVoltage", "nominal": "nominalVoltage", "max": "maximumVoltage"}),
        "energy": _rated({"value": "ratedEnergy"}),
        "capacity": _rated(
            {"value": "ratedCapacity", "thresholdExhaustion": "capacityThresholdForExhaustion"}
        ),
    }
)

_TIMESTAMPED = node(
    Section({"value": To("value", _DECIMAL), "time": To("lastUpdate", Converter.datetime)}),
    not_object="not an object with value and time",
)


def _fade(conv: Converter, at: str, value: Any) -> str | None:
    """A static fade figure from a timestamped one (its time is not kept)."""
    return conv.decimal(at + "/value", value.get("value") if isinstance(value, Mapping) else value)


def _increase(component: str) -> Convert:
    """Our internal resistance increase of `component`, from its timestamped value."""

    def convert(conv: Converter, at: str, value: Any) -> dict[str, Any] | None:
        stamped = _TIMESTAMPED(conv, at, value)
        if stamped is None:
            return None
        increase = {"batteryComponent": component}
        if "value" in stamped:
            increase["resistanceIncrease"] = stamped["value"]
        if "lastUpdate" in stamped:
            increase["lastUpdate"] = stamped["lastUpdate"]
        return increase

    return convert


# operatingEnvironment, performanceDocument: unmapped
_DYNAMIC = Section(
    {
        "stateOfCharge": To("stateOfCharge", _TIMESTAMPED),
        "fullCycles": To("numberOfFullCycles", _TIMESTAMPED),
        "resistance": Within(
            Section(
                {
                    "increase": Within(
                        Section({part: Add(_INCREASE, _increase(part)) for part in _COMPONENTS})
                    )
                },
                otherwise="our model holds the resistance increase, not the resistance",
            )
        ),
        "roundTripEfficiency": Within(
            Section(
                {
                    "remaining": To("remainingRoundTripEnergyEfficiency", _TIMESTAMPED),
                    "fade": To("roundTripEfficiencyFade", _fade),
                }
            )
        ),
        "capacity": Within(
            Section(
                {
                    "capacity": To("remainingCapacity", _TIMESTAMPED),
                    "throughput": To("capacityThroughput", _TIMESTAMPED),
                    "fade": To("capacityFade", _fade),
                }
            )
        ),
        "energy": Within(
            Section(
                {
                    "remaining": To("remainingEnergy", _TIMESTAMPED),
                    "soce": To("stateOfCertifiedEnergy", _TIMESTAMPED),
                    "throughput": To("energyThroughput", _TIMESTAMPED),
                }
            )
        ),
        "power": Within(
            Section(
                {
                    "fade": To("powerFade", _fade),
                    "remaining": Invalid(
                        "our remaining power capability is stated at a state of charge; none is given"
                    ),
                }
            )
        ),
        "selfDischargingRate": Invalid(
            "our current self-discharge rate carries the time it was measured; none is given"
        ),
        "negativeEvents": Invalid("our negative events carry a type and a time; documents give neither"),
    }
)

PERFORMANCE = Section({"rated": Within(_RATED), "dynamic": Within(_DYNAMIC)})
