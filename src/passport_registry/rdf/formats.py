"""The media types the registry reads and writes, and the pyoxigraph format behind each."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from types import MappingProxyType

from pyoxigraph import RdfFormat

from passport_registry.errors import UnsupportedMediaType

JSON_LD = "application/ld+json"
JSON = "application/json"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
TRIG = "application/trig"
RDF_XML = "application/rdf+xml"


@dataclass(frozen=True, slots=True)
class MediaFormat:
    """One readable media type: its canonical name, the pyoxigraph format, and whether our context applies.

    `implied_context` is true for plain JSON: a document without `@context` is read with the bundled
    passport context, so partners can send JSON shaped like the Battery Pass payloads.
    """

    media_type: str
    rdf_format: RdfFormat
    implied_context: bool = False

    @property
    def is_json(self) -> bool:
        return self.rdf_format == RdfFormat.JSON_LD


#: Canonical media type -> format. Aliases below map onto these names.
FORMATS: Mapping[str, MediaFormat] = MappingProxyType(
    {
        m.media_type: m
        for m in (
            MediaFormat(JSON_LD, RdfFormat.JSON_LD),
            MediaFormat(JSON, RdfFormat.JSON_LD, implied_context=True),
            MediaFormat(TURTLE, RdfFormat.TURTLE),
            MediaFormat(N_TRIPLES, RdfFormat.N_TRIPLES),
            MediaFormat(N_QUADS, RdfFormat.N_QUADS),
            MediaFormat(TRIG, RdfFormat.TRIG),
            MediaFormat(RDF_XML, RdfFormat.RDF_XML),
        )
    }
)

_ALIASES: Mapping[str, str] = MappingProxyType(
    {
        "application/x-turtle": TURTLE,
        "application/turtle": TURTLE,
        "text/n-triples": N_TRIPLES,
        "text/x-nquads": N_QUADS,
        "application/x-trig": TRIG,
    }
)

#: File extension (lower case, with dot) -> canonical media type, for the CLI and importers.
EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {
        ".jsonld": JSON_LD,
        ".json": JSON,
        ".ttl": TURTLE,
        ".nt": N_TRIPLES,
        ".nq": N_QUADS,
        ".trig": TRIG,
        ".rdf": RDF_XML,
        ".xml": RDF_XML,
        ".owl": RDF_XML,
    }
)


def media_format(media_type: str) -> MediaFormat:
    """The format for a Content-Type value (parameters allowed; only a UTF-8 charset is accepted).

    Raises `UnsupportedMediaType` naming the accepted types when the type is unknown or the charset is
    not UTF-8.

    >>> media_format("text/turtle; charset=utf-8").rdf_format
    <RdfFormat Turtle>
    """
    essence, _, params = media_type.partition(";")
    name = essence.strip().lower()
    name = _ALIASES.get(name, name)
    found = FORMATS.get(name)
    if found is None:
        raise UnsupportedMediaType(
            f"Media type {essence.strip()!r} is not supported; send one of: {', '.join(FORMATS)}.",
            accepted=list(FORMATS),
        )
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise UnsupportedMediaType(
                f"Charset {value.strip()!r} is not supported; RDF input must be UTF-8.",
                accepted=list(FORMATS),
            )
    return found


def media_type_for_path(path: str | PurePath) -> str:
    """The canonical media type for a file name, by its extension; `UnsupportedMediaType` if unknown."""
    suffix = PurePath(path).suffix.lower()
    try:
        return EXTENSIONS[suffix]
    except KeyError:
        raise UnsupportedMediaType(
            f"Cannot tell the format of {PurePath(path).name!r} from its extension; "
            f"known extensions: {', '.join(EXTENSIONS)}.",
            accepted=list(FORMATS),
        ) from None
