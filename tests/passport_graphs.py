"""Test helpers: turn an example passport (plain JSON-LD) into an RDF graph with the reference libraries."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from pyld import jsonld

from passport_registry import resources

EXAMPLES = Path(__file__).parent.parent / "examples" / "passports"


class RemoteContextRefused(Exception):
    """A document asked for a context other than the bundled one."""


def bundled_context_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that serves the bundled context for its URL and refuses everything else."""
    if url != resources.CONTEXT_URL:
        raise RemoteContextRefused(url)
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": resources.context_document(),
    }


# Lexical spaces of the XSD datatypes our context coerces to (XML Schema 1.1 Part 2, section 3.3), written
# out here so the tests judge literals independently of rdflib (which reads "3.1E-2" as a decimal) and of
# the registry's own parser.
_LEXICAL = {
    "decimal": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)",
    "integer": r"[+-]?[0-9]+",
    "boolean": r"true|false|1|0",
    "double": r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN",
    "date": r"-?([1-9][0-9]{3,}|0[0-9]{3})-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?",
    "dateTime": r"-?([1-9][0-9]{3,}|0[0-9]{3})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?",
}
XSD = "http://www.w3.org/2001/XMLSchema#"
LEXICAL_SPACES = {XSD + name: re.compile(pattern) for name, pattern in _LEXICAL.items()}


def ill_typed(nquads: str | bytes) -> list[str]:
    """Every literal in `nquads` whose lexical form is not in the lexical space of its XSD datatype.

    Read with pyoxigraph, which keeps lexical forms as written: rdflib rewrites `"4.865E2"^^xsd:decimal`
    to `"486.5"` while parsing, which would hide exactly the defect this looks for.
    """
    data = nquads.encode() if isinstance(nquads, str) else nquads
    found = []
    for quad in ox.parse(data, format=ox.RdfFormat.N_QUADS):
        obj = quad.object
        if isinstance(obj, ox.Literal):
            space = LEXICAL_SPACES.get(obj.datatype.value)
            if space is not None and not space.fullmatch(obj.value):
                found.append(f"{quad.predicate} {obj}")
    return sorted(found)


def same_graph(first: str | bytes, second: str | bytes) -> bool:
    """Whether two N-Triples/N-Quads documents hold the same triples up to blank node names, literals
    compared exactly as written (graph names ignored)."""

    def canonical(text: str | bytes) -> set[ox.Quad]:
        data = text.encode() if isinstance(text, str) else text
        dataset = ox.Dataset(ox.Quad(*q.triple) for q in ox.parse(data, format=ox.RdfFormat.N_QUADS))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return set(dataset)

    return canonical(first) == canonical(second)


def pyld_nquads(document: dict[str, Any]) -> str:
    """What pyld (a conformant JSON-LD 1.1 processor) writes for `document`, as N-Quads, untouched."""
    nquads: str = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": bundled_context_loader}
    )
    return nquads


def graph_with_pyld(document: dict[str, Any]) -> rdflib.Graph:
    """The graph pyld reads from `document`, as rdflib holds it (rdflib normalises the lexical form of
    numeric literals; use `pyld_nquads` and `ill_typed` to see literals as pyld wrote them)."""
    return rdflib.Graph().parse(data=pyld_nquads(document), format="nt")


def pyoxigraph_nquads(document: dict[str, Any]) -> str:
    """What pyoxigraph's JSON-LD parser reads from `document` (the bundled context inlined), untouched."""
    inlined = dict(document)
    assert inlined["@context"] == resources.CONTEXT_URL
    inlined["@context"] = resources.context_document()["@context"]
    quads = ox.parse(json.dumps(inlined).encode(), format=ox.RdfFormat.JSON_LD)
    nquads = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    assert nquads is not None
    return nquads.decode()


def graph_with_pyoxigraph(document: dict[str, Any]) -> rdflib.Graph:
    """The graph pyoxigraph's JSON-LD parser reads from `document`, as rdflib holds it."""
    return rdflib.Graph().parse(data=pyoxigraph_nquads(document), format="nt")


def example(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return document


def example_names() -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.json"))


def isomorphic(first: rdflib.Graph, second: rdflib.Graph) -> bool:
    """Whether two graphs are the same up to blank node names (pyoxigraph's canonicalisation; rdflib's
    isomorphism check takes seconds on passports with dozens of blank nodes)."""

    def canonical(graph: rdflib.Graph) -> set[ox.Quad]:
        dataset = ox.Dataset(ox.parse(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
        return set(dataset)

    return len(first) == len(second) and canonical(first) == canonical(second)
