"""What the registry holds, as its front door tells people and machines: how many passports anyone may
read, a few of them as examples, and the registry's self-description in RDF (DCAT and VoID).

Everything is read through the anonymous caller's SPARQL dataset (the public live graph), so the front
door never tells more than an anonymous query could.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad

from passport_registry.catalogue import Catalogue
from passport_registry.resources import BPR, BPRV
from passport_registry.services.sparql import SparqlQueries
from passport_registry.sparql.results import RESULTS_JSON

RDF_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD = "http://www.w3.org/2001/XMLSchema#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
FOAF = "http://xmlns.com/foaf/0.1/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SD = "http://www.w3.org/ns/sparql-service-description#"
#: The regulation the passports implement (its ELI).
REGULATION = "http://data.europa.eu/eli/reg/2023/1542/oj"
#: Prefixes for the serialisations that use them.
PREFIXES = {"dcat": DCAT, "dct": DCT, "void": VOID, "rdfs": RDFS, "sd": SD, "bpr": BPR, "xsd": XSD}

_COUNT = f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{BPR}BatteryPassport> }}"
_EXAMPLES = f"""PREFIX bpr: <{BPR}>
SELECT ?p (SAMPLE(?id) AS ?battery) (SAMPLE(?category) AS ?cat) (SAMPLE(?chemistry) AS ?chem)
WHERE {{
  ?p a bpr:BatteryPassport .
  OPTIONAL {{ ?p bpr:productIdentifier ?id }}
  OPTIONAL {{ ?p bpr:batteryCategory ?category }}
  OPTIONAL {{ ?p bpr:batteryChemistry ?chemistry }}
}} GROUP BY ?p ORDER BY ?p LIMIT {{limit}}"""


@dataclass(frozen=True)
class ExamplePassport:
    """A public passport to show as an example: its IRI, battery identifier and what kind of battery."""

    iri: str
    battery_identifier: str | None
    category: str | None
    chemistry: str | None


@dataclass(frozen=True)
class Overview:
    """How many live passports anyone may read, and the first few of them (by IRI)."""

    public_passports: int
    examples: list[ExamplePassport]


def _rows(queries: SparqlQueries, text: str) -> list[dict[str, str]]:
    result = queries.answer(text, None, results_type=RESULTS_JSON, graph_type=None)
    document = json.loads(result.body)
    return [{k: v["value"] for k, v in row.items()} for row in document["results"]["bindings"]]


def overview(queries: SparqlQueries, catalogue: Catalogue, *, examples: int = 6) -> Overview:
    """Count the public passports and pick `examples` of them. Blocking (two SPARQL queries); raises
    what `SparqlQueries.answer` raises (QueryTimeout on a store too busy to count in time)."""
    count = int(_rows(queries, _COUNT)[0]["n"])
    found = []
    for row in _rows(queries, _EXAMPLES.replace("{limit}", str(int(examples)))):
        found.append(
            ExamplePassport(
                iri=row["p"],
                battery_identifier=row.get("battery"),
                category=_label(catalogue, row.get("cat")),
                chemistry=_label(catalogue, row.get("chem")),
            )
        )
    return Overview(count, found)


def _label(catalogue: Catalogue, concept: str | None) -> str | None:
    if concept is None:
        return None
    if not catalogue.knows(concept):
        return concept
    label = catalogue.describe(concept).label
    return label[:1].upper() + label[1:]


def self_description(base_url: str, context_url: str, public_passports: int) -> list[Quad]:
    """The registry described for machines: a `dcat:DataService` (the API and its SPARQL endpoint)
    serving a `void:Dataset` (the passports), with the vocabulary, the shapes every passport conforms
    to, the JSON-LD context and the number of passports anyone may read (`void:classPartition`)."""
    service = NamedNode(base_url + "/")
    dataset = NamedNode(base_url + "/#passports")
    partition = NamedNode(base_url + "/#public-passports")
    sparql = NamedNode(base_url + "/sparql")

    def iri(value: str) -> NamedNode:
        return NamedNode(value)

    def text(value: str) -> Literal:
        return Literal(value, language="en")

    triples: list[tuple[NamedNode, NamedNode, NamedNode | Literal]] = [
        (service, RDF_type, iri(DCAT + "DataService")),
        (service, iri(DCT + "title"), text("Battery Passport Registry")),
        (
            service,
            iri(DCT + "description"),
            text(
                "EU battery passports (Regulation (EU) 2023/1542, Art. 77 and Annex XIII) as linked data: "
                "a REST API with content negotiation and a read-only SPARQL 1.1 endpoint, each giving a "
                "caller what its role may read."
            ),
        ),
        (service, iri(DCAT + "endpointURL"), service),
        (service, iri(DCAT + "endpointDescription"), iri(base_url + "/openapi.json")),
        (service, iri(DCAT + "servesDataset"), dataset),
        (service, iri(DCAT + "landingPage"), service),
        (service, iri(DCT + "conformsTo"), iri(REGULATION)),
        (service, iri(RDFS + "seeAlso"), sparql),
        (sparql, RDF_type, iri(SD + "Service")),
        (sparql, iri(SD + "endpoint"), sparql),
        (dataset, RDF_type, iri(VOID + "Dataset")),
        (dataset, RDF_type, iri(DCAT + "Dataset")),
        (dataset, iri(DCT + "title"), text("Battery passports")),
        (dataset, iri(VOID + "sparqlEndpoint"), sparql),
        (dataset, iri(VOID + "uriSpace"), Literal(base_url + "/passports/")),
        (dataset, iri(VOID + "vocabulary"), iri(BPR)),
        (dataset, iri(VOID + "vocabulary"), iri(BPRV)),
        (dataset, iri(DCT + "conformsTo"), iri(base_url + "/shapes")),
        (dataset, iri(RDFS + "seeAlso"), iri(base_url + "/ontology")),
        (dataset, iri(RDFS + "seeAlso"), iri(base_url + "/vocabularies")),
        (dataset, iri(RDFS + "seeAlso"), iri(context_url)),
        (dataset, iri(VOID + "classPartition"), partition),
        (partition, iri(VOID + "class"), iri(BPR + "BatteryPassport")),
        (partition, iri(VOID + "entities"), Literal(str(public_passports), datatype=iri(XSD + "integer"))),
        (partition, iri(RDFS + "comment"), text("Live passports whose public data anyone may read.")),
    ]
    return [Quad(s, p, o) for s, p, o in triples]
