"""Instants in query parameters: RFC 3339 date-times with a time offset, and nothing else.

Pydantic alone also reads Unix times (`0.5`, `99999999999`) and dates without a zone; the OpenAPI
document promises `format: date-time` (RFC 3339), so anything else is refused with 422.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator

#: RFC 3339 section 5.6 `date-time` (with `T`, as JSON Schema's `date-time` format has it).
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})",
    re.ASCII,
)


def rfc3339(value: Any) -> Any:
    """`value` unchanged when it is an RFC 3339 date-time string; ValueError for any other string or
    number (a datetime object, from code rather than from a request, passes).

    >>> rfc3339("2027-02-18T09:00:00+01:00")
    '2027-02-18T09:00:00+01:00'
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _RFC3339.fullmatch(value.strip()):
        return value.strip()
    raise ValueError(
        "an RFC 3339 date-time with a time offset is needed, e.g. 2027-02-18T09:00:00Z "
        "(a `+` in an offset is written %2B in a URL)"
    )


#: A query parameter holding an instant: `Annotated[Instant | None, Query(...)]`.
Instant = Annotated[datetime, BeforeValidator(rfc3339)]
