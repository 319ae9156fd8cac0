"""Content negotiation: q-values, specificity, server order on ties, parameters, 406."""

from __future__ import annotations

import pytest

from passport_registry.api.negotiation import negotiate, parse_accept
from passport_registry.errors import NotAcceptable

OFFERED = ["application/ld+json", "application/json", "text/turtle", "text/html"]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/ld+json"),
        ("", "application/ld+json"),
        ("*/*", "application/ld+json"),
        ("text/turtle", "text/turtle"),
        ("text/*", "text/turtle"),
        ("text/html, application/ld+json;q=0.9", "text/html"),
        ("application/ld+json;q=0.5, text/turtle;q=0.8", "text/turtle"),
        ("text/*;q=0.3, text/html;q=0.7, */*;q=0.1", "text/html"),
        ("text/html;q=0, */*", "application/ld+json"),
        ("image/png, text/turtle;q=0.1", "text/turtle"),
    ],
)
def test_picks_the_preferred_offer(accept: str | None, expected: str) -> None:
    assert negotiate(accept, OFFERED).media_type == expected


def test_more_specific_range_overrides_wildcard() -> None:
    # text/turtle is refused outright even though text/* is welcome.
    assert negotiate("text/*, text/turtle;q=0", OFFERED).media_type == "text/html"


def test_profile_parameter_travels_with_the_choice() -> None:
    accept = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"'
    choice = negotiate(accept, OFFERED)
    assert choice.media_type == "application/ld+json"
    assert choice.params == {"profile": "http://www.w3.org/ns/json-ld#expanded"}


def test_nothing_acceptable_lists_the_offers() -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate("image/png, application/pdf", OFFERED)
    assert caught.value.extensions["offered"] == OFFERED


def test_malformed_entries_are_skipped() -> None:
    ranges = parse_accept("garbage, text/turtle;q=abc, text/html;q=2, application/json;q=0.4")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [("application", "json", 0.4)]
