"""How the text of an IDTA-02035 element becomes our value: the conversions `mapping.Row` and
`lists.Member` name, the engine's own (`importers.conversions.BY_NAME`) and two that AAS needs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from passport_registry.importers import conversions
from passport_registry.importers.tables import Convert
from passport_registry.importers.values import Converter

__all__ = ["converted"]

_MONTHS = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?$")


def _months(conv: Converter, at: str, value: Any) -> int | None:
    """Our warranty months from an ISO 8601 period of years and months (IDTA's WarrantyPeriod)."""
    found = _MONTHS.match(value) if isinstance(value, str) else None
    if found is None or not any(found.groups()):
        conv.issue(at, value, "not an ISO 8601 period of years and months; our warrantyPeriod is in months")
        return None
    years, months = (int(g or 0) for g in found.groups())
    return years * 12 + months


def _boolean(conv: Converter, at: str, value: Any) -> bool | None:
    """An xs:boolean Property's text ("true", "false", "1", "0"), or a JSON boolean."""
    if isinstance(value, str) and value.strip() in ("true", "false", "1", "0"):
        return value.strip() in ("true", "1")
    return conv.boolean(at, value)


_BY_NAME: Mapping[str, Convert] = {**conversions.BY_NAME, "months": _months, "boolean": _boolean}


def converted(conv: Converter, at: str, conversion: str, scheme: str | None, value: Any) -> Any:
    """`value` converted as `conversion` names it ("code": to our code in concept scheme `scheme`)."""
    if conversion == "code":
        assert scheme is not None
        return conversions.code(scheme, scheme.replace("-", " "))(conv, at, value)
    return _BY_NAME[conversion](conv, at, value)
