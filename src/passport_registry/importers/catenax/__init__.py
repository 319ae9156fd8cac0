"""Catena-X BatteryPass 6.1.0 (`urn:io.catenax.battery.battery_pass:6.1.0`) -> a passport in our JSON-LD.

Catena-X holds a whole passport in one document, grouped by topic (identification, operation, performance,
materials, ...). `convert` walks every attribute: those with a place in our model are carried over (units
converted to ours, enumeration labels to our SKOS codes), the others are reported as unmapped.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from passport_registry.errors import UnprocessableInput
from passport_registry.importers.catenax.declarations import CONFORMITY, SAFETY, SUSTAINABILITY
from passport_registry.importers.catenax.materials import MATERIALS
from passport_registry.importers.catenax.performance import PERFORMANCE
from passport_registry.importers.conversions import code, wrap
from passport_registry.importers.document import PassportDocument
from passport_registry.importers.models import BATTERY_PASS, recognise
from passport_registry.importers.report import ImportResult
from passport_registry.importers.supplement import supplemented
from passport_registry.importers.tables import Custom, Section, Sink, Skip, To, ToEach, Unmapped, Within, walk
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
        document,
        model=MODEL,
        supported=CATENA_X_SUPPORTED,
        keys=set(_DOCUMENT.rules) - {"specVersion"},
        others=[BATTERY_PASS],
    )
    version = document.get("specVersion")
    if version is not None and version != SPEC_VERSION:
        raise UnprocessableInput(
            f"This is a document of specVersion {version!r}, not {SPEC_VERSION}. "
            f"Supported: {CATENA_X_SUPPORTED}."
        )
    conv = Converter(SOURCE)
    doc = PassportDocument()
    walk(conv, doc, "", document, _DOCUMENT)
    return ImportResult(supplemented(doc.as_jsonld(granularity), supplement), conv.issues)


def _predecessor(conv: Converter, doc: Sink, at: str, value: Any) -> None:
    if value == NIL_UUID:
        conv.unmapped(at, value, "Catena-X's placeholder for 'no preceding passport'")
        return
    link = conv.iri(at, value)
    doc.extend("predecessor", [] if link is None else [link])


def _last_modification(conv: Converter, at: str, value: Any) -> str | None:
    if isinstance(value, str) and len(value) == 10:
        conv.issue(at, value, "a date without a time of day; our lastModification is a date-time")
        return None
    return conv.datetime(at, value)


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


def _mass(conv: Converter, at: str, value: Any) -> str | None:
    """Kilograms from a Catena-X {value, unit} quantity of mass."""
    if not isinstance(value, Mapping):
        conv.issue(at, value, "not an object with value and unit")
        return None
    unit = value.get("unit")
    return conv.in_unit(at + "/value", value.get("value"), at + "/unit", unit, _KILOGRAMS_PER, "mass")


def _facilities(conv: Converter, at: str, value: Any) -> list[dict[str, str]]:
    """The manufacturing places of a list of facilities ({facility} or the identifier itself)."""
    facilities = [
        conv.text(at + pointer(index) + "/facility", entry.get("facility"))
        if isinstance(entry, Mapping)
        else conv.text(at + pointer(index), entry)
        for index, entry in enumerate(conv.listed(at, value))
    ]
    return [{"identifier": facility} for facility in facilities if facility is not None]


_IDENTIFIED = wrap("identifier", Converter.text)

# The sections of a Catena-X BatteryPass document, and the key that only names its version.
_DOCUMENT = Section(
    {
        "specVersion": Skip(),
        # status, version, issueDate, expirationDate, registrationIdentifier, backupReference:
        # registry metadata about the passport document, kept outside a passport body by design.
        "metadata": Within(
            Section(
                {
                    "passportIdentifier": To("batteryPassportIdentifier", Converter.iri),
                    "predecessor": Custom(_predecessor),
                    "economicOperatorId": To("operatorInformation", _IDENTIFIED),
                    "lastModification": To("lastModification", _last_modification),
                },
                otherwise="passport-document metadata; the registry keeps its own",
            )
        ),
        "characteristics": Within(
            Section(
                {
                    "physicalDimension": Within(Section({"weight": To("batteryMass", _mass)})),
                    "warranty": To("warrantyPeriod", _warranty, objects_only=True),
                }
            )
        ),
        # commercial: placedOnMarket and purpose have no attribute in our model.
        "commercial": Within(Section({})),
        "sustainability": Within(SUSTAINABILITY),
        # identification.identification: batch, serial, part type, customs codes, classification,
        # data carrier -- part identities in Catena-X terms.
        "identification": Within(
            Section(
                {
                    "idDmc": To("productIdentifier", Converter.text),
                    "category": To("batteryCategory", code("category", "battery category")),
                    "chemistry": To("batteryChemistry", code("chemistry", "battery chemistry")),
                }
            )
        ),
        "operation": Within(
            Section(
                {
                    "intoServiceDate": To("puttingIntoService", Converter.date),
                    "manufacturer": Within(
                        Section(
                            {
                                "manufacturingDate": To("manufacturingDate", Converter.date),
                                "manufacturer": To("manufacturerInformation", _IDENTIFIED),
                                "facility": ToEach("manufacturingPlace", _facilities),
                            }
                        )
                    ),
                }
            )
        ),
        "conformity": Within(CONFORMITY),
        "safety": Within(SAFETY),
        "performance": Within(PERFORMANCE),
        "materials": Within(MATERIALS),
        "handling": Within(
            Section(
                {
                    "content": Within(
                        Section(
                            {
                                "sparePart": Unmapped(
                                    "spare parts without their supplier; ours are listed per supplier"
                                )
                            }
                        )
                    )
                }
            )
        ),
    }
)
