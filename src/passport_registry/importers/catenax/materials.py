"""The Catena-X materials section: hazardous substances, active materials, material composition."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from passport_registry.importers import codes
from passport_registry.importers.catenax.declarations import links_of
from passport_registry.importers.document import PassportDocument, compact
from passport_registry.importers.values import Converter, pointer

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


def materials(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    """Root attributes from `materials`: hazardous substances, critical raw materials, composition."""
    for key, value in section.items():
        here = at + pointer(key)
        if key == "hazardous" and isinstance(value, Mapping):
            for name, item in value.items():
                there = here + pointer(name)
                if name == "other":
                    substances = [
                        _hazardous_substance(conv, there + pointer(index), entry)
                        for index, entry in enumerate(conv.listed(there, item))
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
                for index, entry in enumerate(conv.listed(here, value))
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
    unit = item.get(unit_key)
    if not isinstance(unit, str) or unit not in _PERCENT_PER:
        conv.issue(at + pointer(unit_key), unit, "not a concentration unit the importer converts")
        return None
    return conv.scaled(at + "/concentration", item["concentration"], _PERCENT_PER[unit])


def _hazardous_substance(conv: Converter, at: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        conv.issue(at, item, "not an object")
        return {}
    name, numbers = _identifiers(conv, at + "/materialIdentification", item.get("materialIdentification"))
    node: dict[str, Any] = {
        "hazardousSubstanceName": name,
        "hazardousSubstanceIdentifier": numbers.get("CAS"),
        "hazardousSubstanceEcNumber": numbers.get("EC"),
        "hazardousSubstanceConcentration": _concentration(conv, at, item, "materialUnit"),
    }
    for key, value in item.items():
        here = at + pointer(key)
        if key in ("materialIdentification", "concentration", "materialUnit"):
            continue
        if key == "location":
            node["hazardousSubstanceLocation"] = conv.code(here, value, "component", "component")
        elif key == "impactOfSubstances":
            node["hazardousSubstanceImpact"] = links_of(conv, here, value)
        else:
            conv.unmapped(here, value)
    return compact(node)


def _material(conv: Converter, at: str, item: Any) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        conv.issue(at, item, "not an object")
        return {}
    name, numbers = _identifiers(conv, at + "/id", item.get("id"))
    node: dict[str, Any] = {
        "batteryMaterialName": name,
        "batteryMaterialIdentifier": numbers.get("CAS"),
        "batteryMaterialEcNumber": numbers.get("EC"),
    }
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
