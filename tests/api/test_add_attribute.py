"""Adding an attribute is a data change: edit copies of the ontology, shapes and context, and it flows.

The registry is pointed at edited copies of its vocabulary files (`Settings.vocabulary_dir`, the same as
`PASSPORT_REGISTRY_VOCABULARY_DIR`); no Python changes. The new attribute, a coolant volume in litres
readable by persons with a legitimate interest (Annex XIII point 4), must then reach the published JSON
Schema, the representations (JSON-LD and Turtle round trips), the access views (REST and SPARQL) and the
passport page, and be validated by its shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pyoxigraph as ox
import pytest

from passport_registry import resources
from passport_registry.errors import ConfigurationError
from passport_registry.rdf import JsonLdContext, load_context, parse
from passport_registry.services.passport_input import rooted
from passport_registry.vocabulary.files import CONTEXT_FILE, ONTOLOGY_FILE, SHAPES_FILE, VOCABULARIES_FILE
from passports_support import Api, canonical, example_json, open_api

BPR = "https://w3id.org/passport-registry/battery#"
XSD_DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
COOLANT = ox.NamedNode(BPR + "coolantVolume")
OWNER = "voltara"
EXAMPLE = "ev-nmc-car-pack.json"

#: What a vocabulary maintainer appends to the ontology: the property with its annotations.
ONTOLOGY_ADDITION = """
bpr:coolantVolume a owl:DatatypeProperty ;
    rdfs:label "coolant volume"@en ;
    rdfs:comment "Volume of liquid coolant in the battery's thermal management circuit."@en ;
    rdfs:domain bpr:BatteryPassport ;
    rdfs:range xsd:decimal ;
    bpr:accessGroup bpr:LegitimateInterestAccess ;
    bpr:annexXIII "4" ;
    bpr:ucumCode "L" ;
    bpr:dataKind bpr:Static ;
    bpr:informationLevel bpr:ItemLevel ;
    rdfs:isDefinedBy <https://w3id.org/passport-registry/battery> .
"""

#: ... to the shapes: the value constraint, and the property on the (closed) passport shape.
SHAPES_ADDITION = """
bprs:BatteryPassport-coolantVolume-value a sh:PropertyShape ;
    sh:path bpr:coolantVolume ;
    sh:name "coolant volume"@en ;
    sh:maxCount 1 ;
    sh:datatype xsd:decimal ;
    sh:minInclusive 0 ;
    sh:message "Coolant volume (coolantVolume) must be a decimal number of litres, 0 or more."@en .

bprs:BatteryPassportShape sh:property bprs:BatteryPassport-coolantVolume-value .
"""

#: ... and to the context: the JSON key, its datatype.
CONTEXT_ADDITION = {"coolantVolume": {"@id": "bpr:coolantVolume", "@type": "xsd:decimal"}}


@pytest.fixture(scope="module")
def vocabulary_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies of the bundled vocabulary files with the coolant volume added, as a maintainer would."""
    folder = tmp_path_factory.mktemp("vocabulary")
    (folder / ONTOLOGY_FILE).write_bytes(resources.ontology_bytes() + ONTOLOGY_ADDITION.encode())
    (folder / SHAPES_FILE).write_bytes(resources.shapes_bytes() + SHAPES_ADDITION.encode())
    (folder / VOCABULARIES_FILE).write_bytes(resources.vocabularies_bytes())
    context = resources.context_document()
    context["@context"].update(CONTEXT_ADDITION)
    (folder / CONTEXT_FILE).write_text(json.dumps(context, indent=2), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def api(vocabulary_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with open_api(tmp_path_factory.mktemp("data"), vocabulary_dir=vocabulary_dir) as found:
        yield found


def with_coolant(value: Any = "12.5") -> dict[str, Any]:
    document = example_json(EXAMPLE)
    document["coolantVolume"] = value
    return document


@pytest.fixture(scope="module")
def passport(api: Api) -> str:
    """A passport carrying the new attribute, created by its operator; its path."""
    response = api.client.post("/passports", json=with_coolant(), headers=api.headers(OWNER))
    assert response.status_code == 201, response.text
    location: str = response.headers["location"]
    return location


def coolant_values(body: bytes, media_type: str, context: dict[str, Any] | None = None) -> list[ox.Term]:
    triples = parse(body, media_type, "http://testserver/", context=context)
    return [q.object for q in triples if q.predicate == COOLANT]


def test_the_published_schema_describes_the_attribute(api: Api) -> None:
    response = api.client.get("/schemas/battery-passport.schema.json")
    assert response.status_code == 200
    schema = response.json()
    described = schema["$defs"]["BatteryPassportShape"]["properties"]["coolantVolume"]
    assert described["title"] == "coolant volume"
    assert described["type"] == "string"  # decimals are written as strings (docs/model.md)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(with_coolant("12.5")))
    assert list(validator.iter_errors(with_coolant("-3")))  # below the shape's minimum
    assert list(validator.iter_errors(with_coolant("a lot")))


def test_the_self_description_is_the_edited_one(api: Api, vocabulary_dir: Path) -> None:
    context = api.client.get("/contexts/battery-passport.jsonld")
    assert context.json()["@context"]["coolantVolume"] == CONTEXT_ADDITION["coolantVolume"]
    ontology = api.client.get("/ontology", headers={"Accept": "application/n-triples"})
    assert any(t.subject == COOLANT for t in parse(ontology.content, "application/n-triples"))
    shapes = api.client.get("/shapes")
    assert shapes.content == (vocabulary_dir / SHAPES_FILE).read_bytes()


def test_a_passport_round_trips_through_json_ld_and_turtle(
    api: Api, passport: str, vocabulary_dir: Path
) -> None:
    owner = api.headers(OWNER, accept="application/ld+json")
    compacted = api.client.get(passport, headers=owner)
    assert compacted.json()["coolantVolume"] == "12.5"
    turtle = api.client.get(passport, headers=api.headers(OWNER, accept="text/turtle"))
    assert coolant_values(turtle.content, "text/turtle") == [ox.Literal("12.5", datatype=XSD_DECIMAL)]
    # The whole graph survives both ways: what was posted, read with the edited context, is what is served.
    served_at = "http://testserver" + resources.CONTEXT_PATH
    context = JsonLdContext.prepare(load_context((vocabulary_dir / CONTEXT_FILE).read_bytes())).named_also(
        [served_at]
    )
    iri = ox.NamedNode("http://testserver" + passport)
    posted = parse(json.dumps(with_coolant()).encode(), "application/ld+json", context=context)
    expected = canonical(rooted([q.triple for q in posted], iri, adopt_other_iri=True), iri.value)
    served_jsonld = parse(compacted.content, "application/ld+json", "http://testserver/", context=context)
    served_turtle = parse(turtle.content, "text/turtle", "http://testserver/")
    assert canonical([q.triple for q in served_jsonld], iri.value) == expected
    assert canonical([q.triple for q in served_turtle], iri.value) == expected


def test_the_shape_judges_the_new_attribute(api: Api) -> None:
    response = api.client.post("/passports", json=with_coolant("-1"), headers=api.headers(OWNER))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "coolantVolume" in response.text


@pytest.mark.parametrize(("caller", "sees"), [("anonymous", False), ("legitimate_interest", True)])
def test_the_access_group_decides_who_reads_it(api: Api, passport: str, caller: str, sees: bool) -> None:
    document = api.client.get(passport, headers=api.headers(caller, accept="application/json")).json()
    assert ("coolantVolume" in document) is sees
    triples = api.client.get(passport, headers=api.headers(caller, accept="application/n-triples"))
    assert bool(coolant_values(triples.content, "application/n-triples")) is sees
    query = f"SELECT ?v WHERE {{ ?s <{COOLANT.value}> ?v }}"
    answer = api.client.get(
        "/sparql",
        params={"query": query},
        headers=api.headers(caller, accept="application/sparql-results+json"),
    )
    assert answer.status_code == 200, answer.text
    values = [row["v"]["value"] for row in answer.json()["results"]["bindings"]]
    assert values == (["12.5"] if sees else [])


def test_every_caller_reads_the_attribute_definition_over_sparql(api: Api) -> None:
    # The ontology is a named graph of every caller's dataset (docs/sparql.md).
    query = f"ASK {{ GRAPH ?g {{ <{COOLANT.value}> <{BPR}accessGroup> <{BPR}LegitimateInterestAccess> }} }}"
    answer = api.client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.json()["boolean"] is True


@pytest.mark.parametrize(("caller", "sees"), [("anonymous", False), ("legitimate_interest", True)])
def test_the_page_shows_its_label_and_unit(api: Api, passport: str, caller: str, sees: bool) -> None:
    page = api.client.get(passport, headers=api.headers(caller, accept="text/html"))
    assert page.status_code == 200
    assert ("Coolant volume" in page.text) is sees
    assert ('12.5 <span class="unit">L</span>' in page.text) is sees


def test_the_bundled_vocabulary_refuses_the_attribute(tmp_path: Path) -> None:
    """The control: without the edited files the same passport is refused, so the edit is what counts."""
    with open_api(tmp_path / "data") as bundled:
        response = bundled.client.post("/passports", json=with_coolant(), headers=bundled.headers(OWNER))
        assert response.status_code == 422
        assert "coolantVolume" in response.text


def test_a_vocabulary_folder_missing_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / ONTOLOGY_FILE).write_bytes(resources.ontology_bytes())
    refused = pytest.raises(ConfigurationError, match="lacks")
    with refused, open_api(tmp_path / "data", vocabulary_dir=tmp_path):
        pass
