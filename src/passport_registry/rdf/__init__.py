"""Bytes <-> quads: every RDF format the registry reads or writes, with one clear error for bad input.

`parse` is the only way request bodies and files become RDF: it bounds size and nesting, insists on
UTF-8, inlines the bundled JSON-LD context instead of fetching anything, refuses RDF/XML document type
declarations (no entity expansion), refuses literals that RDF/XML output could not carry, and writes
JSON numbers in the lexical form of their datatype.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph
from pyoxigraph import Quad, RdfFormat, Triple

from passport_registry.errors import NotAcceptable, PayloadTooLarge, UnparseableInput
from passport_registry.rdf.characters import refuse_unwritable
from passport_registry.rdf.context import JsonLdContext
from passport_registry.rdf.formats import EXTENSIONS, FORMATS, MediaFormat, media_format, media_type_for_path
from passport_registry.rdf.jsonld import check_depth, inline_contexts, load_json
from passport_registry.rdf.literals import normalise_numbers
from passport_registry.vocabulary import Vocabulary
from passport_registry.vocabulary.terms import CONTEXT_URL

__all__ = [
    "CONTEXT_URL",
    "EXTENSIONS",
    "FORMATS",
    "JsonLdContext",
    "ParseLimits",
    "bundled_context",
    "load_context",
    "media_format",
    "media_type_for_path",
    "parse",
    "prepared_context",
    "serialize",
]


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Bounds on one input document: its size in bytes and the nesting depth of JSON."""

    max_bytes: int = 5 * 1024 * 1024
    max_depth: int = 32


def load_context(document: bytes | str) -> dict[str, Any]:
    """The `@context` value of a context document (what `parse` inlines in place of `CONTEXT_URL`)."""
    loaded = json.loads(document)
    context = loaded.get("@context") if isinstance(loaded, dict) else None
    if not isinstance(context, dict):
        raise ValueError("a JSON-LD context document must be an object with an object @context")
    return context


def parse(
    body: bytes,
    media_type: str,
    base_iri: str | None = None,
    *,
    context: Mapping[str, Any] | JsonLdContext | None = None,
    limits: ParseLimits = ParseLimits(),
) -> list[Quad]:
    """Parse `body` of `media_type` into quads (triples sit in the default graph).

    `context` is the bundled passport context (the `@context` value of its document, or a prepared
    `JsonLdContext` that also knows the URL a registry serves it at); it is used for JSON-LD that names
    one of its URLs (`CONTEXT_URL` always) and for plain JSON without a context, and loaded from the
    package resources when not given. Nothing is ever fetched.

    Raises `UnsupportedMediaType` for an unknown type, `PayloadTooLarge` beyond `limits.max_bytes`, and
    `UnparseableInput` (with `line` and `column` when known) for anything else that cannot be read, and
    `UnprocessableInput` for a literal holding a character XML 1.0 cannot carry (`rdf.characters`).

    >>> parse(b'<a> <http://ex/p> "1" .', "text/turtle", "http://ex/")[0].subject
    <NamedNode value=http://ex/a>
    """
    fmt = media_format(media_type)
    if len(body) > limits.max_bytes:
        raise PayloadTooLarge(
            f"Input of {len(body)} bytes exceeds the limit of {limits.max_bytes} bytes.",
            max_bytes=limits.max_bytes,
        )
    text = _decode(body)
    if fmt.is_json:
        text = _prepare_json(text, body, fmt, context, limits)
    elif fmt.rdf_format == RdfFormat.RDF_XML and ("<!DOCTYPE" in text or "<!ENTITY" in text):
        raise UnparseableInput(
            "RDF/XML with a document type declaration (DOCTYPE or ENTITY) is refused: "
            "the registry expands no entities and fetches nothing."
        )
    try:
        quads = list(pyoxigraph.parse(text, fmt.rdf_format, base_iri=base_iri))
    except SyntaxError as exc:
        raise _syntax_error(exc, fmt) from None
    refuse_unwritable(quads)
    return normalise_numbers(quads)


def serialize(
    quads: Iterable[Quad],
    media_type: str,
    prefixes: Mapping[str, str] | None = None,
) -> bytes:
    """Write `quads` in `media_type`.

    Formats without named graphs (Turtle, N-Triples, RDF/XML) receive the triples of every graph
    merged. JSON-LD is written expanded; plain JSON (a compacted tree) is not produced here, so
    `application/json` raises `NotAcceptable`.
    """
    fmt = media_format(media_type)
    if fmt.implied_context:
        offered = [m for m in FORMATS if not FORMATS[m].implied_context]
        raise NotAcceptable("Plain JSON is not an RDF serialisation.", offered=offered)
    data: Iterable[Quad] | Iterable[Triple] = quads
    if not fmt.rdf_format.supports_datasets:
        data = (q.triple for q in quads)
    output = pyoxigraph.serialize(data, format=fmt.rdf_format, prefixes=dict(prefixes or {}))
    assert output is not None
    if fmt.rdf_format == RdfFormat.RDF_XML:
        # XML parsers read a raw carriage return as a line feed (XML 1.0 section 2.11): escaped, a
        # literal's CR reaches the reader. IRIs hold none, so every CR here is in a literal.
        output = output.replace(b"\r", b"&#xD;")
    return output


def _decode(body: bytes) -> str:
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnparseableInput(
            "Input starts with a UTF-16 byte-order mark; RDF input must be UTF-8. "
            "Re-encode the file as UTF-8 (e.g. `iconv -f UTF-16 -t UTF-8`)."
        )
    try:
        return body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        column = exc.start - (body.rfind(b"\n", 0, exc.start) + 1) + 1
        raise UnparseableInput(
            f"Input is not UTF-8: invalid byte 0x{body[exc.start]:02x} at line {line}, column {column}.",
            line=line,
            column=column,
        ) from None


def _prepare_json(
    text: str,
    body: bytes,
    fmt: MediaFormat,
    context: Mapping[str, Any] | JsonLdContext | None,
    limits: ParseLimits,
) -> str:
    check_depth(body, limits.max_depth)
    document = load_json(text)
    if not isinstance(document, dict | list):
        # JSON-LD 1.1 section 9: a document is a map or an array; a bare string or number is none.
        raise UnparseableInput("A JSON(-LD) document must be an object (or an array of objects).")
    if context is None and (fmt.implied_context or CONTEXT_URL in text):
        context = bundled_context()
    return json.dumps(inline_contexts(document, context or {}, implied=fmt.implied_context))


@functools.cache
def bundled_context() -> JsonLdContext:
    """The passport context shipped with the package, prepared for parsing (read once, immutable)."""
    return prepared_context(Vocabulary.bundled())


def prepared_context(vocabulary: Vocabulary) -> JsonLdContext:
    """The context of `vocabulary`, prepared for parsing (its code terms found, its flat copy made)."""
    return JsonLdContext.prepare(vocabulary.context_value, vocabulary.context)


def _syntax_error(exc: SyntaxError, fmt: MediaFormat) -> UnparseableInput:
    message = str(exc.msg if exc.msg else exc)
    extensions: dict[str, Any] = {}
    if exc.lineno is not None:
        extensions["line"] = exc.lineno
    if exc.offset is not None:
        extensions["column"] = exc.offset
    if fmt.is_json and "LoadDocumentCallback" in message:
        message = "a remote JSON-LD context is referenced; the registry never fetches contexts"
    return UnparseableInput(f"Invalid {fmt.media_type}: {message}", **extensions)
