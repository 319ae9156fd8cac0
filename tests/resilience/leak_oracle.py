"""What a caller may read, worked out from the ontology's access groups without the registry's own code.

The oracle reads `ontology/battery-passport.ttl` with rdflib, takes the table of docs/model.md (which
roles read which group) as data, and splits a passport's full graph (its owner's N-Triples) by the
partition rule of docs/model.md: a root triple belongs to its predicate's group (`rdf:type`: public), a
nested node's triples to the group of the root property that reaches it. A response leaks when it holds
a triple of a group the caller may not read, a registry-internal term, or (for query results that are
not triples) a node or literal found only in such groups.
"""

from __future__ import annotations

import functools
import io
import json
import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from pyld import jsonld
from rdflib.term import Node

from passport_registry import resources

ROOT = Path(__file__).resolve().parents[2]
BPR = "https://w3id.org/passport-registry/battery#"
BPRM = "https://w3id.org/passport-registry/meta#"
GRAPH_BASE = "https://w3id.org/passport-registry/graph/"
RDF_TYPE = rdflib.RDF.type

PUBLIC = "public"
LIC = "legitimate-interest-and-commission"
AUTHORITIES = "authorities"
LI = "legitimate-interest"
GROUPS = (PUBLIC, LIC, AUTHORITIES, LI)
_GROUP_OF_IRI = {
    BPR + "PublicAccess": PUBLIC,
    BPR + "LegitimateInterestAndCommissionAccess": LIC,
    BPR + "AuthoritiesAccess": AUTHORITIES,
    BPR + "LegitimateInterestAccess": LI,
}

#: docs/model.md's table: the groups each kind of caller reads (authorities_read_item_data off).
#: "owner" reads every group of its own passports (REST only; its SPARQL dataset is its role's).
READS: Mapping[str, frozenset[str]] = {
    "anonymous": frozenset({PUBLIC}),
    "no_role": frozenset({PUBLIC}),
    "admin": frozenset({PUBLIC}),
    "other_operator": frozenset({PUBLIC}),
    "legitimate_interest": frozenset({PUBLIC, LIC, LI}),
    "notified_body": frozenset({PUBLIC, LIC, AUTHORITIES}),
    "market_surveillance": frozenset({PUBLIC, LIC, AUTHORITIES}),
    "commission": frozenset({PUBLIC, LIC, AUTHORITIES}),
    "owner": frozenset(GROUPS),
}


@functools.cache
def property_groups() -> Mapping[str, str]:
    """Property IRI -> group slug, from the ontology file's `bpr:accessGroup` annotations."""
    ontology = rdflib.Graph().parse(ROOT / "ontology" / "battery-passport.ttl", format="turtle")
    found = {}
    for prop, group in ontology.subject_objects(rdflib.URIRef(BPR + "accessGroup")):
        found[str(prop)] = _GROUP_OF_IRI[str(group)]
    return found


@functools.cache
def ontology_terms() -> frozenset[Node]:
    """Every term of the ontology graph (ontology and vocabularies), which every SPARQL dataset names."""
    graph = rdflib.Graph()
    for name in ("battery-passport.ttl", "vocabularies.ttl"):
        graph.parse(ROOT / "ontology" / name, format="turtle")
    return frozenset(term for triple in graph for term in triple)


def root_properties_of(group: str) -> frozenset[str]:
    return frozenset(p for p, g in property_groups().items() if g == group)


def split_by_group(graph: rdflib.Graph, root: rdflib.URIRef) -> dict[tuple[Node, Node, Node], str]:
    """Each triple of a passport's full graph with its group, by the partition rule (docs/model.md).

    Raises AssertionError for a triple the rule cannot place (unreachable from the root), so the oracle
    never silently drops data."""
    groups = property_groups()
    placed: dict[tuple[Node, Node, Node], str] = {}
    node_group: dict[Node, str] = {}
    for s, p, o in graph.triples((root, None, None)):
        group = PUBLIC if p == RDF_TYPE else groups.get(str(p))
        assert group is not None, f"root property without an access group: {p}"
        placed[(s, p, o)] = group
        if _is_node(o, root):
            node_group[o] = group
    frontier = list(node_group)
    while frontier:
        node = frontier.pop()
        for s, p, o in graph.triples((node, None, None)):
            placed[(s, p, o)] = node_group[node]
            if _is_node(o, root) and o not in node_group:
                node_group[o] = node_group[node]
                frontier.append(o)
    unplaced = [t for t in graph if t not in placed]
    assert not unplaced, f"triples the partition rule cannot place: {unplaced[:3]}"
    return placed


def _is_node(term: Node, root: rdflib.URIRef) -> bool:
    return isinstance(term, rdflib.BNode) or (
        isinstance(term, rdflib.URIRef) and str(term).startswith(str(root) + "#")
    )


@dataclass
class Passport:
    """One stored passport version as its owner reads it, split by group."""

    iri: str
    owner_caller: str
    triples: dict[tuple[Node, Node, Node], str]

    def forbidden(self, groups: frozenset[str]) -> set[tuple[Node, Node, Node]]:
        return {t for t, g in self.triples.items() if g not in groups}

    def allowed(self, groups: frozenset[str]) -> set[tuple[Node, Node, Node]]:
        return {t for t, g in self.triples.items() if g in groups}


@dataclass
class Leaks:
    """What was checked and what leaked (each leak described in one line)."""

    checked: int = 0
    refused: int = 0
    found: list[str] = field(default_factory=list)


def graph_leaks(
    response: rdflib.Graph, passport: Passport, groups: frozenset[str], *, limit: int = 3
) -> list[str]:
    """Triples of `response` the caller must not see: of a forbidden group, or not of the passport."""
    forbidden = passport.forbidden(groups)
    found = [f"forbidden triple {s} {p} {o}" for s, p, o in response if (s, p, o) in forbidden]
    found += [f"unknown triple {s} {p} {o}" for s, p, o in response if (s, p, o) not in passport.triples]
    return found[:limit]


def internal_terms(terms: Iterable[Node]) -> list[str]:
    """Terms that only the registry's own graphs hold (metadata, version records, guards, link records)."""
    found = []
    internal = re.compile(r"/versions/\d+|#minted$|/links/[0-9a-f]{32}$|/graph/(meta|index|battery)")
    for term in terms:
        text = str(term)
        if isinstance(term, rdflib.URIRef) and (text.startswith(BPRM) or internal.search(text)):
            found.append(f"internal term {text}")
    return found


def parse_rdf(body: bytes, media_type: str, base: str) -> rdflib.Graph:
    """A response body as a graph, read by rdflib (pyld for JSON-LD, with our context from the package)."""
    media_type = media_type.split(";")[0].strip()
    if media_type in ("application/ld+json", "application/json"):
        options: dict[str, object] = {"documentLoader": _bundled_context, "format": "application/n-quads"}
        document = json.loads(body)
        if media_type == "application/json":
            options["expandContext"] = resources.CONTEXT_URL
        nquads = jsonld.to_rdf(_own_context(document), options)
        return _dataset_graph(nquads.encode(), "nquads")
    fmt = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/n-quads": "nquads",
        "application/trig": "trig",
        "application/rdf+xml": "xml",
    }[media_type]
    return _dataset_graph(body, fmt, base)


def _own_context(document: object) -> object:
    """Documents name the context where the test server serves it; read it from the package instead."""
    if isinstance(document, dict) and isinstance(document.get("@context"), str):
        return {**document, "@context": resources.CONTEXT_URL}
    return document


def _bundled_context(url: str, options: object = None) -> dict[str, object]:
    assert url == resources.CONTEXT_URL, f"pyld asked for {url}"
    return {"contextUrl": None, "documentUrl": url, "document": resources.context_document()}


def _dataset_graph(data: bytes, fmt: str, base: str | None = None) -> rdflib.Graph:
    merged = rdflib.Graph()
    if fmt in ("nquads", "trig"):
        with warnings.catch_warnings():  # rdflib warns about its own deprecated Dataset internals
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset = rdflib.Dataset()
            dataset.parse(io.BytesIO(data), format=fmt, publicID=base)
        for s, p, o, _ in dataset.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    merged.parse(io.BytesIO(data), format=fmt, publicID=base)
    return merged


def sparql_json_terms(body: bytes) -> tuple[list[dict[str, Node]], bool | None]:
    """The rows (variable -> rdflib term) or boolean of a SPARQL JSON results document."""
    document = json.loads(body)
    if "boolean" in document:
        return [], bool(document["boolean"])
    rows = []
    for binding in document["results"]["bindings"]:
        row: dict[str, Node] = {}
        for name, term in binding.items():
            if term["type"] == "uri":
                row[name] = rdflib.URIRef(term["value"])
            elif term["type"] == "bnode":
                row[name] = rdflib.BNode(term["value"])
            else:
                row[name] = rdflib.Literal(
                    term["value"], lang=term.get("xml:lang"), datatype=term.get("datatype")
                )
        rows.append(row)
    return rows, None
