"""Datasets of many passports, as `export` writes them: one named graph a passport, named after it.

`import` reads an N-Quads or TriG file as one passport a graph when its first graph is named after the
passport it holds (`<p> a bpr:BatteryPassport` in graph `<p>`); any other file is one passport, as before.
The file is read as a stream: each run of consecutive quads in one graph is one passport.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, parse, serialize

from passport_registry.rdf.formats import N_QUADS, N_TRIPLES, TRIG
from passport_registry.vocabulary.terms import BPR_BatteryPassport, RDF_type

_FORMATS = {N_QUADS: RdfFormat.N_QUADS, TRIG: RdfFormat.TRIG}


def passport_graphs(data: bytes, media_type: str) -> Iterator[tuple[str, bytes, str]] | None:
    """(graph IRI, N-Triples, its media type) for each passport graph of `data`, or None when `data` is
    not such a dataset (another media type, unreadable, or its first graph is not a passport's own)."""
    rdf_format = _FORMATS.get(media_type)
    if rdf_format is None:
        return None
    chunks = _runs(data, rdf_format)
    try:
        first = next(chunks)
    except (SyntaxError, StopIteration):
        return None  # read as one document, so the import reports the syntax error as it always has
    if not _is_passport_graph(first):
        return None

    def documents() -> Iterator[tuple[str, bytes, str]]:
        for run in itertools.chain([first], chunks):
            name = run[0].graph_name
            body = serialize([q.triple for q in run], format=RdfFormat.N_TRIPLES) or b""
            yield (name.value if isinstance(name, NamedNode) else "(default graph)"), body, N_TRIPLES

    return documents()


def count_passport_graphs(data: bytes, media_type: str) -> int | None:
    """How many documents `passport_graphs` yields for `data` (None when it yields none)."""
    graphs = passport_graphs(data, media_type)
    return None if graphs is None else sum(1 for _ in graphs)


def _runs(data: bytes, rdf_format: RdfFormat) -> Iterator[list[Quad]]:
    run: list[Quad] = []
    for quad in parse(data, format=rdf_format):
        if run and quad.graph_name != run[0].graph_name:
            yield run
            run = []
        run.append(quad)
    if run:
        yield run


def _is_passport_graph(run: list[Quad]) -> bool:
    graph = run[0].graph_name
    if isinstance(graph, DefaultGraph) or not isinstance(graph, NamedNode):
        return False
    return any(
        q.subject == graph and q.predicate == RDF_type and q.object == BPR_BatteryPassport for q in run
    )
