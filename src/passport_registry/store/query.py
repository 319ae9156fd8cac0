"""Read-only SPARQL over the store: one query, checked, on the dataset its caller may read, serialised.

`execute` is the one place a query meets the engine, whichever runs it: the worker processes of an
on-disk store (`store/workers.py`) or the query threads of an in-memory one (`store/query_threads.py`).
It first has the query inspected (`sparql/parser.py`: a real parse that refuses SERVICE, updates and
queries too deep to evaluate), then chooses the dataset (`sparql/dataset.py`: exactly the caller's
graphs, or fewer), then runs it and writes the result. Both runners call it only in threads confined
by `store/sandbox.py`, so even a query the inspection misjudged cannot reach the network.
Results travel as serialised bytes, never as Python objects.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph
from pyoxigraph import NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Store, Triple

from passport_registry.errors import BadRequest, NotAcceptable, QueryTimeout, ResultTooLarge
from passport_registry.rdf.formats import FORMATS
from passport_registry.sparql import results
from passport_registry.sparql.dataset import DatasetRequest
from passport_registry.sparql.parser import QueryShape, inspect

#: Reads a query's text (and the base IRI) and says what it is, or refuses it: `sparql.parser.inspect`.
Inspector = Callable[[str, str | None], QueryShape]


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """One read-only query: its text, the caller's dataset and request (`DatasetRequest`), the media
    types negotiated for each kind of result (None: not acceptable to the client) and the most
    solutions or triples to return."""

    text: str
    dataset: DatasetRequest
    results_type: str | None
    graph_type: str | None
    max_results: int
    base_iri: str | None = None


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A complete result document and its media type (as negotiated, without parameters)."""

    body: bytes
    media_type: str


def execute(
    store: Store, request: QueryRequest, deadline: float | None = None, inspector: Inspector = inspect
) -> QueryResult:
    """Inspect `request`, run it on `store` over the dataset it may read, and serialise the result.

    The chosen dataset is handed to the engine as `default_graph=` / `named_graphs=`, which replace
    any FROM / FROM NAMED of the query text (tested), so the engine never reads another graph.
    Raises BadRequest (syntax, update, SERVICE, a network access refused by the sandbox),
    QueryTooComplex, Forbidden (a graph outside the caller's), NotAcceptable (no media type for this
    kind of result), ResultTooLarge, QueryTimeout (only when `deadline`, a `time.monotonic()` value,
    passes between two solutions); OSError when the store cannot be read.
    """
    shape = inspector(request.text, request.base_iri)
    default, named = request.dataset.choose(shape)
    try:
        result = store.query(
            request.text,
            base_iri=request.base_iri,
            default_graph=[NamedNode(g) for g in default],
            named_graphs=[NamedNode(g) for g in named],
        )
        if isinstance(result, QueryBoolean):
            media = _need(request.results_type, results.RESULT_MEDIA_TYPES)
            return QueryResult(results.boolean_document(bool(result), media), media)
        if isinstance(result, QuerySolutions):
            media = _need(request.results_type, results.RESULT_MEDIA_TYPES)
            variables = [v.value for v in result.variables]
            rows = _watched((tuple(s) for s in result), deadline)
            return QueryResult(results.solutions_document(variables, rows, media, request.max_results), media)
        assert isinstance(result, QueryTriples)
        media = _need(request.graph_type, GRAPH_MEDIA_TYPES)
        return QueryResult(_graph_document(result, media, request.max_results, deadline), media)
    except SyntaxError as exc:
        raise BadRequest(f"Invalid SPARQL query: {exc}") from None
    except PermissionError:
        # Only the sandbox denies anything to a query: the engine tried to open a network connection.
        raise BadRequest("The query tried to open a network connection; this endpoint never does.") from None


#: RDF media types CONSTRUCT and DESCRIBE results are written in (plain JSON is not RDF), Turtle first.
GRAPH_MEDIA_TYPES: tuple[str, ...] = (
    "text/turtle",
    *(m for m in FORMATS if m != "text/turtle" and not FORMATS[m].implied_context),
)


def _need(media_type: str | None, offered: Any) -> str:
    if media_type is None:
        raise NotAcceptable(
            "None of the media types for this kind of query result matches the Accept header.",
            offered=list(offered),
        )
    return media_type


def _watched(items: Iterator[Any], deadline: float | None) -> Iterator[Any]:
    if deadline is None:
        yield from items
        return
    for item in items:
        if time.monotonic() > deadline:
            raise QueryTimeout("The query ran past its time limit and was stopped.")
        yield item


def _graph_document(
    triples: QueryTriples, media_type: str, max_results: int, deadline: float | None
) -> bytes:
    return graph_document((t for t in _watched(iter(triples), deadline)), media_type, max_results)


def graph_document(triples: Iterable[Any], media_type: str, max_results: int) -> bytes:
    """A CONSTRUCT / DESCRIBE result (triples, or quads whose graph is ignored) written as `media_type`.

    Raises ResultTooLarge at triple `max_results + 1`, and NotAcceptable where RDF/XML cannot write
    the graph well-formed; a carriage return in RDF/XML is written `&#xD;`, so it reaches the reader.
    """
    fmt = FORMATS[media_type].rdf_format
    kept: list[Any] = []
    for count, item in enumerate(triples, start=1):
        if count > max_results:
            raise ResultTooLarge(
                f"The result has more than {max_results} triples; narrow the query.", max_results=max_results
            )
        kept.append(
            Quad(item.subject, item.predicate, item.object)
            if fmt.supports_datasets
            else Triple(item.subject, item.predicate, item.object)
        )
    if fmt == RdfFormat.RDF_XML:
        _check_rdf_xml(kept)
    output = pyoxigraph.serialize(kept, format=fmt)
    assert output is not None
    if fmt == RdfFormat.RDF_XML:
        output = output.replace(b"\r", b"&#xD;")  # a raw CR would reach the reader as a line feed
    return output


#: The NCName an RDF/XML property element needs at the end of a predicate IRI (XML Namespaces 1.0).
_NCNAME_END = re.compile(r"[A-Za-z_\u00c0-\ud7ff\uf900-\ufffd][\w.\-\u00b7\u0300-\u036f\u203f-\u2040]*$")
_NON_XML_FORMATS = [m for m in GRAPH_MEDIA_TYPES if m != "application/rdf+xml"]


def _check_rdf_xml(triples: list[Any]) -> None:
    """Refuse (406) a graph RDF/XML cannot write well-formed: a character XML 1.0 cannot carry, or a
    predicate with no NCName at its end to name the property element."""
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            value = getattr(term, "value", "")
            if results.NOT_XML_CHARS.search(value):
                raise NotAcceptable(
                    "The result holds a character XML 1.0 cannot carry; ask for another RDF format.",
                    offered=_NON_XML_FORMATS,
                )
        if not _NCNAME_END.search(triple.predicate.value):
            raise NotAcceptable(
                f"The predicate <{triple.predicate.value}> cannot name an RDF/XML element; "
                "ask for another RDF format.",
                offered=_NON_XML_FORMATS,
            )


def replace_graph_update(graph: NamedNode, triples: Iterable[Triple]) -> str:
    """One SPARQL UPDATE that empties `graph` (if it exists) and fills it with `triples`."""
    data = pyoxigraph.serialize(list(triples), format=RdfFormat.N_TRIPLES)
    assert data is not None
    return f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{data.decode()}}} }}"
