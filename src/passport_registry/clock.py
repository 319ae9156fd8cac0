"""Where "now" comes from: one injectable callable, so expiry and throttling are tested without sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

#: Returns the current time as an aware UTC datetime.
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The system time, aware and in UTC."""
    return datetime.now(UTC)
