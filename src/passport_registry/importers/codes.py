"""Upstream enumeration labels and free-text names, mapped to the short codes of our SKOS vocabularies.

Each table maps a label as an upstream model writes it to our code; `Converter.code` also tries the label
case-folded with spaces and underscores read as hyphens, so "Dry Powder" finds "dry-powder". A label
that is in no table is never guessed: the importer reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


def _table(pairs: dict[str, str]) -> Mapping[str, str]:
    return MappingProxyType(pairs)


def _codes(*codes: str) -> dict[str, str]:
    return {code: code for code in codes}


CATEGORY = _table(
    {
        **_codes("portable", "lmt", "sli", "industrial", "stationary", "ev"),
        "electric vehicle": "ev",
        "light means of transport": "lmt",
        "starting, lighting and ignition": "sli",
    }
)

STATUS = _table(
    {
        **_codes("original", "repurposed", "re-used", "remanufactured", "waste"),
        "reused": "re-used",
    }
)

CHEMISTRY = _table(
    {
        **_codes(
            "nmc",
            "nca",
            "lfp",
            "lmfp",
            "lmo",
            "lco",
            "lto",
            "lithium-metal",
            "sodium-ion",
            "lead-acid",
            "nimh",
            "nicd",
            "zinc-air",
            "alkaline",
        ),
        "ncm": "nmc",
        "li-ion nmc": "nmc",
        "li-ion lfp": "lfp",
        "li-ion lmo": "lmo",
        "li-ion lco": "lco",
        "li-ion nca": "nca",
        "lithium nickel manganese cobalt oxide": "nmc",
        "lithium nickel manganese cobalt oxides": "nmc",
        "nickel cobalt manganese": "nmc",
        "nickel manganese cobalt": "nmc",
        "lithium nickel cobalt aluminium oxide": "nca",
        "lithium nickel cobalt aluminum oxide": "nca",
        "lithium iron phosphate": "lfp",
        "lithium manganese iron phosphate": "lmfp",
        "lithium manganese oxide": "lmo",
        "lithium cobalt oxide": "lco",
        "lithium titanate": "lto",
        "li-metal": "lithium-metal",
        "na-ion": "sodium-ion",
        "pb": "lead-acid",
        "lead acid": "lead-acid",
        "ni-mh": "nimh",
        "nickel metal hydride": "nimh",
        "ni-cd": "nicd",
        "nickel cadmium": "nicd",
    }
)

LIFECYCLE_STAGE = _table(
    {
        **_codes("raw-material-acquisition", "main-production", "distribution", "end-of-life-recycling"),
        # Battery Pass 1.2.0 LifecycleStage
        "RawMaterialExtraction": "raw-material-acquisition",
        "MainProduction": "main-production",
        "Distribution": "distribution",
        "Recycling": "end-of-life-recycling",
        # Catena-X footprint lifecycle (free text; these are the values its model names)
        "raw material acquisition and pre-processing": "raw-material-acquisition",
        "main product production": "main-production",
        "end of life and recycling": "end-of-life-recycling",
    }
)

COMPONENT = _table(
    _codes(
        "cell",
        "module",
        "pack",
        "anode",
        "cathode",
        "electrolyte",
        "separator",
        "current-collector",
        "housing",
        "battery-management-system",
        "thermal-management-system",
    )
)

DOCUMENT_TYPE = _table(
    {
        **_codes(
            "bill-of-material",
            "model-3d",
            "dismantling-manual",
            "removal-manual",
            "drawing",
            "safety-instructions",
            "test-report",
            "other-manual",
        ),
        # Battery Pass 1.2.0 Documenttype
        "BillOfMaterial": "bill-of-material",
        "Model3D": "model-3d",
        "DismantlingManual": "dismantling-manual",
        "RemovalManual": "removal-manual",
        "OtherManual": "other-manual",
        "Drawing": "drawing",
    }
)

EXTINGUISHING_AGENT = _table(
    {
        **_codes(
            "water",
            "foam",
            "dry-powder",
            "metal-fire-powder",
            "carbon-dioxide",
            "aqueous-vermiculite-dispersion",
            "dry-sand",
        ),
        "powder": "dry-powder",
        "co2": "carbon-dioxide",
        "sand": "dry-sand",
        "avd": "aqueous-vermiculite-dispersion",
        "class d powder": "metal-fire-powder",
    }
)

HAZARD_CLASS = _table(
    {
        **_codes(
            "acute-toxicity",
            "skin-corrosion-irritation",
            "eye-damage-irritation",
            "respiratory-sensitisation",
            "skin-sensitisation",
            "germ-cell-mutagenicity",
            "carcinogenicity",
            "reproductive-toxicity",
            "specific-target-organ-toxicity-single",
            "specific-target-organ-toxicity-repeated",
            "aspiration-hazard",
            "aquatic-hazard",
            "flammable",
            "corrosive-to-metals",
        ),
        # Battery Pass 1.2.0 HazardousSubstanceClassChrateristicEnum
        "AcuteToxicity": "acute-toxicity",
        "SkinCorrosionOrIrritation": "skin-corrosion-irritation",
        "EyeDamageOrIrritation": "eye-damage-irritation",
    }
)

CRITICAL_RAW_MATERIAL = _table(
    _codes(
        "aluminium",
        "antimony",
        "cobalt",
        "copper",
        "lithium",
        "magnesium",
        "manganese",
        "natural-graphite",
        "nickel",
        "phosphorus",
        "silicon-metal",
        "titanium-metal",
        "vanadium",
    )
)

# Battery Pass 1.2.0 RecycledMaterial -> the material part of our recycled-share property names.
RECYCLED_MATERIAL = _table({"Nickel": "Nickel", "Cobalt": "Cobalt", "Lithium": "Lithium", "Lead": "Lead"})

# ISO 3166-1 alpha-2 codes for country names that upstream payloads write out in English (EU/EEA, the
# United Kingdom and Switzerland, and the largest battery-producing countries). A two-letter code is
# taken as it is written.
COUNTRY = _table(
    {
        "Austria": "AT",
        "Belgium": "BE",
        "Bulgaria": "BG",
        "Croatia": "HR",
        "Cyprus": "CY",
        "Czechia": "CZ",
        "Czech Republic": "CZ",
        "Denmark": "DK",
        "Estonia": "EE",
        "Finland": "FI",
        "France": "FR",
        "Germany": "DE",
        "Greece": "GR",
        "Hungary": "HU",
        "Ireland": "IE",
        "Italy": "IT",
        "Latvia": "LV",
        "Lithuania": "LT",
        "Luxembourg": "LU",
        "Malta": "MT",
        "Netherlands": "NL",
        "Poland": "PL",
        "Portugal": "PT",
        "Romania": "RO",
        "Slovakia": "SK",
        "Slovenia": "SI",
        "Spain": "ES",
        "Sweden": "SE",
        "Iceland": "IS",
        "Liechtenstein": "LI",
        "Norway": "NO",
        "Switzerland": "CH",
        "United Kingdom": "GB",
        "China": "CN",
        "Japan": "JP",
        "South Korea": "KR",
        "Republic of Korea": "KR",
        "United States": "US",
        "United States of America": "US",
        "Canada": "CA",
        "India": "IN",
        "Indonesia": "ID",
        "Mexico": "MX",
        "Morocco": "MA",
        "Serbia": "RS",
        "Turkey": "TR",
        "Türkiye": "TR",
        "Vietnam": "VN",
        "Thailand": "TH",
        "Taiwan": "TW",
        "Malaysia": "MY",
    }
)
