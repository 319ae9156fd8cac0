"""Catena-X BatteryPass 6.1.0 (`urn:io.catenax.battery.battery_pass:6.1.0`) -> a passport in our JSON-LD.

Catena-X holds a whole passport in one document, grouped by topic (identification, operation, performance,
materials, ...). `convert` walks every attribute: those with a place in our model are carried over (units
converted to ours, enumeration labels to our SKOS codes), the others are reported as unmapped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from passport_registry.errors import UnprocessableInput
from passport_registry.importers.catenax.declarations import conformity, safety, sustainability
from passport_registry.importers.catenax.materials import materials
from passport_registry.importers.catenax.performance import performance
from passport_registry.importers.document import PassportDocument
from passport_registry.importers.models import BATTERY_PASS, recognise
from passport_registry.importers.report import ImportResult
from passport_registry.importers.supplement import supplemented
from passport_registry.importers.values import Converter, pointer
from passport_registry.jsonld import json_integer

__all__ = ["CATENA_X_SUPPORTED", "NIL_UUID", "SOURCE", "SPEC_VERSION", "convert"]


SPEC_VERSION = "urn:io.catenax.battery.battery_pass:6.1.0"
#: 6.0.0 differs from 6.1.0 only by the optional specVersion, so both are read.
CATENA_X_SUPPORTED = "Catena-X BatteryPass 6.0.0 and 6.1.0"
MODEL = "a Catena-X BatteryPass document"


SOURCE = "CatenaXBatteryPass"


# Catena-X writes "If there is no preceding passport, input a dummy value"; its example uses the nil UUID.
NIL_UUID = "urn:uuid:00000000-0000-0000-0000-000000000000"


# Catena-X MassUnitEnumeration -> kilograms per unit (exact conversion factors).
_KILOGRAMS_PER: Mapping[str, Decimal] = {
    "unit:gram": Decimal("0.001"),
    "unit:kilogram": Decimal(1),
    "unit:tonneMetricTon": Decimal(1000),
    "unit:tonUsOrShortTonUkorus": Decimal("907.18474"),
    "unit:ounceAvoirdupois": Decimal("0.028349523125"),
    "unit:pound": Decimal("0.45359237"),
}


# Catena-X LifeEnumeration -> months per unit, where a calendar unit converts exactly to months.
_MONTHS_PER: Mapping[str, int] = {"unit:month": 1, "unit:year": 12}


def convert(
    document: Mapping[str, Any],
    *,
    granularity: str | None = "item",
    supplement: Mapping[str, Any] | None = None,
) -> ImportResult:
    """One passport from a Catena-X BatteryPass 6.1.0 document, and the issues met on the way.

    Raises UnprocessableInput when `document` is not a Catena-X BatteryPass 6.0.0 or 6.1.0 document (not
    an object, another model or version by its keys: `importers.models`, another `specVersion`). A
    Catena-X battery passport describes one battery (it carries its serial number), hence `granularity`
    "item" unless the caller says otherwise (None leaves it out). `supplement` adds attributes 6.1.0
    cannot express, in our JSON keys; it never overrides an imported one (see `supplemented`).
    """
    document = recognise(
        document, model=MODEL, supported=CATENA_X_SUPPORTED, keys=_SECTIONS, others=[BATTERY_PASS]
    )
    version = document.get("specVersion")
    if version is not None and version != SPEC_VERSION:
        raise UnprocessableInput(
            f"This is a document of specVersion {version!r}, not {SPEC_VERSION}. "
            f"Supported: {CATENA_X_SUPPORTED}."
        )
    conv = Converter(SOURCE)
    doc = PassportDocument()
    for key, value in document.items():
        at = pointer(key)
        handler = _SECTIONS.get(key)
        if key == "specVersion":
            continue
        if handler is None or not isinstance(value, Mapping):
            conv.unmapped(at, value)
            continue
        handler(conv, doc, at, value)
    return ImportResult(supplemented(doc.as_jsonld(granularity), supplement), conv.issues)


def _metadata(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "passportIdentifier":
            doc.set(conv, here, "batteryPassportIdentifier", conv.iri(here, value))
        elif key == "predecessor":
            if value == NIL_UUID:
                conv.unmapped(here, value, "Catena-X's placeholder for 'no preceding passport'")
            else:
                link = conv.iri(here, value)
                doc.extend("predecessor", [] if link is None else [link])
        elif key == "economicOperatorId":
            identifier = conv.text(here, value)
            doc.set(
                conv, here, "operatorInformation", None if identifier is None else {"identifier": identifier}
            )
        elif key == "lastModification":
            if isinstance(value, str) and len(value) == 10:
                conv.issue(here, value, "a date without a time of day; our lastModification is a date-time")
            else:
                doc.set(conv, here, key, conv.datetime(here, value))
        else:
            # status, version, issueDate, expirationDate, registrationIdentifier, backupReference:
            # registry metadata about the passport document, kept outside a passport body by design.
            conv.unmapped(here, value, "passport-document metadata; the registry keeps its own")


def _characteristics(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "physicalDimension" and isinstance(value, Mapping):
            for dimension, quantity in value.items():
                there = here + pointer(dimension)
                if dimension == "weight":
                    doc.set(
                        conv, there, "batteryMass", _quantity(conv, there, quantity, _KILOGRAMS_PER, "mass")
                    )
                else:
                    conv.unmapped(there, quantity)
        elif key == "warranty" and isinstance(value, Mapping):
            doc.set(conv, here, "warrantyPeriod", _warranty(conv, here, value))
        else:
            conv.unmapped(here, value)


def _warranty(conv: Converter, at: str, value: Mapping[str, Any]) -> int | str | None:
    unit = value.get("lifeUnit")
    if not isinstance(unit, str) or unit not in _MONTHS_PER:
        conv.issue(
            at,
            dict(value),
            f"a warranty in {unit} does not convert exactly to months, the unit of our warrantyPeriod",
        )
        return None
    count = conv.integer(at + "/lifeValue", value.get("lifeValue"))
    return None if count is None else json_integer(str(int(count) * _MONTHS_PER[unit]))


def _quantity(conv: Converter, at: str, value: Any, factors: Mapping[str, Decimal], what: str) -> str | None:
    if not isinstance(value, Mapping):
        conv.issue(at, value, "not an object with value and unit")
        return None
    unit = value.get("unit")
    if not isinstance(unit, str) or unit not in factors:
        conv.issue(at + "/unit", unit, f"not a {what} unit the importer converts")
        return None
    return conv.scaled(at + "/value", value.get("value"), factors[unit])


def _identification(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "idDmc":
            doc.set(conv, here, "productIdentifier", conv.text(here, value))
        elif key == "category":
            doc.set(conv, here, "batteryCategory", conv.code(here, value, "category", "battery category"))
        elif key == "chemistry":
            doc.set(conv, here, "batteryChemistry", conv.code(here, value, "chemistry", "battery chemistry"))
        else:
            # identification.identification: batch, serial, part type, customs codes, classification,
            # data carrier -- part identities in Catena-X terms.
            conv.unmapped(here, value)


def _operation(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    for key, value in section.items():
        here = at + pointer(key)
        if key == "intoServiceDate":
            doc.set(conv, here, "puttingIntoService", conv.date(here, value))
        elif key == "manufacturer" and isinstance(value, Mapping):
            for part, item in value.items():
                there = here + pointer(part)
                if part == "manufacturingDate":
                    doc.set(conv, there, "manufacturingDate", conv.date(there, item))
                elif part == "manufacturer":
                    identifier = conv.text(there, item)
                    organisation = None if identifier is None else {"identifier": identifier}
                    doc.set(conv, there, "manufacturerInformation", organisation)
                elif part == "facility":
                    facilities = [
                        conv.text(there + pointer(index) + "/facility", entry.get("facility"))
                        if isinstance(entry, Mapping)
                        else conv.text(there + pointer(index), entry)
                        for index, entry in enumerate(conv.listed(there, item))
                    ]
                    for facility in facilities:
                        if facility is not None:
                            doc.set(conv, there, "manufacturingPlace", {"identifier": facility})
                else:
                    conv.unmapped(there, item)
        else:
            conv.unmapped(here, value)


def _unmapped_section(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    """commercial: placedOnMarket and purpose have no attribute in our model."""
    for key, value in section.items():
        conv.unmapped(at + pointer(key), value)


def _handling(conv: Converter, doc: PassportDocument, at: str, section: Mapping[str, Any]) -> None:
    content = section.get("content")
    for key, value in section.items():
        here = at + pointer(key)
        if key == "content" and isinstance(content, Mapping):
            for part, item in content.items():
                there = here + pointer(part)
                if part == "sparePart":
                    conv.unmapped(
                        there, item, "spare parts without their supplier; ours are listed per supplier"
                    )
                else:
                    conv.unmapped(there, item)
        else:
            conv.unmapped(here, value)


_SECTIONS: Mapping[str, Callable[[Converter, PassportDocument, str, Mapping[str, Any]], None]] = {
    "metadata": _metadata,
    "characteristics": _characteristics,
    "commercial": _unmapped_section,
    "sustainability": sustainability,
    "identification": _identification,
    "operation": _operation,
    "conformity": conformity,
    "safety": safety,
    "performance": performance,
    "materials": materials,
    "handling": _handling,
}
