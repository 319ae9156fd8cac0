"""Proactive content negotiation (RFC 9110 §12.5.1): pick the representation the client prefers most."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from passport_registry.errors import NotAcceptable


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header: `type/subtype` (wildcards allowed), its parameters and q-value."""

    type: str
    subtype: str
    params: dict[str, str] = field(default_factory=dict)
    q: float = 1.0

    @property
    def specificity(self) -> int:
        """RFC 9110: a more specific range overrides a less specific one for the same media type."""
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)

    def matches(self, media_type: str, params: dict[str, str] | None = None) -> bool:
        main, _, sub = media_type.partition("/")
        if self.type != "*" and self.type != main:
            return False
        if self.subtype != "*" and self.subtype != sub:
            return False
        offered = params or {}
        return all(offered.get(k) == v for k, v in self.params.items())


@dataclass(frozen=True)
class Choice:
    """The negotiated representation: the offered media type and the parameters the client asked for."""

    media_type: str
    params: dict[str, str]


def _split_params(text: str) -> tuple[str, dict[str, str]]:
    head, *rest = text.split(";")
    params: dict[str, str] = {}
    for item in rest:
        name, sep, value = item.partition("=")
        if not sep:
            continue
        params[name.strip().lower()] = value.strip().strip('"')
    return head.strip().lower(), params


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; malformed entries are skipped, as RFC 9110 lets a server do.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/turtle;q=0.5, application/*")]
    [('text', 'turtle', 0.5), ('application', '*', 1.0)]
    """
    if not header or not header.strip():
        return [MediaRange("*", "*")]
    ranges: list[MediaRange] = []
    for part in header.split(","):
        if not part.strip():
            continue
        media, params = _split_params(part)
        main, slash, sub = media.partition("/")
        if not slash or not main or not sub:
            continue
        q_text = params.pop("q", "1")
        try:
            q = float(q_text)
        except ValueError:
            continue
        if not 0.0 <= q <= 1.0:
            continue
        ranges.append(MediaRange(main, sub, params, q))
    return ranges


def negotiate(accept: str | None, offered: Sequence[str]) -> Choice:
    """Choose among `offered` media types (in the server's order of preference) for an Accept header.

    Each offer gets the q-value of the most specific range that matches it; the highest q wins and ties go to
    the server's order. Parameters the client gave on the winning range (such as JSON-LD's `profile`) are
    returned with the choice. Raises `NotAcceptable` listing what is offered when nothing matches.

    >>> negotiate("text/turtle, application/ld+json;q=0.9", ["application/ld+json", "text/turtle"]).media_type
    'text/turtle'
    """
    ranges = parse_accept(accept)
    best: tuple[float, int, Choice] | None = None
    for rank, media_type in enumerate(offered):
        matching = [r for r in ranges if r.matches(media_type) or _matches_ignoring_params(r, media_type)]
        if not matching:
            continue
        top = max(matching, key=lambda r: r.specificity)
        if top.q <= 0:
            continue
        candidate = (top.q, -rank, Choice(media_type, dict(top.params)))
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    if best is None:
        raise NotAcceptable(
            "None of the representations this resource offers matches the Accept header.",
            offered=list(offered),
        )
    return best[2]


def _matches_ignoring_params(media_range: MediaRange, media_type: str) -> bool:
    # A client may ask for `application/ld+json;profile="..."`: the type matches, the profile is a request.
    bare = MediaRange(media_range.type, media_range.subtype, {}, media_range.q)
    return bool(media_range.params) and bare.matches(media_type)
