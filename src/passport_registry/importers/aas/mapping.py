"""Our passport attributes <-> IDTA-02035 (Digital Battery Passport) submodel elements, as one table.

IDTA-02035 parts 1-7 (and IDTA-02099 DPP metadata) describe a battery passport as AAS submodels. A row
says: our top-level JSON key (and, for a node, the member of it), the submodel, the idShort path of the
element, its semanticId and XSD value type, and how a value converts. Both directions read this table:
`writing` puts each value where its row says, `reading` takes each element a row names back. What has no
row is carried in the registry's extension submodel (`EXTENSION`), element for element, with our terms as
semanticIds, so nothing a passport holds is lost (docs/aas.md lists what goes there).

The idShorts and semanticIds are those of the IDTA templates (admin-shell-io/submodel-templates,
"Digital Battery Passport" 1.0; CC BY 4.0, Industrial Digital Twin Association). Where a template types a
value more narrowly than our model (an integer percentage where ours is a decimal), the row says
xs:decimal so that every value we hold stays valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from passport_registry.importers.aas.submodels import EXTENSION, SUBMODELS, SubmodelKind

__all__ = ["EXTENSION", "ROWS", "SUBMODELS", "Conversion", "Row", "SubmodelKind"]

Conversion = Literal["text", "decimal", "integer", "date", "datetime", "months", "code"]


@dataclass(frozen=True)
class Row:
    """One of our attributes at one element of one IDTA submodel."""

    submodel: str
    path: tuple[str, ...]
    key: str
    member: str | None
    conversion: Conversion
    value_type: str
    semantic_id: str
    scheme: str | None = None  # the concept scheme of a "code" conversion
    #: The element at `path` is a SubmodelElementList of Properties (semanticId `semantic_id`) with
    #: this semanticId; our value is one of its items, or (`our_list`) the list of them.
    list_semantic_id: str | None = None
    our_list: bool = False


_NP = "urn:samm:io.admin-shell.idta.batterypass.digital_nameplate:1.0.0#"
_TD0 = "urn:samm:io.admin-shell.idta.batterypass.technical_data:1.0.0#"
_TD1 = "urn:samm:io.admin-shell.idta.batterypass.technical_data:1.0.1#"
_PC = "urn:samm:io.admin-shell.idta.batterypass.product_condition:1.0.1#"
_MC = "urn:samm:io.admin-shell.idta.batterypass.material_composition:1.0.1#"
_CI = "urn:samm:io.admin-shell.idta.batterypass.circularity:1.0.0#"
_DM = "urn:samm:io.admin-shell.idta.dpp.dpp_metadata:1.0.0#"
_DOCUMENT = "urn:samm:io.admin-shell.idta.handover_documentation:2.0.0#DocumentIdentifier"


def _rows() -> tuple[Row, ...]:
    rows: list[Row] = []

    def add(
        submodel: str,
        path: str,
        key: str,
        conversion: Conversion,
        value_type: str,
        semantic_id: str,
        *,
        member: str | None = None,
        scheme: str | None = None,
        list_semantic_id: str | None = None,
        our_list: bool = False,
    ) -> None:
        steps = tuple(path.split("/"))
        row = Row(
            submodel,
            steps,
            key,
            member,
            conversion,
            value_type,
            semantic_id,
            scheme,
            list_semantic_id,
            our_list,
        )
        rows.append(row)

    # IDTA-02035-1 Digital Nameplate
    nameplate = "BatteryNameplate"
    add(nameplate, "DateOfManufacture", "manufacturingDate", "date", "xs:date", "0112/2///61987#ABB757#007")
    add(
        nameplate,
        "DateOfPuttingIntoService",
        "puttingIntoService",
        "date",
        "xs:date",
        _NP + "dateOfPuttingIntoService",
    )
    add(
        nameplate,
        "UniqueFacilityIdentifier",
        "manufacturingPlace",
        "text",
        "xs:string",
        "https://admin-shell.io/idta/nameplate/3/0/UniqueFacilityIdentifier",
        member="identifier",
    )
    add(
        nameplate,
        "LifeCycleStage",
        "batteryStatus",
        "code",
        "xs:string",
        "0173-1#02-ABL841#001",
        scheme="status",
    )
    add(
        nameplate,
        "OperatorIdentifier",
        "operatorInformation",
        "text",
        "xs:string",
        _NP + "operatorIdentifier",
        member="identifier",
    )
    add(
        nameplate,
        "ManufacturerIdentifier",
        "manufacturerInformation",
        "text",
        "xs:string",
        _TD0 + "manufacturerIdentifier",
        member="identifier",
    )
    add(
        nameplate,
        "EUDeclarationOfConformity",
        "declarationOfConformity",
        "text",
        "xs:string",
        _DOCUMENT,
        list_semantic_id=_NP + "euDeclarationOfConformity",
    )
    # IDTA-02035-4 Technical Data
    general = "TechnicalData", "GeneralInformation/"
    add(
        general[0],
        general[1] + "BatteryCategory",
        "batteryCategory",
        "code",
        "xs:string",
        _TD0 + "batteryCategory",
        scheme="category",
    )
    add(general[0], general[1] + "BatteryMass", "batteryMass", "decimal", "xs:float", _TD0 + "batteryMass")
    add(
        general[0],
        general[1] + "WarrantyInformation/WarrantyPeriod",
        "warrantyPeriod",
        "months",
        "xs:string",
        _TD1 + "warrantyPeriod",
    )
    areas = "TechnicalPropertyAreas/"
    for path, key, value_type, semantic_id in (
        ("CapacityEnergyVoltage/NominalVoltage", "nominalVoltage", "xs:float", "0173-1#02-ABL588#001"),
        ("CapacityEnergyVoltage/MinVoltage", "minimumVoltage", "xs:float", "0173-1#02-ABL587#001"),
        ("CapacityEnergyVoltage/MaxVoltage", "maximumVoltage", "xs:float", "0173-1#02-ABL589#001"),
        ("CapacityEnergyVoltage/RatedCapacity", "ratedCapacity", "xs:float", "0173-1#02-ABL869#002"),
        ("CapacityEnergyVoltage/CapacityFade", "capacityFade", "xs:float", "0173-1#02-ABL828#002"),
        (
            "RoundTripEnergyEfficiency/InitialRoundTripEnergyEfficiency",
            "roundTripEfficiency",
            "xs:decimal",
            "0173-1#02-ABL833#002",
        ),
        (
            "RoundTripEnergyEfficiency/RoundTripEnergyEfficiencyAt50PercentOfCycleLife",
            "roundTripEfficiencyAt50PerCentCycleLife",
            "xs:decimal",
            "0173-1#02-ABL866#002",
        ),
        (
            "RoundTripEnergyEfficiency/EnergyRoundTripEfficiencyFade",
            "roundTripEfficiencyFade",
            "xs:float",
            "0173-1#02-ABL827#002",
        ),
        (
            "RoundTripEnergyEfficiency/InitialSelfDischargingRate",
            "initialSelfDischarge",
            "xs:decimal",
            "0173-1#02-ABL834#002",
        ),
        (
            "PowerCapability/MaximumPermittedBatteryPower",
            "ratedMaximumPower",
            "xs:float",
            "0173-1#02-ABL843#002",
        ),
        ("PowerCapability/PowerFade", "powerFade", "xs:float", "0173-1#02-ABL852#002"),
        (
            "PowerCapability/RatioNorminalBatteryPowerAndBatteryEnergy",
            "powerCapabilityRatio",
            "xs:float",
            _TD0 + "powerCapabilityRatio",
        ),
        (
            "Temperature/TemperatureRangeIdleState_LowerBoundary",
            "temperatureRangeIdleStateMinimum",
            "xs:float",
            "0173-1#02-ABL842#002",
        ),
        (
            "Temperature/TemperatureRangeIdleState_UpperBoundary",
            "temperatureRangeIdleStateMaximum",
            "xs:float",
            "0173-1#02-ABL871#002",
        ),
        (
            "Lifetime/CapacityThresholdExhaustion",
            "capacityThresholdForExhaustion",
            "xs:float",
            "0173-1#02-ABL838#002",
        ),
        (
            "Lifetime/CRateOfRelevantCycleLifeTest",
            "cRateLifeCycleTest",
            "xs:decimal",
            _TD0 + "cRateLifeCycleTest",
        ),
    ):
        add("TechnicalData", areas + path, key, "decimal", value_type, semantic_id)
    add(
        "TechnicalData",
        areas + "Lifetime/ExpectedLifetimeInCalendarYears",
        "expectedLifetime",
        "integer",
        "xs:unsignedInt",
        _TD0 + "expectedLifetime",
    )
    add(
        "TechnicalData",
        areas + "Lifetime/ExpectedNumberOfCycles",
        "expectedNumberOfCycles",
        "integer",
        "xs:unsignedInt",
        _TD0 + "expectedNumberOfCycles",
    )
    # IDTA-02035-5 Product Condition: our dynamic {value, lastUpdate} nodes are its {...Value, LastUpdate}.
    for name, key in (
        ("EnergyThroughput", "energyThroughput"),
        ("CapacityThroughput", "capacityThroughput"),
        ("NumberOfFullCycles", "numberOfFullCycles"),
        ("StateOfCertifiedEnergy", "stateOfCertifiedEnergy"),
        ("RemainingEnergy", "remainingEnergy"),
        ("RemainingCapacity", "remainingCapacity"),
        ("EvolutionOfSelfDischarge", "evolutionOfSelfDischarge"),
        ("CurrentSelfDischargingRate", "currentSelfDischargingRate"),
        ("RemainingRoundTripEnergyEfficiency", "remainingRoundTripEnergyEfficiency"),
        ("StateOfCharge", "stateOfCharge"),
        ("TemperatureInformation", "temperatureInformation"),
    ):
        value = "MeasuredTemp" if name == "TemperatureInformation" else name + "Value"
        term = value[0].lower() + value[1:]
        add("ProductCondition", f"{name}/{value}", key, "decimal", "xs:decimal", _PC + term, member="value")
        add(
            "ProductCondition",
            f"{name}/LastUpdate",
            key,
            "datetime",
            "xs:dateTime",
            _PC + "lastUpdate",
            member="lastUpdate",
        )
    # IDTA-02035-6 Material Composition, -7 Circularity
    add(
        "MaterialComposition",
        "BatteryChemistry/ShortName",
        "batteryChemistry",
        "code",
        "xs:string",
        _MC + "shortName",
        scheme="chemistry",
    )
    for path, key in (
        ("EndOfLifeInformation/WastePrevention", "wastePrevention"),
        ("EndOfLifeInformation/SeparateCollection", "separateCollection"),
        ("EndOfLifeInformation/InformationOnCollection", "informationOnCollection"),
    ):
        term = path.rsplit("/", 1)[1]
        add(
            "Circularity",
            path,
            key,
            "text",
            "xs:string",
            _DOCUMENT,
            list_semantic_id=_CI + term[0].lower() + term[1:],
        )
    add(
        "Circularity",
        "SafetyMeasures/ExtinguishingAgents",
        "extinguishingAgent",
        "code",
        "xs:string",
        _CI + "ExtinguishingAgent",
        scheme="extinguishing-agent",
        list_semantic_id=_CI + "extinguishingAgents",
        our_list=True,
    )
    add(
        "Circularity", "RenewableContent", "renewableContent", "decimal", "xs:float", _CI + "renewableContent"
    )
    # IDTA-02099 DPP metadata (the EN 18223 header, as docs/dpp.md maps it)
    add(
        "DppMetadata",
        "digitalProductPassportId",
        "batteryPassportIdentifier",
        "text",
        "xs:string",
        _DM + "digitalProductPassportId",
    )
    add(
        "DppMetadata",
        "uniqueProductIdentifier",
        "productIdentifier",
        "text",
        "xs:string",
        _DM + "uniqueProductIdentifier",
    )
    add(
        "DppMetadata",
        "granularity",
        "granularity",
        "code",
        "xs:string",
        _DM + "granularity",
        scheme="granularity",
    )
    add("DppMetadata", "dppSchemaVersion", "schemaVersion", "text", "xs:string", _DM + "dppSchemaVersion")
    add("DppMetadata", "lastUpdate", "lastModification", "datetime", "xs:dateTime", _DM + "lastUpdate")
    add(
        "DppMetadata",
        "economicOperatorId",
        "operatorInformation",
        "text",
        "xs:string",
        _DM + "economicOperatorId",
        member="identifier",
    )
    add(
        "DppMetadata",
        "facilityId",
        "manufacturingPlace",
        "text",
        "xs:string",
        _DM + "facilityId",
        member="identifier",
    )
    return tuple(rows)


ROWS: tuple[Row, ...] = _rows()
