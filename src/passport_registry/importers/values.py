"""Turns source values into our JSON-LD literal forms, recording every value that cannot be expressed.

Guarantees: a value is either returned in the lexical form our context types it with, or `None` with
exactly one `ImportIssue` recorded; numbers are never rounded, clamped or otherwise repaired.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from passport_registry.importers import codes
from passport_registry.importers.report import ImportIssue, IssueKind
from passport_registry.jsonld import json_integer

_T = TypeVar("_T")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")

#: Why a source value is unmapped, unless a table says more.
NO_ATTRIBUTE = "our model has no attribute for it"


def pointer(*parts: str | int) -> str:
    """The RFC 6901 JSON Pointer of `parts`: `pointer("a/b", 0)` is `/a~1b/0`."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def decimal_text(number: Decimal) -> str:
    """`number` as an xsd:decimal lexical form (no exponent): `Decimal("1.5E+3")` gives `1500`."""
    return format(number, "f")


class Converter:
    """Converts the values of one source document, collecting issues for what it cannot express."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[ImportIssue] = []

    def issue(self, path: str, value: Any, reason: str, kind: IssueKind = "invalid") -> None:
        self.issues.append(ImportIssue(kind, self.source, path, value, reason))

    def unmapped(self, path: str, value: Any, reason: str = NO_ATTRIBUTE) -> None:
        self.issue(path, value, reason, kind="unmapped")

    def note(self, path: str, value: Any, reason: str) -> None:
        """Record that `value` was carried, unchanged, to another attribute than the source named."""
        self.issue(path, value, reason, kind="note")

    def checked(self, path: str, value: Any, converted: _T | None, reason: str) -> _T | None:
        """`converted`; when it is None, `value` is recorded as invalid for `reason` (the conversions'
        one way to refuse a value)."""
        if converted is None:
            self.issue(path, value, reason)
        return converted

    def decimal(self, path: str, value: Any) -> str | None:
        """An xsd:decimal lexical form of a JSON number (or numeric string), exactly as given: our JSON
        writes decimals as strings (docs/model.md, "Numbers")."""
        if isinstance(value, bool):
            return self.checked(path, value, None, "a boolean is not a number")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                return self.checked(path, value, None, "not a finite number")
            # repr() is the shortest text that reads back as the same double: what the source wrote.
            return decimal_text(Decimal(repr(value)))
        if isinstance(value, str) and _DECIMAL.match(value):
            return value
        return self.checked(path, value, None, "not a number")

    def integer(self, path: str, value: Any) -> int | str | None:
        """A JSON integer (or integral numeric string) as our JSON writes an xsd:integer: a JSON number,
        or its lexical form from 10^21 on (see `jsonld.json_integer`)."""
        if isinstance(value, bool):
            return self.checked(path, value, None, "a boolean is not an integer")
        if isinstance(value, int):
            return json_integer(str(value))
        if isinstance(value, float) and value.is_integer():
            return json_integer(str(int(value)))
        if isinstance(value, str) and _INTEGER.match(value):
            return json_integer(str(int(value)))
        return self.checked(path, value, None, "not an integer")

    def scaled(self, path: str, value: Any, factor: Decimal) -> str | None:
        """`value` times `factor` as an xsd:decimal (a unit conversion, exact in decimal arithmetic)."""
        text = self.decimal(path, value)
        if text is None:
            return None
        return decimal_text((Decimal(text) * factor).normalize() if factor != 1 else Decimal(text))

    def in_unit(
        self, path: str, value: Any, unit_path: str, unit: Any, factors: Mapping[str, Decimal], what: str
    ) -> str | None:
        """`value` in our unit, from a `unit` that `factors` converts (`what` kind of unit it is)."""
        if not isinstance(unit, str) or unit not in factors:
            self.issue(unit_path, unit, f"not a {what} unit the importer converts")
            return None
        return self.scaled(path, value, factors[unit])

    def date(self, path: str, value: Any) -> str | None:
        """An xsd:date from a date or a date-time (the date as written, in the source's own offset)."""
        if isinstance(value, str):
            head = value[:10]
            try:
                dt.date.fromisoformat(head)
            except ValueError:
                pass
            else:
                if len(value) == 10 or self._is_datetime(value):
                    return head
        return self.checked(path, value, None, "not a calendar date")

    def datetime(self, path: str, value: Any) -> str | None:
        """An xsd:dateTime, unchanged, when `value` is one (ISO 8601 with a time part)."""
        found = value if isinstance(value, str) and self._is_datetime(value) else None
        return self.checked(path, value, found, "not a date-time")

    @staticmethod
    def _is_datetime(value: str) -> bool:
        if "T" not in value:
            return False
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        return True

    def listed(self, path: str, value: Any) -> list[Any]:
        """`value` when it is a JSON array; otherwise [] and an issue."""
        if isinstance(value, list):
            return value
        self.issue(path, value, "not a list")
        return []

    def boolean(self, path: str, value: Any) -> bool | None:
        return self.checked(path, value, value if isinstance(value, bool) else None, "not a boolean")

    def text(self, path: str, value: Any) -> str | None:
        """A plain string, unchanged (no trimming: a stray space is the shapes' business)."""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return self.checked(path, value, None, "not a text value")

    def iri(self, path: str, value: Any) -> str | None:
        """An absolute IRI, unchanged (any scheme: whether a scheme is acceptable is the shapes' call)."""
        found = value if isinstance(value, str) and _SCHEME.match(value) else None
        return self.checked(path, value, found, "not an absolute IRI")

    def code(self, path: str, value: Any, scheme: str, what: str) -> str | None:
        """Our short code in concept scheme `scheme` for an upstream label (see `codes.CodeList.lookup`)."""
        found = codes.bundled()[scheme].lookup(value) if isinstance(value, str) else frozenset()
        if len(found) == 1:
            return next(iter(found))
        if found:
            choices = ", ".join(sorted(found))
            self.issue(
                path,
                value,
                f"this value names more than one {what} ({choices}); the importer does not pick one",
            )
        else:
            self.issue(path, value, f"no {what} in our vocabulary matches this value")
        return None

    def country(self, path: str, value: Any) -> str | None:
        """An ISO 3166-1 alpha-2 code: a two-letter code as written, or the code of an English name."""
        if isinstance(value, str):
            if re.fullmatch(r"[A-Z]{2}", value):
                return value
            by_name = {codes.normal(name): code for name, code in codes.COUNTRY.items()}
            if codes.normal(value) in by_name:
                return by_name[codes.normal(value)]
        return self.checked(path, value, None, "no ISO 3166-1 country code is known for this value")
