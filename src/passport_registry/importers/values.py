"""Turns source values into our JSON-LD literal forms, recording every value that cannot be expressed.

Guarantees: a value is either returned in the lexical form our context types it with, or `None` with
exactly one `ImportIssue` recorded; numbers are never rounded, clamped or otherwise repaired.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from passport_registry.importers.codes import COUNTRY
from passport_registry.importers.report import ImportIssue, IssueKind

_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def pointer(*parts: str | int) -> str:
    """The RFC 6901 JSON Pointer of `parts`: `pointer("a/b", 0)` is `/a~1b/0`."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def decimal_text(number: Decimal) -> str:
    """`number` as an xsd:decimal lexical form (no exponent): `Decimal("1.5E+3")` gives `1500`."""
    text = format(number, "f")
    return "0" if text in ("-0", "+0") else text


class Converter:
    """Converts the values of one source document, collecting issues for what it cannot express."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[ImportIssue] = []

    def issue(self, path: str, value: Any, reason: str, kind: IssueKind = "invalid") -> None:
        self.issues.append(ImportIssue(kind, self.source, path, value, reason))

    def unmapped(self, path: str, value: Any, reason: str = "our model has no attribute for it") -> None:
        self.issue(path, value, reason, kind="unmapped")

    def decimal(self, path: str, value: Any) -> str | None:
        """An xsd:decimal lexical form of a JSON number (or numeric string), exactly as given."""
        if isinstance(value, bool):
            self.issue(path, value, "a boolean is not a number")
            return None
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                self.issue(path, value, "not a finite number")
                return None
            # repr() is the shortest text that reads back as the same double: what the source wrote.
            return decimal_text(Decimal(repr(value)))
        if isinstance(value, str):
            try:
                number = Decimal(value.strip())
            except InvalidOperation:
                number = None
            if number is not None and number.is_finite() and value == value.strip():
                return decimal_text(number)
        self.issue(path, value, "not a number")
        return None

    def integer(self, path: str, value: Any) -> str | None:
        """An xsd:integer lexical form of a JSON integer (or integral numeric string)."""
        if isinstance(value, bool):
            self.issue(path, value, "a boolean is not an integer")
            return None
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, str) and _INTEGER.match(value):
            return str(int(value))
        self.issue(path, value, "not an integer")
        return None

    def scaled(self, path: str, value: Any, factor: Decimal) -> str | None:
        """`value` times `factor` as an xsd:decimal (a unit conversion, exact in decimal arithmetic)."""
        text = self.decimal(path, value)
        if text is None:
            return None
        return decimal_text((Decimal(text) * factor).normalize() if factor != 1 else Decimal(text))

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
        self.issue(path, value, "not a calendar date")
        return None

    def datetime(self, path: str, value: Any) -> str | None:
        """An xsd:dateTime, unchanged, when `value` is one (ISO 8601 with a time part)."""
        if isinstance(value, str) and self._is_datetime(value):
            return value
        self.issue(path, value, "not a date-time")
        return None

    @staticmethod
    def _is_datetime(value: str) -> bool:
        if "T" not in value:
            return False
        try:
            dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return False
        return True

    def boolean(self, path: str, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        self.issue(path, value, "not a boolean")
        return None

    def text(self, path: str, value: Any) -> str | None:
        """A plain string, unchanged (no trimming: a stray space is the shapes' business)."""
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.issue(path, value, "not a text value")
        return None

    def iri(self, path: str, value: Any) -> str | None:
        """An absolute IRI, unchanged (any scheme: whether a scheme is acceptable is the shapes' call)."""
        if isinstance(value, str) and _SCHEME.match(value):
            return value
        self.issue(path, value, "not an absolute IRI")
        return None

    def code(self, path: str, value: Any, table: Mapping[str, str], what: str) -> str | None:
        """Our SKOS short code for an upstream label: as written, then normalised (case, spaces, hyphens),
        then, for "Name (ABBR)", the name or the abbreviation."""
        if isinstance(value, str):
            found = lookup(table, value)
            if found is not None:
                return found
        self.issue(path, value, f"no {what} in our vocabulary matches this value")
        return None

    def country(self, path: str, value: Any) -> str | None:
        """An ISO 3166-1 alpha-2 code: a two-letter code as written, or the code of an English name."""
        if isinstance(value, str) and re.fullmatch(r"[A-Z]{2}", value):
            return value
        return self.code(path, value, COUNTRY, "ISO 3166-1 country code")


def _normal(text: str) -> str:
    return re.sub(r"[\s_-]+", "-", text.strip().casefold())


def lookup(table: Mapping[str, str], label: str) -> str | None:
    """The code `table` gives `label` (see `Converter.code`), or None."""
    if label in table:
        return table[label]
    normal = {_normal(key): code for key, code in table.items()}
    candidates = [label]
    abbreviated = re.fullmatch(r"(.*?)\s*\(([^()]+)\)\s*", label)
    if abbreviated:
        candidates += [abbreviated.group(1), abbreviated.group(2)]
    for candidate in candidates:
        if _normal(candidate) in normal:
            return normal[_normal(candidate)]
    return None
