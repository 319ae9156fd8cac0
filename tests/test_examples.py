"""Every example passport is plain JSON-LD over the bundled context and conforms to the shapes."""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from pyld import jsonld

from passport_graphs import (
    RemoteContextRefused,
    bundled_context_loader,
    example,
    example_names,
    graph_with_pyld,
    graph_with_pyoxigraph,
    ill_typed,
    isomorphic,
    pyld_nquads,
    pyoxigraph_nquads,
    same_graph,
)
from passport_registry import resources
from passport_registry.validation import Validator

BPR = rdflib.Namespace(resources.BPR)
BPRV = resources.BPRV


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.ontology_bytes(), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.shapes_bytes(), format="turtle")


@pytest.fixture(scope="module")
def validator() -> Validator:
    return Validator.from_resources()


def test_there_are_at_least_five_examples_covering_the_required_cases() -> None:
    names = example_names()
    assert len(names) >= 5
    categories = {example(n)["batteryCategory"] for n in names}
    chemistries = {example(n)["batteryChemistry"] for n in names}
    assert {"ev", "lmt", "industrial", "stationary"} <= categories
    assert {"nmc", "lfp"} <= chemistries
    assert "repurposed" in {example(n)["batteryStatus"] for n in names}


@pytest.mark.parametrize("name", example_names())
def test_example_is_plain_json_ld_with_the_context_url_and_no_root_id(name: str) -> None:
    document = example(name)
    assert document["@context"] == resources.CONTEXT_URL
    assert document["@type"] == "BatteryPassport"
    assert "@id" not in document


@pytest.mark.parametrize("name", example_names())
def test_example_reads_the_same_in_pyld_and_pyoxigraph(name: str) -> None:
    from_pyld = graph_with_pyld(example(name))
    assert len(from_pyld) > 150
    from_pyoxigraph = graph_with_pyoxigraph(example(name))
    assert isomorphic(from_pyld, from_pyoxigraph)
    one_less = rdflib.Graph()
    for triple in list(from_pyoxigraph)[1:]:
        one_less.add(triple)
    assert not isomorphic(from_pyld, one_less)


@pytest.mark.parametrize("name", example_names())
def test_example_conforms_to_the_shapes(name: str, shapes: rdflib.Graph) -> None:
    conforms, _, text = pyshacl.validate(graph_with_pyld(example(name)), shacl_graph=shapes, inference="none")
    assert conforms, text


@pytest.mark.parametrize("name", example_names())
def test_example_read_by_either_processor_has_only_well_typed_literals(name: str) -> None:
    # A JSON number under an xsd:decimal coercion would come out as "4.865E2"^^xsd:decimal.
    assert ill_typed(pyld_nquads(example(name))) == []
    assert ill_typed(pyoxigraph_nquads(example(name))) == []
    assert same_graph(pyld_nquads(example(name)), pyoxigraph_nquads(example(name)))


@pytest.mark.parametrize("name", example_names())
def test_example_as_pyld_reads_it_passes_the_registry_validator(name: str, validator: Validator) -> None:
    # Exactly pyld's triples, not the registry's parser (which would repair number forms on the way in).
    nquads = pyld_nquads(example(name)).encode()
    report = validator.validate([q.triple for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)])
    assert report.conforms, report.to_json()


def test_every_key_of_every_example_is_a_term_of_the_context() -> None:
    terms = set(resources.context_document()["@context"])

    def keys(node: object) -> set[str]:
        if isinstance(node, dict):
            found = {k for k in node if not k.startswith("@")}
            for key, value in node.items():
                if key != "labelingMeaning":  # a language map: its keys are language tags
                    found |= keys(value)
            return found
        if isinstance(node, list):
            return set().union(*(keys(v) for v in node)) if node else set()
        return set()

    used = set().union(*(keys(example(n)) for n in example_names()))
    assert used - terms == set()
    assert len(used) > 120


def test_second_life_passport_links_to_the_ev_passport_and_back() -> None:
    ev = example("ev-nmc-car-pack.json")
    second = example("stationary-second-life-nmc.json")
    assert second["predecessor"] == [ev["batteryPassportIdentifier"]]
    assert ev["successor"] == [second["batteryPassportIdentifier"]]
    graph = graph_with_pyld(second)
    (root,) = set(graph.subjects(rdflib.RDF.type, BPR.BatteryPassport))
    assert set(graph.objects(root, BPR.predecessor)) == {rdflib.URIRef(ev["batteryPassportIdentifier"])}
    assert graph.value(root, BPR.batteryStatus) == rdflib.URIRef(BPRV + "status/repurposed")


def test_loader_refuses_any_context_but_the_bundled_one() -> None:
    document = dict(example("lmt-ebike-nmc.json"))
    document["@context"] = "https://attacker.example/context.jsonld"
    with pytest.raises(jsonld.JsonLdError) as caught:
        graph_with_pyld(document)
    causes, error = [], caught.value
    while error is not None:
        causes.append(error)
        error = getattr(error, "cause", None) or error.__cause__ or error.__context__
    assert any(isinstance(e, RemoteContextRefused) for e in causes)
    with pytest.raises(RemoteContextRefused):
        bundled_context_loader("https://attacker.example/context.jsonld")


def test_examples_together_use_every_property_of_the_ontology(ontology: rdflib.Graph) -> None:
    defined = {
        p
        for p in ontology.subjects(rdflib.RDFS.domain, None)
        if (p, rdflib.RDF.type, rdflib.OWL.ObjectProperty) in ontology
        or (p, rdflib.RDF.type, rdflib.OWL.DatatypeProperty) in ontology
    }
    used: set[rdflib.term.Node] = set()
    for name in example_names():
        used |= set(graph_with_pyld(example(name)).predicates())
    assert defined - used == set()


@pytest.mark.parametrize("name", example_names())
def test_every_root_triple_of_an_example_belongs_to_one_access_group(
    name: str, ontology: rdflib.Graph
) -> None:
    graph = graph_with_pyld(example(name))
    (root,) = set(graph.subjects(rdflib.RDF.type, BPR.BatteryPassport))
    for predicate in set(graph.predicates(root, None)) - {rdflib.RDF.type}:
        assert len(set(ontology.objects(predicate, BPR.accessGroup))) == 1, predicate


def test_examples_name_the_ontology_version_they_were_written_against(ontology: rdflib.Graph) -> None:
    version = ontology.value(rdflib.URIRef(resources.ONTOLOGY_IRI), rdflib.OWL.versionInfo)
    assert {example(n)["schemaVersion"] for n in example_names()} == {str(version)}
