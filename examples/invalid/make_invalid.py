"""Writes the invalid example passports of examples/invalid/ and their manifest from the valid examples.

Each invalid passport is one valid example from examples/passports/ with exactly one thing changed, so that
SHACL validation against shapes/battery-passport.ttl reports exactly one violation (plus, for a fault in a
nested node, the sh:node results that carry it up to the root, as SHACL's sh:node defines). The manifest
names that violation: the property IRI of its result path (null for the node-level rules that have no
path), its constraint component, and whether its focus node is the passport root or a nested node.

Run from anywhere with `python examples/invalid/make_invalid.py`; it needs only the standard library.
tests/test_invalid_examples.py checks that the committed files are what this script writes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VALID = HERE.parent / "passports"
BPR = "https://w3id.org/passport-registry/battery#"
SH = "http://www.w3.org/ns/shacl#"

Document = dict[str, Any]


@dataclass(frozen=True)
class Case:
    file: str
    base: str
    mutate: Callable[[Document], None]
    path: str | None  # local name in bpr:, or None for a node-level rule
    constraint: str  # local name of the sh: constraint component
    focus: str  # "root" or "nested"
    description: str


def drop(*keys: str | int) -> Callable[[Document], None]:
    """Delete the value at the path `keys` (the last key) from the document."""

    def mutate(document: Document) -> None:
        node: Any = document
        for key in keys[:-1]:
            node = node[key]
        del node[keys[-1]]

    return mutate


def put(*keys: str | int, value: Any) -> Callable[[Document], None]:
    """Set the value at the path `keys` (creating nothing on the way)."""

    def mutate(document: Document) -> None:
        node: Any = document
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return mutate


def append(*keys: str | int, value: Any) -> Callable[[Document], None]:
    """Append `value` to the list at the path `keys`."""

    def mutate(document: Document) -> None:
        node: Any = document
        for key in keys:
            node = node[key]
        node.append(value)

    return mutate


def retyped(*keys: str | int, **how: str) -> Callable[[Document], None]:
    """Keep the text at the path `keys` but write it as a JSON-LD value object with `@type`/`@language`."""

    def mutate(document: Document) -> None:
        node: Any = document
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = {"@value": node[keys[-1]], **{"@" + k: v for k, v in how.items()}}

    return mutate


def both(*steps: Callable[[Document], None]) -> Callable[[Document], None]:
    def mutate(document: Document) -> None:
        for step in steps:
            step(document)

    return mutate


EV = "ev-nmc-car-pack.json"
EV_LFP = "ev-lfp-car-pack.json"
LMT = "lmt-ebike-nmc.json"
INDUSTRIAL = "industrial-lfp-storage-rack.json"
SECOND_LIFE = "stationary-second-life-nmc.json"
LEAD_ACID = "industrial-lead-acid-traction.json"

CASES: list[Case] = [
    # --- required attributes ------------------------------------------------------------------------
    Case("missing-manufacturing-date.jsonld", EV, drop("manufacturingDate"),
         "manufacturingDate", "MinCountConstraintComponent", "root",
         "The date of manufacture (DIN 6.1.3.2, Annex VI Part A) is required."),
    Case("missing-battery-category.jsonld", LMT, drop("batteryCategory"),
         "batteryCategory", "MinCountConstraintComponent", "root",
         "The battery category (DIN 6.1.3.5) is required."),
    Case("missing-granularity.jsonld", INDUSTRIAL, drop("granularity"),
         "granularity", "MinCountConstraintComponent", "root",
         "Every passport says whether it describes a model, a batch or an item."),
    Case("missing-declaration-of-conformity.jsonld", EV_LFP, drop("declarationOfConformity"),
         "declarationOfConformity", "MinCountConstraintComponent", "root",
         "The EU declaration of conformity (Annex XIII 1(r)) is required."),
    # --- datatypes ----------------------------------------------------------------------------------
    Case("wrong-datatype-product-identifier.jsonld", EV,
         put("productIdentifier", value={"@value": "VX77NMC0004711", "@language": "en"}),
         "productIdentifier", "DatatypeConstraintComponent", "root",
         "The battery identifier is a plain string, not a language-tagged text."),
    Case("wrong-datatype-declaration-link.jsonld", INDUSTRIAL,
         retyped("declarationOfConformity", language="en"),
         "declarationOfConformity", "DatatypeConstraintComponent", "root",
         "A document link is an xsd:anyURI, not a language-tagged text (even one that spells a URL)."),
    Case("wrong-datatype-document-url.jsonld", EV,
         retyped("dismantlingAndRemovalInformation", 0, "documentURL",
                 type="http://www.w3.org/2001/XMLSchema#string"),
         "documentURL", "DatatypeConstraintComponent", "nested",
         "A dismantling document's URL is an xsd:anyURI, not a plain string (even one that spells a URL)."),
    Case("wrong-datatype-label-meaning.jsonld", LMT,
         both(drop("separateCollectionSymbol", "labelingMeaning"),
              put("separateCollectionSymbol", "bpr:labelingMeaning",
                  value="Return to a separate collection point.")),
         "labelingMeaning", "DatatypeConstraintComponent", "nested",
         "The meaning of a label is language-tagged text; a text without a language is refused."),
    # --- ranges -------------------------------------------------------------------------------------
    Case("share-above-100.jsonld", EV, put("postConsumerRecycledCobaltShare", value="140"),
         "postConsumerRecycledCobaltShare", "MaxInclusiveConstraintComponent", "root",
         "A recycled-content share is a percentage: 140 % is out of range."),
    Case("share-below-0.jsonld", INDUSTRIAL, put("renewableContent", value="-3"),
         "renewableContent", "MinInclusiveConstraintComponent", "root",
         "A renewable-content share cannot be negative."),
    Case("negative-mass.jsonld", EV, put("batteryMass", value="-486.5"),
         "batteryMass", "MinExclusiveConstraintComponent", "root",
         "A battery's mass is positive."),
    Case("negative-rated-energy.jsonld", EV_LFP, put("ratedEnergy", value="-60"),
         "ratedEnergy", "MinExclusiveConstraintComponent", "root",
         "The certified usable energy is positive."),
    Case("negative-ohmic-resistance.jsonld", EV,
         put("initialInternalResistance", 0, "ohmicResistance", value="-0.0009"),
         "ohmicResistance", "MinInclusiveConstraintComponent", "nested",
         "An internal resistance cannot be negative (nested InternalResistance node)."),
    # --- patterns -----------------------------------------------------------------------------------
    Case("bad-cas-number.jsonld", EV,
         put("batteryMaterials", 0, "batteryMaterialIdentifier", value="346417-97-8 "),
         "batteryMaterialIdentifier", "PatternConstraintComponent", "nested",
         "A CAS number with a trailing space (the defect of the Battery Pass MaterialComposition example)."),
    Case("bad-cas-number-hazardous-substance.jsonld", LMT,
         put("hazardousSubstances", 0, "hazardousSubstanceIdentifier", value="201-004-7"),
         "hazardousSubstanceIdentifier", "PatternConstraintComponent", "nested",
         "An EC number (201-004-7) given as the CAS number (the defect of the Catena-X example): it "
         "belongs in hazardousSubstanceEcNumber, and the shapes do not move it there."),
    Case("bad-ec-number.jsonld", LEAD_ACID,
         put("hazardousSubstances", 0, "hazardousSubstanceEcNumber", value="231-6395"),
         "hazardousSubstanceEcNumber", "PatternConstraintComponent", "nested",
         "An EC number is three, three and one digits (231-639-5); one hyphen is missing."),
    Case("link-not-absolute-uri.jsonld", EV, put("carbonFootprintStudy", value="carbon-footprint-study.pdf"),
         "carbonFootprintStudy", "PatternConstraintComponent", "root",
         "A link is an absolute URI with a scheme; a bare file name leads nowhere."),
    Case("symbol-link-not-absolute-uri.jsonld", EV_LFP,
         put("separateCollectionSymbol", "labelingSymbol", value="www.voltara.example/separate-collection.svg"),
         "labelingSymbol", "PatternConstraintComponent", "nested",
         "A symbol link without its scheme (https:) is no absolute URI."),
    Case("bad-email-address.jsonld", EV,
         put("operatorInformation", "emailAddress", value="battery-passport at voltara"),
         "emailAddress", "PatternConstraintComponent", "nested",
         "An operator e-mail address without @."),
    Case("country-name-not-code.jsonld", INDUSTRIAL,
         put("manufacturerInformation", "postalAddress", "addressCountry", value="Germany"),
         "addressCountry", "PatternConstraintComponent", "nested",
         "Countries are ISO 3166-1 alpha-2 codes (DE), not names."),
    Case("bad-performance-class.jsonld", EV, put("carbonFootprintPerformanceClass", value="B+"),
         "carbonFootprintPerformanceClass", "PatternConstraintComponent", "root",
         "A carbon footprint performance class is one capital letter."),
    Case("bad-schema-version.jsonld", LMT, put("schemaVersion", value="1.0"),
         "schemaVersion", "PatternConstraintComponent", "root",
         "The schema version is major.minor.patch."),
    # --- enumerations -------------------------------------------------------------------------------
    Case("unknown-category.jsonld", EV, put("batteryCategory", value="e-scooter"),
         "batteryCategory", "InConstraintComponent", "root",
         "'e-scooter' is not a battery category of Regulation (EU) 2023/1542."),
    Case("unknown-chemistry.jsonld", EV_LFP, put("batteryChemistry", value="graphene"),
         "batteryChemistry", "InConstraintComponent", "root",
         "'graphene' is not a chemistry of the code list."),
    Case("unknown-status.jsonld", SECOND_LIFE, put("batteryStatus", value="refurbished"),
         "batteryStatus", "InConstraintComponent", "root",
         "'refurbished' is not an Annex XIII 4(c) status (the passport keeps its predecessor link)."),
    Case("unknown-lifecycle-stage.jsonld", EV,
         append("carbonFootprintPerLifecycleStage",
                value={"lifecycleStage": "use-phase", "carbonFootprint": "0.001"}),
         "lifecycleStage", "InConstraintComponent", "nested",
         "A fifth carbon-footprint entry for 'use-phase', which is not one of the four life-cycle stages."),
    Case("unknown-extinguishing-agent.jsonld", LMT, put("extinguishingAgent", value=["halon"]),
         "extinguishingAgent", "InConstraintComponent", "root",
         "'halon' is not an extinguishing agent of the code list."),
    Case("unknown-hazard-class.jsonld", EV,
         put("hazardousSubstances", 0, "hazardousSubstanceClass", value=["radioactive"]),
         "hazardousSubstanceClass", "InConstraintComponent", "nested",
         "'radioactive' is not a CLP hazard class of the code list."),
    Case("label-without-symbol.jsonld", LEAD_ACID, drop("cadmiumAndLeadSymbols", 0, "labelingSymbol"),
         "labelingSymbol", "MinCountConstraintComponent", "nested",
         "The lead symbol entry lacks the link to the symbol itself."),
    # --- cardinality --------------------------------------------------------------------------------
    Case("two-chemistries.jsonld", EV, put("batteryChemistry", value=["nmc", "lfp"]),
         "batteryChemistry", "MaxCountConstraintComponent", "root",
         "A passport names one chemistry."),
    Case("two-manufacturing-dates.jsonld", EV_LFP,
         put("manufacturingDate", value=["2024-11-04", "2024-11-05"]),
         "manufacturingDate", "MaxCountConstraintComponent", "root",
         "A battery has one date of manufacture."),
    # --- conditional rules --------------------------------------------------------------------------
    Case("ev-without-carbon-footprint.jsonld", EV, drop("batteryCarbonFootprint"),
         None, "OrConstraintComponent", "root",
         "Art. 7: an EV battery declares its carbon footprint (rule bprs:CarbonFootprintRequiredShape)."),
    Case("lmt-without-carbon-footprint-stages.jsonld", LMT, drop("carbonFootprintPerLifecycleStage"),
         None, "OrConstraintComponent", "root",
         "Art. 7: an LMT battery declares its carbon footprint per life-cycle stage."),
    Case("industrial-without-carbon-footprint.jsonld", INDUSTRIAL,
         both(drop("batteryCarbonFootprint"), drop("carbonFootprintPerLifecycleStage")),
         None, "OrConstraintComponent", "root",
         "Art. 7: an industrial battery declares its carbon footprint."),
    Case("repurposed-without-predecessor.jsonld", SECOND_LIFE, drop("predecessor"),
         None, "OrConstraintComponent", "root",
         "Art. 77(7): a repurposed battery's passport links to the original battery's passport."),
    # --- order rules --------------------------------------------------------------------------------
    Case("put-into-service-before-manufacture.jsonld", EV, put("manufacturingDate", value="2025-05-10"),
         "manufacturingDate", "LessThanOrEqualsConstraintComponent", "root",
         "Manufactured (2025-05-10) after being put into service (2025-04-01)."),
    Case("voltages-out-of-order.jsonld", EV_LFP, put("minimumVoltage", value="500"),
         "minimumVoltage", "LessThanOrEqualsConstraintComponent", "root",
         "The minimum voltage is above the nominal voltage."),
    Case("idle-temperature-range-reversed.jsonld", LMT,
         both(put("temperatureRangeIdleStateMinimum", value="45"),
              put("temperatureRangeIdleStateMaximum", value="-10")),
         "temperatureRangeIdleStateMinimum", "LessThanOrEqualsConstraintComponent", "root",
         "The idle-state temperature range has its boundaries swapped."),
    # --- nested nodes -------------------------------------------------------------------------------
    Case("address-without-country.jsonld", EV,
         drop("manufacturerInformation", "postalAddress", "addressCountry"),
         "addressCountry", "MinCountConstraintComponent", "nested",
         "The manufacturer's postal address lacks its country."),
    Case("organisation-unidentified.jsonld", EV,
         both(drop("operatorInformation", "identifier"), drop("operatorInformation", "name")),
         None, "OrConstraintComponent", "nested",
         "An operator with neither identifier nor name (Annex VI Part A(1): information identifying it)."),
    Case("facility-unidentified.jsonld", EV,
         both(drop("manufacturingPlace", "identifier"), drop("manufacturingPlace", "postalAddress")),
         None, "OrConstraintComponent", "nested",
         "A manufacturing place with a name only: neither a facility identifier nor a postal address."),
    Case("substance-without-cas-or-ec-number.jsonld", LMT,
         drop("hazardousSubstances", 0, "hazardousSubstanceIdentifier"),
         None, "OrConstraintComponent", "nested",
         "A hazardous substance is identified by its CAS number or its EC number; this one has neither."),
    Case("material-without-name.jsonld", EV, drop("batteryMaterials", 1, "batteryMaterialName"),
         "batteryMaterialName", "MinCountConstraintComponent", "nested",
         "A material of the detailed composition lacks its name."),
    Case("component-without-part-number.jsonld", EV,
         drop("sparePartSources", 0, "components", 0, "partNumber"),
         "partNumber", "MinCountConstraintComponent", "nested",
         "A spare part is listed without its part number (two levels below the root)."),
    Case("dynamic-value-without-time.jsonld", EV, drop("remainingCapacity", "lastUpdate"),
         "lastUpdate", "MinCountConstraintComponent", "nested",
         "A dynamic value (remaining capacity) without the time it was recorded."),
    Case("dynamic-value-bad-timestamp.jsonld", EV, put("stateOfCharge", "lastUpdate", value="yesterday"),
         "lastUpdate", "DatatypeConstraintComponent", "nested",
         "The time of a dynamic value (state of charge) is not an xsd:dateTime."),
]  # fmt: skip


def build(case: Case) -> Document:
    """The invalid passport of `case`: its base example, deep-copied and changed once."""
    document: Document = json.loads((VALID / case.base).read_text(encoding="utf-8"))
    changed = copy.deepcopy(document)
    case.mutate(changed)
    return changed


def manifest_entry(case: Case) -> dict[str, Any]:
    return {
        "file": case.file,
        "base": case.base,
        "violation": {
            "path": None if case.path is None else BPR + case.path,
            "constraint": SH + case.constraint,
            "focus": case.focus,
        },
        "description": case.description,
    }


def render(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def outputs() -> dict[str, str]:
    """Every file this script writes (name -> text), the manifest included."""
    files = {case.file: render(build(case)) for case in CASES}
    files["manifest.json"] = render([manifest_entry(case) for case in CASES])
    return files


def main() -> None:
    for old in HERE.glob("*.jsonld"):
        old.unlink()
    for name, text in outputs().items():
        (HERE / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(CASES)} invalid passports and manifest.json to {HERE}")


if __name__ == "__main__":
    main()
