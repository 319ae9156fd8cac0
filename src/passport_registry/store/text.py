"""RDF written out as text: N-Triples, N-Quads and SPARQL `INSERT DATA`, from pyoxigraph terms only.

pyoxigraph's N-Triples serialiser validates IRIs and escapes literals, and an N-Triples statement is
also valid SPARQL, so text built here never carries a caller's string unescaped.
"""

from __future__ import annotations

from datetime import datetime

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_integer = NamedNode(XSD + "integer")
XSD_dateTime = NamedNode(XSD + "dateTime")

#: Triples to write, by graph.
GraphData = dict[NamedNode, list[Triple]]


def datetime_literal(value: datetime) -> Literal:
    """An `xsd:dateTime` literal; `value` must be timezone-aware."""
    if value.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return Literal(value.isoformat(), datatype=XSD_dateTime)


def integer_literal(value: int) -> Literal:
    return Literal(str(value), datatype=XSD_integer)


def nquads(data: GraphData) -> bytes:
    # An N-Triples line ends in " .\n" and nowhere else (newlines in literals are escaped), so
    # appending the graph name to each line makes N-Quads without building a Quad per triple.
    return b"".join(
        ntriples(triples).replace(b" .\n", f" {graph} .\n".encode())
        for graph, triples in data.items()
        if triples
    )


def insert_data(data: GraphData) -> str:
    blocks = (
        f"GRAPH {graph} {{\n{ntriples(triples).decode()}}}" for graph, triples in data.items() if triples
    )
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}"


def insert_nquads(data: bytes) -> str:
    """`data` (N-Quads, named graphs only) as one `INSERT DATA`: a bulk chunk for a SPARQL server."""
    by_graph: GraphData = {}
    for q in parse(data, format=RdfFormat.N_QUADS):
        assert isinstance(q.graph_name, NamedNode), "the store writes named graphs only"
        by_graph.setdefault(q.graph_name, []).append(q.triple)
    return insert_data(by_graph)


def ntriples(triples: list[Triple]) -> bytes:
    """N-Triples, one statement a line, each line ending in " .\n"."""
    text = serialize(triples, format=RdfFormat.N_TRIPLES)
    assert text is not None, "serialize returns bytes when given no output"
    return text
