"""The IDTA-02035 submodels (and IDTA-02099 DPP metadata) a passport is presented in, and the registry's
extension submodel for every attribute IDTA-02035 has no element for."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["EXTENSION", "SUBMODELS", "SubmodelKind"]

_DM = "urn:samm:io.admin-shell.idta.dpp.dpp_metadata:1.0.0#"


@dataclass(frozen=True)
class SubmodelKind:
    """One IDTA submodel: its idShort, its semanticId, and idShorts only it has at its top level (how a
    SAMM JSON payload, which does not name its submodel, is recognised)."""

    id_short: str
    semantic_id: str
    markers: frozenset[str]


#: The registry's own submodel: every attribute without a row, with our ontology terms as semanticIds.
EXTENSION = SubmodelKind(
    "BatteryPassportRegistryExtension",
    "https://w3id.org/passport-registry/battery/aas/Extension",
    frozenset(),
)

SUBMODELS: tuple[SubmodelKind, ...] = (
    SubmodelKind(
        "BatteryNameplate",
        "https://admin-shell.io/idta/digitalbatterypassport/nameplate/1/0/Nameplate",
        frozenset(
            {"URIOfTheProduct", "DateOfManufacture", "LifeCycleStage", "OperatorIdentifier", "Markings"}
        ),
    ),
    SubmodelKind("HandoverDocumentation", "0173-1#01-AHF578#003", frozenset({"Documents"})),
    SubmodelKind(
        "CarbonFootprint",
        "https://admin-shell.io/idta/CarbonFootprint/CarbonFootprint/1/0",
        frozenset({"ProductCarbonFootprints"}),
    ),
    SubmodelKind(
        "TechnicalData",
        "https://admin-shell.io/idta/digitalbatterypassport/TechnicalData/1/0",
        frozenset({"GeneralInformation", "TechnicalPropertyAreas"}),
    ),
    SubmodelKind(
        "ProductCondition",
        "urn:samm:io.admin-shell.idta.batterypass.product_condition:1.0.0#ProductCondition",
        frozenset({"EnergyThroughput", "StateOfCharge", "NumberOfFullCycles", "NegativeEvents"}),
    ),
    SubmodelKind(
        "MaterialComposition",
        "urn:samm:io.admin-shell.idta.batterypass.material_composition:1.0.0#MaterialComposition",
        frozenset({"BatteryChemistry", "BatteryMaterials", "HazardousSubstances"}),
    ),
    SubmodelKind(
        "Circularity",
        "urn:samm:io.admin-shell.idta.batterypass.circularity:1.0.0#Circularity",
        frozenset({"DismantlingAndRemovalInformation", "SparePartSources", "RenewableContent"}),
    ),
    SubmodelKind(
        "DppMetadata",
        _DM + "DppMetadata",
        frozenset({"digitalProductPassportId", "uniqueProductIdentifier", "dppSchemaVersion"}),
    ),
)
