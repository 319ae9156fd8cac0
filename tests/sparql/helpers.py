"""What each caller must see: the examples' triples by access group, the ontology, result parsers."""

from __future__ import annotations

import functools
import io
import warnings

import pyoxigraph as ox
import rdflib
from rdflib.query import Result

from passport_registry import resources
from passport_registry.access import ALL_GROUPS, AccessGroup
from passport_registry.store import LIVE_GRAPHS, ONTOLOGY_GRAPH, EmbeddedPassportStore

from .conftest import EXAMPLES, passport_iri


def group_triples(store: EmbeddedPassportStore, group: AccessGroup) -> set[ox.Triple]:
    """Every example passport's triples of `group`, read through the store's REST-side `get`."""
    return {t for path in EXAMPLES.glob("*.json") for t in store.get(passport_iri(path), {group}).triples}


@functools.cache
def ontology_triples() -> frozenset[ox.Triple]:
    """The ontology and vocabularies, as loaded into the ontology graph (blank nodes included)."""
    return frozenset(
        q.triple
        for document in (resources.ontology_bytes(), resources.vocabularies_bytes())
        for q in ox.parse(document, format=ox.RdfFormat.TURTLE)
    )


def graph_iris(groups: frozenset[AccessGroup]) -> set[str]:
    return {LIVE_GRAPHS[g].value for g in groups} | {ONTOLOGY_GRAPH.value}


def hidden_terms(
    store: EmbeddedPassportStore, groups: frozenset[AccessGroup]
) -> set[ox.NamedNode | ox.Literal]:
    """Terms that occur only in groups outside `groups`: seeing one of them is a leak."""
    visible: set[object] = set()
    for group in groups:
        for t in group_triples(store, group):
            visible |= {t.subject, t.predicate, t.object}
    for t in ontology_triples():
        visible |= {t.subject, t.predicate, t.object}
    hidden: set[ox.NamedNode | ox.Literal] = set()
    for group in ALL_GROUPS - groups:
        for t in group_triples(store, group):
            hidden |= {
                x for x in (t.subject, t.object) if x not in visible and not isinstance(x, ox.BlankNode)
            }
    return hidden


def triples_of(body: bytes, media_type: str = "application/n-triples") -> set[ox.Triple]:
    fmt = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}[media_type]
    return {q.triple for q in ox.parse(body, format=fmt)}


def parse_results(body: bytes, media_type: str) -> Result:
    """Parse a results document with rdflib's own SPARQL results parsers."""
    fmt = {
        "application/sparql-results+json": "json",
        "application/sparql-results+xml": "xml",
        "text/csv": "csv",
        "text/tab-separated-values": "tsv",
    }[media_type.split(";")[0]]
    return Result.parse(io.BytesIO(body), format=fmt)


def rdflib_terms(result: Result) -> set[rdflib.term.Node]:
    return {term for row in result for term in row if term is not None}  # type: ignore[union-attr]


def rdflib_graph(data: bytes, rdflib_format: str) -> rdflib.Graph:
    """`data` parsed by rdflib (any graph of a dataset format merged into one graph)."""
    with warnings.catch_warnings():  # rdflib warns about its own deprecated internals (Dataset, JSON-LD)
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = rdflib.Dataset().parse(data=data, format=rdflib_format)
        return rdflib.Graph().parse(data=dataset.serialize(format="nt"), format="nt")
