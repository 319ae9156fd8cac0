"""The Catena-X materials section: hazardous substances, active materials, material composition."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from passport_registry.importers import codes
from passport_registry.importers.catenax.declarations import links_of
from passport_registry.importers.conversions import code, objects
from passport_registry.importers.tables import (
    Add,
    Custom,
    Node,
    Section,
    Sink,
    Skip,
    To,
    Unmapped,
    Within,
    compact,
    walk,
)
from passport_registry.importers.values import Converter, pointer

__all__ = ["MATERIALS"]

# Catena-X ConcentrationEnumeration -> per cent per unit.
_PERCENT_PER: Mapping[str, Decimal] = {
    "unit:percent": Decimal(1),
    "unit:partPerThousand": Decimal("0.1"),
    "unit:partPerMillion": Decimal("0.0001"),
    "unit:partPerBillionUs": Decimal("0.0000001"),
    "unit:partPerTrillionUs": Decimal("0.0000000001"),
}


_WRITTEN_AS: Mapping[str, str] = {
    "CAS": "a CAS registry number (2 to 7, 2 and 1 digits)",
    "EC": "an EC number (3, 3 and 1 digits)",
}
# The two number formats cannot be confused: a CAS registry number has 2-7, 2 and 1 digits, an EC number
# 3, 3 and 1. The format of a number says which one it is, whatever list type the source gives it.
_NUMBER_FORMATS: Mapping[str, re.Pattern[str]] = {
    "CAS": re.compile(r"^\d{2,7}-\d{2}-\d$"),
    "EC": re.compile(r"^\d{3}-\d{3}-\d$"),
}


_ANNEX_XIII_EXCLUDES = (
    "Annex XIII 1(a)-(b) asks for hazardous substances other than mercury, cadmium and lead; our model has "
    "no place for these three"
)


def _critical(name: str) -> Custom:
    def handle(conv: Converter, doc: Sink, at: str, value: Any) -> None:
        found = codes.bundled()["material"].lookup(name)
        if value is True and len(found) == 1:
            doc.extend("criticalRawMaterials", sorted(found))
        elif value is True:
            conv.issue(at, value, f"{name} is not a critical raw material in our vocabulary")

    return Custom(handle)


_RECYCLED_SHARE = "our recycled shares are split into pre- and post-consumer; this is not"


def _identifiers(conv: Converter, at: str, value: Any) -> tuple[str | None, dict[str, str]]:
    """The name, and the CAS and EC numbers ({"CAS": ..., "EC": ...}) among Catena-X material identifications.

    A number goes where its format says: a "CAS" identification written as an EC number is carried,
    unchanged, as the EC number, with a note (translation by format, not repair). A number of neither
    format stays under the list type the source gives, for the shapes to judge.
    """
    name = None
    numbers: dict[str, str] = {}
    for index, entry in enumerate(conv.listed(at, value)):
        here = at + pointer(index)
        if not isinstance(entry, Mapping):
            conv.issue(here, entry, "not an object")
            continue
        if name is None and isinstance(entry.get("name"), str):
            name = entry["name"]
        declared = entry.get("type")
        if not isinstance(declared, str) or declared not in _NUMBER_FORMATS:
            conv.unmapped(here, dict(entry), "our model identifies substances by CAS or EC number")
            continue
        number = conv.text(here + "/id", entry.get("id"))
        if number is None:
            continue
        kind = next((k for k, form in _NUMBER_FORMATS.items() if form.match(number)), declared)
        if kind in numbers:
            conv.issue(here + "/id", number, f"a second {kind} number; our substance holds one")
            continue
        if kind != declared:
            conv.note(
                here + "/id",
                number,
                f"listed as type {declared}, but written as {_WRITTEN_AS[kind]}: carried unchanged as the "
                f"{kind} number",
            )
        numbers[kind] = number
    return name, numbers


def _concentration(conv: Converter, at: str, item: Mapping[str, Any], unit_key: str) -> str | None:
    if "concentration" not in item:
        return None
    unit_at = at + pointer(unit_key)
    return conv.in_unit(
        at + "/concentration",
        item["concentration"],
        unit_at,
        item.get(unit_key),
        _PERCENT_PER,
        "concentration",
    )


_SUBSTANCE_TERMS = ("hazardousSubstanceName", "hazardousSubstanceIdentifier", "hazardousSubstanceEcNumber")
_MATERIAL_TERMS = ("batteryMaterialName", "batteryMaterialIdentifier", "batteryMaterialEcNumber")
_SUBSTANCE = Section(
    {
        **dict.fromkeys(("materialIdentification", "concentration", "materialUnit"), Skip()),
        "location": To("hazardousSubstanceLocation", code("component", "component")),
        "impactOfSubstances": To("hazardousSubstanceImpact", links_of),
    }
)


def _named(conv: Converter, at: str, value: Any, terms: tuple[str, str, str]) -> Node:
    """A node with the name, CAS number and EC number (`terms`) that the identifications give."""
    name, numbers = _identifiers(conv, at, value)
    return Node(zip(terms, (name, numbers.get("CAS"), numbers.get("EC")), strict=True))


def _hazardous_substance(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    identifications = item.get("materialIdentification")
    substance = _named(conv, at + "/materialIdentification", identifications, _SUBSTANCE_TERMS)
    substance["hazardousSubstanceConcentration"] = _concentration(conv, at, item, "materialUnit")
    walk(conv, substance, at, item, _SUBSTANCE)
    return compact(substance)


# concentration/unit, recycled, renewable, documentation: our material holds a mass, not these
_MATERIAL = Section(
    {
        "id": Skip(),
        "location": To("batteryMaterialLocation", code("component", "component")),
        "critical": To("isCriticalRawMaterial", Converter.boolean),
    }
)


def _material(conv: Converter, at: str, item: Mapping[str, Any]) -> dict[str, Any]:
    material = _named(conv, at + "/id", item.get("id"), _MATERIAL_TERMS)
    walk(conv, material, at, item, _MATERIAL)
    return compact(material)


MATERIALS = Section(
    {
        "hazardous": Within(
            Section(
                {"other": Add("hazardousSubstances", objects(_hazardous_substance, keep_empty=False))},
                otherwise=_ANNEX_XIII_EXCLUDES,
            )
        ),
        "active": Within(
            Section(
                {
                    name: Within(
                        Section({"critical": _critical(name), "recycled": Unmapped(_RECYCLED_SHARE)})
                    )
                    for name in ("nickel", "lithium", "cobalt", "lead")
                }
            )
        ),
        "composition": Add("batteryMaterials", objects(_material, keep_empty=False)),
    }
)
