"""The compact JSON-LD builder, with pyld as the oracle: expanding our output gives back the same graph."""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
import pytest
from pyld import jsonld

import passport_graphs
from passport_graphs import (
    example,
    example_names,
    graph_with_pyld,
    graph_with_pyoxigraph,
    ill_typed,
    same_graph,
)
from passport_registry import resources
from passport_registry.jsonld import ContextIndex, compact

CONTEXT_URL = "https://example.org/context.jsonld"
CONTEXT: dict[str, Any] = {
    "@context": {
        "@version": 1.1,
        "bpr": "https://w3id.org/passport-registry/battery#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "BatteryPassport": "bpr:BatteryPassport",
        "Organisation": "bpr:Organisation",
        "batteryMass": {"@id": "bpr:batteryMass", "@type": "xsd:decimal"},
        "batteryCarbonFootprint": {"@id": "bpr:batteryCarbonFootprint", "@type": "xsd:decimal"},
        "ratedCapacity": {"@id": "bpr:ratedCapacity", "@type": "xsd:decimal"},
        "expectedNumberOfCycles": {"@id": "bpr:expectedNumberOfCycles", "@type": "xsd:integer"},
        "manufacturingDate": {"@id": "bpr:manufacturingDate", "@type": "xsd:date"},
        "batteryCategory": {
            "@id": "bpr:batteryCategory",
            "@type": "@vocab",
            "@context": {"@vocab": "https://w3id.org/passport-registry/battery/vocab/category/"},
        },
        "predecessor": {"@id": "bpr:predecessor", "@type": "@id", "@container": "@set"},
        "manufacturer": {"@id": "bpr:manufacturer"},
        "name": {"@id": "bpr:name"},
        "hazardousSubstances": {"@id": "bpr:hazardousSubstances", "@container": "@set"},
        "extinguishingAgent": {"@id": "bpr:extinguishingAgent", "@container": "@set"},
        "isCritical": {"@id": "bpr:isCritical", "@type": "xsd:boolean"},
        "labelMeaning": {"@id": "bpr:labelMeaning"},
    }
}
BPR = "https://w3id.org/passport-registry/battery#"
ROOT = "https://registry.example/passports/p1"


def _loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url != CONTEXT_URL:
        raise ValueError(f"refusing to fetch {url}")
    return {"contextUrl": None, "documentUrl": url, "document": CONTEXT}


def _expand(document: dict[str, Any]) -> str:
    """pyld's N-Quads of `document`, literals exactly as pyld writes them."""
    nquads: str = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": _loader})
    return nquads


def _ntriples(triples: list[ox.Triple]) -> str:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()


def _round_trips(document: dict[str, Any], triples: list[ox.Triple]) -> bool:
    expanded = _expand(document)
    return ill_typed(expanded) == [] and same_graph(expanded, _ntriples(triples))


TURTLE = f"""
@prefix bpr: <{BPR}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{ROOT}> a bpr:BatteryPassport ;
    bpr:batteryMass "452.5"^^xsd:decimal ;
    bpr:batteryCarbonFootprint "0.031"^^xsd:decimal ;
    bpr:ratedCapacity "220"^^xsd:decimal ;
    bpr:expectedNumberOfCycles 3000 ;
    bpr:manufacturingDate "2026-03-01"^^xsd:date ;
    bpr:batteryCategory <https://w3id.org/passport-registry/battery/vocab/category/ev> ;
    bpr:predecessor <https://registry.example/passports/p0> ;
    bpr:extinguishingAgent "Water", "Foam" ;
    bpr:manufacturer <{ROOT}#n1> ;
    bpr:hazardousSubstances <{ROOT}#n2> ;
    bpr:unmapped "kept as a full IRI" .
<{ROOT}#n1> a bpr:Organisation ; bpr:name "Cellforge GmbH" .
<{ROOT}#n2> bpr:name "Lithium hexafluorophosphate" ; bpr:isCritical false ;
    bpr:labelMeaning "Getrennt sammeln"@de, "Collect separately"@en .
"""


@pytest.fixture
def triples() -> list[ox.Triple]:
    return [q.triple for q in ox.parse(TURTLE.encode(), format=ox.RdfFormat.TURTLE)]


def test_round_trips_through_pyld(triples: list[ox.Triple]) -> None:
    document = compact(triples, ox.NamedNode(ROOT), ContextIndex(CONTEXT), CONTEXT_URL)
    assert _round_trips(document, triples)


def test_reads_like_plain_json(triples: list[ox.Triple]) -> None:
    document = compact(triples, ox.NamedNode(ROOT), ContextIndex(CONTEXT), CONTEXT_URL)
    assert document["@context"] == CONTEXT_URL
    assert document["@id"] == ROOT
    assert document["@type"] == "BatteryPassport"
    # Decimals are strings (a JSON number 0.031 would expand to "3.1E-2"^^xsd:decimal); integers numbers.
    assert document["batteryMass"] == "452.5"
    assert document["batteryCarbonFootprint"] == "0.031"
    assert document["ratedCapacity"] == "220"
    assert document["expectedNumberOfCycles"] == 3000
    assert document["batteryCategory"] == "ev"
    assert document["predecessor"] == ["https://registry.example/passports/p0"]
    assert sorted(document["extinguishingAgent"]) == ["Foam", "Water"]
    assert document["manufacturer"] == {
        "@id": f"{ROOT}#n1",
        "@type": "Organisation",
        "name": "Cellforge GmbH",
    }
    assert document["hazardousSubstances"][0]["isCritical"] is False
    assert document[BPR + "unmapped"] == "kept as a full IRI"
    json.dumps(document)  # plain JSON types only


def test_unreachable_nodes_are_kept_in_included(triples: list[ox.Triple]) -> None:
    orphan = ox.Triple(ox.NamedNode(f"{ROOT}#n9"), ox.NamedNode(BPR + "name"), ox.Literal("orphan"))
    document = compact([*triples, orphan], ox.NamedNode(ROOT), ContextIndex(CONTEXT), CONTEXT_URL)
    assert document["@included"] == [{"@id": f"{ROOT}#n9", "name": "orphan"}]
    assert _round_trips(document, [*triples, orphan])


def test_blank_nodes_stay_blank(triples: list[ox.Triple]) -> None:
    root = ox.BlankNode("root")
    nested = ox.BlankNode("m")
    small = [
        ox.Triple(root, ox.NamedNode(BPR + "manufacturer"), nested),
        ox.Triple(nested, ox.NamedNode(BPR + "name"), ox.Literal("Cellforge GmbH")),
    ]
    document = compact(small, root, ContextIndex(CONTEXT), CONTEXT_URL)
    assert _round_trips(document, small)


XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("predicate", "lexical", "datatype", "written"),
    [
        ("batteryMass", "0.031", "decimal", "0.031"),
        ("batteryMass", "-273.15", "decimal", "-273.15"),
        ("batteryMass", "12345678901234567890.123456789", "decimal", "12345678901234567890.123456789"),
        ("expectedNumberOfCycles", "3000", "integer", 3000),
        ("expectedNumberOfCycles", "-7", "integer", -7),
        # From 10^21 on, JSON-LD writes a JSON number in double notation: such an integer stays a string.
        ("expectedNumberOfCycles", "1000000000000000000000", "integer", "1000000000000000000000"),
        ("expectedNumberOfCycles", "999999999999999999999", "integer", 999999999999999999999),
        ("isCritical", "true", "boolean", True),
        ("unmappedDouble", "4.865E2", "double", {"@value": "4.865E2", "@type": "xsd:double"}),
        ("unmappedDecimal", "0.5", "decimal", {"@value": "0.5", "@type": "xsd:decimal"}),
        (
            "unmappedInteger",
            "1000000000000000000000",
            "integer",
            {"@value": "1000000000000000000000", "@type": "xsd:integer"},
        ),
        ("unmappedInteger", "42", "integer", 42),
    ],
)
def test_every_literal_is_written_so_json_ld_gives_it_back_exactly(
    predicate: str, lexical: str, datatype: str, written: Any
) -> None:
    root = ox.NamedNode(ROOT)
    literal = ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))
    triples = [ox.Triple(root, ox.NamedNode(BPR + predicate), literal)]
    document = compact(triples, root, ContextIndex(CONTEXT), CONTEXT_URL)
    key = BPR + predicate if predicate.startswith("unmapped") else predicate  # no term: its full IRI
    assert document[key] == written
    assert _round_trips(document, triples)


@pytest.mark.parametrize("name", example_names())
def test_every_example_round_trips_with_the_real_context(name: str) -> None:
    source = graph_with_pyoxigraph(example(name))
    triples = [
        q.triple for q in ox.parse(source.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    ]
    root = next(t.subject for t in triples if t.object == ox.NamedNode(BPR + "BatteryPassport"))
    index = ContextIndex(resources.context_document())
    document = compact(triples, root, index, resources.CONTEXT_URL)
    assert "@included" not in document
    assert passport_graphs.isomorphic(graph_with_pyld(document), source)
    assert ill_typed(passport_graphs.pyld_nquads(document)) == []
    # Reads like the example it came from: same keys at the root.
    assert set(document) - {"@id"} == set(example(name))
