"""What makes a document a passport, for every write, `/validate` and the CLI alike: its triples (in no
registry graph, no triple terms), its one `bpr:BatteryPassport` root, and that root renamed to a passport IRI.

Pure functions over RDF terms; nothing here reads a store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pyoxigraph import BlankNode, NamedNode, Quad, Triple

from passport_registry.errors import UnprocessableInput
from passport_registry.store.layout import GRAPH_BASE
from passport_registry.vocabulary.terms import BPR_BatteryPassport, BPR_batteryStatus, RDF_type

Node = NamedNode | BlankNode


def rooted(triples: list[Triple], iri: NamedNode, *, adopt_other_iri: bool) -> list[Triple]:
    """`triples` with their one `bpr:BatteryPassport` root renamed to `iri` (nodes under the root's
    `#` follow it). Raises UnprocessableInput when there is not exactly one root, or the root is another
    IRI and `adopt_other_iri` is false."""
    root = passport_root(triples)
    if root == iri:
        return triples
    if isinstance(root, NamedNode) and not adopt_other_iri:
        raise UnprocessableInput(
            f"The body describes {root.value}, not {iri.value}; leave out @id or use this passport's IRI."
        )
    scope = root.value + "#" if isinstance(root, NamedNode) else None

    def rename(term: Any) -> Any:
        if term == root:
            return iri
        if scope is not None and isinstance(term, NamedNode) and term.value.startswith(scope):
            return NamedNode(iri.value + "#" + term.value[len(scope) :])
        return term

    # Only triples that mention the root (or a node under its `#`) are rebuilt: building a pyoxigraph
    # Triple costs microseconds, and most of a passport's triples are about its nested nodes.
    out = []
    for t in triples:
        subject, obj = t.subject, t.object  # each attribute read builds a new Python object
        s, o = rename(subject), rename(obj)
        out.append(t if s is subject and o is obj else Triple(s, t.predicate, o))
    return out


def passport_triples(quads: Iterable[Quad], prefix: str | None = None) -> list[Triple]:
    """The triples of an input document (all graphs merged), as every write and every validation reads
    them. Raises UnprocessableInput for data in one of the registry's own graphs or, with `prefix` (the
    registry's passport IRIs), in a passport's graph; and for RDF 1.2 triple terms (`<<( )>>`, which
    `<< >>` reifications hold too): a passport has none, and a triple term could quote another passport.
    """
    graphs = (GRAPH_BASE,) if prefix is None else (GRAPH_BASE, prefix)
    triples = []
    for quad in quads:
        graph = quad.graph_name
        if isinstance(graph, NamedNode) and graph.value.startswith(graphs):
            raise UnprocessableInput(
                f"The body puts data in the graph <{graph.value}>: the registry's graphs are its own, "
                "and it chooses where a passport is stored. Send the passport in the default graph.",
                graph=graph.value,
            )
        if isinstance(quad.object, Triple):
            raise UnprocessableInput(
                f"A passport holds no RDF 1.2 triple terms (<<( ... )>>, also inside << ... >> "
                f"reifications); found one as the value of <{quad.predicate.value}>."
            )
        triples.append(quad.triple)
    return triples


def passport_root(triples: Iterable[Triple]) -> Node:
    """The one node typed `bpr:BatteryPassport`: what makes a document a passport, for every write and
    for validation alike. Raises UnprocessableInput when there is none (`{}`, `[]`, an empty graph) or
    more than one."""
    roots = {t.subject for t in triples if t.predicate == RDF_type and t.object == BPR_BatteryPassport}
    if len(roots) != 1:
        raise UnprocessableInput(
            f'A passport has exactly one node typed bpr:BatteryPassport ("@type": "BatteryPassport"); '
            f"found {len(roots)}."
        )
    root = roots.pop()
    assert isinstance(root, NamedNode | BlankNode)  # rdf:type never has a quoted triple as subject here
    return root


def battery_status(triples: Iterable[Triple], root: NamedNode) -> NamedNode | None:
    """The battery status concept on the root, if any."""
    for t in triples:
        if t.subject == root and t.predicate == BPR_batteryStatus and isinstance(t.object, NamedNode):
            return t.object
    return None
