"""Test helpers: turn an example passport (plain JSON-LD) into an RDF graph with the reference libraries."""

from __future__ import annotations

import json
import re
from decimal import Decimal
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


DOUBLE_AS_DECIMAL = re.compile(
    r'"([-+]?[0-9.]+[eE][-+]?[0-9]+)"\^\^<http://www.w3.org/2001/XMLSchema#decimal>'
)


def canonical_decimals(nquads: str) -> rdflib.Graph:
    """JSON numbers typed xsd:decimal come out of JSON-LD in double notation ("4.865E2", and pyld's
    "9.640000000000001E1", printed with 16 digits); read them as plain decimals of 15 significant digits."""

    def plain(match: re.Match[str]) -> str:
        value = format(Decimal(f"{float(match.group(1)):.15g}"), "f")
        return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#decimal>'

    return rdflib.Graph().parse(data=DOUBLE_AS_DECIMAL.sub(plain, nquads), format="nt")


def graph_with_pyld(document: dict[str, Any]) -> rdflib.Graph:
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": bundled_context_loader}
    )
    return canonical_decimals(nquads)


def graph_with_pyoxigraph(document: dict[str, Any]) -> rdflib.Graph:
    inlined = dict(document)
    assert inlined["@context"] == resources.CONTEXT_URL
    inlined["@context"] = resources.context_document()["@context"]
    quads = ox.parse(json.dumps(inlined).encode(), format=ox.RdfFormat.JSON_LD)
    nquads = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    assert nquads is not None
    return canonical_decimals(nquads.decode())


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
