"""Conditional requests (RFC 9110 section 13): one evaluation of `If-Match`, `If-Unmodified-Since`,
`If-None-Match` and `If-Modified-Since` for every resource that has validators.

    validators = Validators(etag='"abc"', last_modified=issued)
    if evaluate(request.headers, validators):
        return Response(status_code=304, headers=...)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from passport_registry.errors import PreconditionFailed

#: The request headers `evaluate` reads; a request with none of them is unconditional.
CONDITIONAL_HEADERS = ("if-match", "if-none-match", "if-modified-since", "if-unmodified-since")


@dataclass(frozen=True)
class Validators:
    """What a representation can be compared by: its strong ETag and when it last changed."""

    etag: str | None = None
    last_modified: datetime | None = None

    def headers(self) -> dict[str, str]:
        """`ETag` and `Last-Modified` response headers for these validators."""
        headers = {}
        if self.etag is not None:
            headers["ETag"] = self.etag
        if self.last_modified is not None:
            headers["Last-Modified"] = http_date(self.last_modified)
        return headers


def http_date(moment: datetime) -> str:
    """`moment` as an IMF-fixdate (RFC 9110 section 5.6.7), e.g. `Thu, 18 Feb 2027 09:00:00 GMT`.

    >>> http_date(datetime(2027, 2, 18, 9, 0, 30, 500, tzinfo=UTC))
    'Thu, 18 Feb 2027 09:00:30 GMT'
    """
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def parse_http_date(text: str) -> datetime | None:
    """An HTTP-date as an aware datetime; None for anything that is not one (the field is then ignored,
    RFC 9110 section 13.1.3)."""
    try:
        parsed = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def strong_match(header: str, etag: str) -> bool:
    """`If-Match` semantics: `*`, or a listed tag equal to `etag` by strong comparison (weak tags never
    match, RFC 9110 section 8.8.3.2)."""
    if header.strip() == "*":
        return True
    return not etag.startswith("W/") and etag in _tags(header)


def weak_match(header: str, etag: str) -> bool:
    """`If-None-Match` semantics: `*`, or a listed tag equal to `etag` by weak comparison."""
    if header.strip() == "*":
        return True
    opaque = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == opaque for tag in _tags(header))


def _seconds(moment: datetime) -> datetime:
    # HTTP-dates have a resolution of one second: compare at that resolution.
    return moment.astimezone(UTC).replace(microsecond=0)


def evaluate(headers: Mapping[str, str], validators: Validators, *, method: str = "GET") -> bool:
    """Evaluate the preconditions of a request for an existing representation (RFC 9110 section 13.2.2).

    Returns True when the answer is 304 Not Modified (a GET or HEAD whose `If-None-Match` matches,
    or, without `If-None-Match`, whose `If-Modified-Since` is not older than the last change); raises
    PreconditionFailed (412) when `If-Match` names none of the current tags, when (without `If-Match`)
    the representation changed after `If-Unmodified-Since`, or when `If-None-Match` matches on a
    method other than GET and HEAD. Returns False otherwise. Unparseable dates and empty fields are ignored.
    """
    if not any(name in headers for name in CONDITIONAL_HEADERS):
        return False
    etag, last_modified = validators.etag, validators.last_modified
    if_match = _field(headers, "if-match")
    if if_match is not None:
        if not strong_match(if_match, etag or ""):
            raise PreconditionFailed("If-Match names none of the current representation's ETags.")
    else:
        since = _date(headers, "if-unmodified-since")
        if since is not None and last_modified is not None and _seconds(last_modified) > since:
            raise PreconditionFailed(f"The resource changed after {http_date(since)} (If-Unmodified-Since).")
    safe = method in ("GET", "HEAD")
    if_none_match = _field(headers, "if-none-match")
    if if_none_match is not None:
        if weak_match(if_none_match, etag or ""):
            if safe:
                return True
            raise PreconditionFailed("If-None-Match matches the current representation.")
        return False
    since = _date(headers, "if-modified-since")
    return safe and since is not None and last_modified is not None and _seconds(last_modified) <= since


def _field(headers: Mapping[str, str], name: str) -> str | None:
    # An empty field value is an empty list (RFC 9110 section 5.6.1): as good as no field at all.
    text = headers.get(name)
    return text if text is not None and text.strip() else None


def _date(headers: Mapping[str, str], name: str) -> datetime | None:
    text = _field(headers, name)
    return None if text is None else parse_http_date(text)
