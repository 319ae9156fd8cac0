"""The JSON-LD context maps every key to a term of the ontology, with the right coercions."""

from __future__ import annotations

import json
from typing import Any

import pytest
import rdflib
from pyld import jsonld
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from passport_graphs import bundled_context_loader, example, example_names
from passport_registry import resources

BPR = rdflib.Namespace(resources.BPR)
PREFIXES = {"bpr", "bprv", "xsd"}


@pytest.fixture(scope="module")
def context() -> dict[str, Any]:
    ctx: dict[str, Any] = resources.context_document()["@context"]
    return ctx


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    graph = rdflib.Graph().parse(data=resources.ontology_bytes(), format="turtle")
    return graph.parse(data=resources.vocabularies_bytes(), format="turtle")


def expand(context: dict[str, Any], compact: str) -> rdflib.URIRef:
    prefix, _, local = compact.partition(":")
    return rdflib.URIRef(context[prefix] + local)


def terms(context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = {}
    for key, value in context.items():
        if key.startswith("@") or key in PREFIXES:
            continue
        found[key] = value if isinstance(value, dict) else {"@id": value}
    return found


def test_context_is_protected_json_ld_1_1_with_the_ontology_as_default_vocabulary(
    context: dict[str, Any],
) -> None:
    # An unknown key becomes a bpr: property the closed shapes reject, instead of being dropped in silence.
    assert context["@version"] == 1.1
    assert context["@protected"] is True
    assert context["@vocab"] == resources.BPR


def test_every_term_maps_to_a_property_or_class_of_the_ontology(
    context: dict[str, Any], ontology: rdflib.Graph
) -> None:
    defined = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty)
    )
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for key, term in terms(context).items():
        iri = expand(context, term["@id"])
        assert iri in defined | classes, key
        assert iri == BPR[key], key


def test_every_property_of_the_ontology_has_a_term(context: dict[str, Any], ontology: rdflib.Graph) -> None:
    props = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty)
    )
    mapped = {expand(context, t["@id"]) for t in terms(context).values()}
    assert props - mapped == set()


def test_coercions_follow_the_ontology_ranges(context: dict[str, Any], ontology: rdflib.Graph) -> None:
    for key, term in terms(context).items():
        iri = BPR[key]
        if (iri, RDF.type, OWL.Class) in ontology:
            continue
        declared = ontology.value(iri, RDFS.range)
        coerced = term.get("@type")
        if (iri, RDF.type, OWL.DatatypeProperty) in ontology:
            if declared in (XSD.string, RDF.langString):
                assert coerced is None, key
            else:
                assert expand(context, coerced) == declared, key
        elif declared == SKOS.Concept:
            assert coerced == "@vocab", key
            scheme = ontology.value(iri, BPR.conceptScheme)
            assert term["@context"]["@vocab"] == f"{scheme}/", key
        elif key in ("predecessor", "successor"):
            assert coerced == "@id", key
        else:
            assert coerced is None, key


def test_codes_never_collide_with_term_names(context: dict[str, Any], ontology: rdflib.Graph) -> None:
    # An @vocab-typed value is looked up as a term first: a code equal to a key would expand wrongly.
    codes = {str(n) for n in ontology.objects(None, SKOS.notation)}
    assert codes & set(terms(context)) == set()


def test_list_valued_terms_are_sets(context: dict[str, Any]) -> None:
    lists = {k for k, t in terms(context).items() if t.get("@container") == "@set"}
    assert {
        "predecessor",
        "successor",
        "hazardousSubstances",
        "batteryMaterials",
        "extinguishingAgent",
    } <= lists


def canonical_json(node: object) -> object:
    """JSON with sets as sorted lists, so documents compare regardless of list order."""
    if isinstance(node, dict):
        return {k: canonical_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return sorted((canonical_json(v) for v in node), key=lambda v: json.dumps(v, sort_keys=True))
    return node


@pytest.mark.parametrize("name", example_names())
def test_compacting_an_expanded_example_gives_back_the_same_plain_json(name: str) -> None:
    document = example(name)
    options = {"documentLoader": bundled_context_loader}
    compacted = jsonld.compact(jsonld.expand(document, options), resources.CONTEXT_URL, options)
    assert canonical_json(compacted) == canonical_json(document)
