"""The SPARQL 1.1 Service Description (https://www.w3.org/TR/sparql11-service-description/) of `/sparql`.

The description is per caller: `sd:defaultDataset` lists the graphs that caller's queries read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import MappingProxyType

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS_description = NamedNode("http://purl.org/dc/terms/description")

#: The W3C format IRIs (https://www.w3.org/ns/formats/) of the RDF media types CONSTRUCT can answer in.
RDF_FORMAT_IRIS = MappingProxyType(
    {
        "text/turtle": "http://www.w3.org/ns/formats/Turtle",
        "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
        "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
        "application/n-quads": "http://www.w3.org/ns/formats/N-Quads",
        "application/trig": "http://www.w3.org/ns/formats/TriG",
        "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
    }
)


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def service_description(
    endpoint: str, default_graphs: Sequence[str], graphs: Sequence[str], format_iris: Iterable[str]
) -> list[Quad]:
    """The triples describing the endpoint at `endpoint` for a caller whose default graph is the merge
    of `default_graphs` and whose named graphs are `graphs`. Quads in the
    default graph, ready for `rdf.serialize`.
    """
    service = NamedNode(endpoint)
    dataset, default_graph = BlankNode(), BlankNode()
    triples = [
        Triple(service, RDF_type, _sd("Service")),
        Triple(service, _sd("endpoint"), service),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, RDF_type, _sd("Dataset")),
        Triple(dataset, _sd("defaultGraph"), default_graph),
        Triple(default_graph, RDF_type, _sd("Graph")),
        Triple(
            default_graph,
            DCTERMS_description,
            Literal("The merge of the passport data your access grants: " + ", ".join(default_graphs)),
        ),
    ]
    triples.extend(Triple(service, _sd("resultFormat"), NamedNode(iri)) for iri in format_iris)
    for graph in graphs:
        named = BlankNode()
        triples += [
            Triple(dataset, _sd("namedGraph"), named),
            Triple(named, RDF_type, _sd("NamedGraph")),
            Triple(named, _sd("name"), NamedNode(graph)),
        ]
    return [Quad(t.subject, t.predicate, t.object) for t in triples]
