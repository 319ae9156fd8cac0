"""The SPARQL 1.1 Protocol forms, every result format (parsed back with rdflib), negotiation, refusals."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import rdflib
from rdflib.compare import isomorphic

from passport_registry.store import LIVE_GRAPHS, ONTOLOGY_GRAPH

from .conftest import World
from .helpers import parse_results, rdflib_graph

COUNT_BY_CATEGORY = """PREFIX bpr: <https://w3id.org/passport-registry/battery#>
SELECT ?category (COUNT(?passport) AS ?n) WHERE { ?passport bpr:batteryCategory ?category }
GROUP BY ?category ORDER BY ?category"""
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def rows(world: World, response_body: bytes, media_type: str) -> list[tuple[str, ...]]:
    return [tuple(str(t) for t in row) for row in parse_results(response_body, media_type)]  # type: ignore[union-attr]


def test_get_post_body_and_post_form_give_the_same_result(world: World) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    by_get = world.client.get("/sparql", params={"query": COUNT_BY_CATEGORY}, headers=accept)
    by_body = world.client.post(
        "/sparql",
        content=COUNT_BY_CATEGORY.encode(),
        headers={**accept, "Content-Type": "application/sparql-query"},
    )
    by_form = world.client.post(
        "/sparql",
        content=urlencode({"query": COUNT_BY_CATEGORY}),
        headers={**accept, "Content-Type": "application/x-www-form-urlencoded"},
    )
    for response in (by_get, by_body, by_form):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/sparql-results+json"
    assert json.loads(by_get.content) == json.loads(by_body.content) == json.loads(by_form.content)
    assert sum(int(n) for _, n in rows(world, by_get.content, "application/sparql-results+json")) == 6


def test_protocol_graph_parameters_work_in_every_form(world: World) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    param = {"default-graph-uri": ONTOLOGY_GRAPH.value}
    by_get = world.client.get("/sparql", params={"query": query, **param})
    by_body = world.client.post(
        "/sparql?" + urlencode(param), content=query, headers={"Content-Type": "application/sparql-query"}
    )
    by_form = world.client.post(
        "/sparql",
        content=urlencode({"query": query, **param}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    everything = world.client.get("/sparql", params={"query": query})
    counts = {r.content for r in (by_get, by_body, by_form)}
    assert len(counts) == 1 and everything.content not in counts


@pytest.mark.parametrize(
    "media_type",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_in_every_results_format_parses_with_rdflib(world: World, media_type: str) -> None:
    response = world.client.get(
        "/sparql", params={"query": COUNT_BY_CATEGORY}, headers={"Accept": media_type}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["vary"] == "Accept"
    reference = world.client.get("/sparql", params={"query": COUNT_BY_CATEGORY}).content
    assert rows(world, response.content, media_type) == rows(
        world, reference, "application/sparql-results+json"
    )


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_ask_in_json_and_xml(world: World, media_type: str) -> None:
    for query, expected in (("ASK { ?s ?p ?o }", True), ("ASK { ?s <urn:x:nothing> ?o }", False)):
        response = world.client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
        assert response.status_code == 200, response.text
        assert parse_results(response.content, media_type).askAnswer is expected


def test_select_escapes_awkward_literals_in_every_format(world: World) -> None:
    query = """SELECT ?a ?b ?c WHERE { VALUES (?a ?b ?c) {
        ("comma, \\"quote\\"\\ttab\\nline"@en "<x>&amp;" <http://example.com/a?b=c&d>) } }"""
    expected = None
    for media_type in (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/tab-separated-values",
    ):
        response = world.client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
        assert response.status_code == 200, response.text
        got = [tuple(row) for row in parse_results(response.content, media_type)]  # type: ignore[arg-type]
        expected = expected or got
        assert got == expected
    assert expected == [
        (
            rdflib.Literal('comma, "quote"\ttab\nline', lang="en"),
            rdflib.Literal("<x>&amp;"),
            rdflib.URIRef("http://example.com/a?b=c&d"),
        )
    ]
    csv = world.client.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
    (row,) = parse_results(csv.content, "text/csv")
    assert str(row[0]) == 'comma, "quote"\ttab\nline'  # type: ignore[index]


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/n-quads", "nquads"),
        ("application/trig", "trig"),
        ("application/rdf+xml", "xml"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_in_every_rdf_format_parses_with_rdflib(
    world: World, media_type: str, rdflib_format: str
) -> None:
    query = (
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{LIVE_GRAPHS[next(iter(LIVE_GRAPHS))].value}> WHERE {{ ?s ?p ?o }}"
    )
    response = world.client.get("/sparql", params={"query": query}, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    reference = world.client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/n-triples"}
    )
    got = rdflib_graph(response.content, rdflib_format)
    expected = rdflib.Graph().parse(data=reference.content, format="nt")
    assert len(expected) > 100
    assert isomorphic(got, expected)


def test_plain_json_accept_gets_sparql_json_results(world: World) -> None:
    response = world.client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"


def test_unacceptable_accept_is_406_with_the_offers(world: World) -> None:
    response = world.client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.json()["offered"]
    # An RDF-only Accept fits CONSTRUCT but not SELECT.
    turtle = {"Accept": "text/turtle"}
    assert world.client.get("/sparql", params={"query": "SELECT * {}"}, headers=turtle).status_code == 406
    assert (
        world.client.get("/sparql", params={"query": "CONSTRUCT WHERE {}"}, headers=turtle).status_code == 200
    )


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX x: <urn:x:> DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://example.com/data.ttl>",
    ],
)
def test_updates_are_refused_as_read_only(world: World, query: str) -> None:
    for response in (
        world.client.get("/sparql", params={"query": query}),
        world.client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"}),
        world.client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-update"}),
        world.client.post(
            "/sparql",
            content=urlencode({"update": query}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
    ):
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "read-only" in response.json()["detail"]
    assert world.select("ASK { <urn:a> <urn:b> <urn:c> }").json()["boolean"] is False


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { ?s ?p ?o . service silent <http://example.com/sparql> { ?s ?p ?x } }",
        "SELECT * WHERE { ?s ?p ?o .SERVICE<http://example.com/sparql>{?s ?p ?x} }",
        "SELECT * WHERE { VALUES ?e { <http://example.com/sparql> } SERVICE ?e { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(world: World, query: str) -> None:
    response = world.select(query)
    assert response.status_code == 400, response.text
    assert "SERVICE" in response.json()["detail"]


def test_service_inside_strings_iris_and_comments_is_not_a_service(world: World) -> None:
    query = """# SERVICE <http://example.com/sparql>
    SELECT ?x WHERE { BIND("SERVICE <http://example.com/>" AS ?x) FILTER(?x != <urn:SERVICE>) }"""
    response = world.select(query)
    assert response.status_code == 200, response.text


def test_syntax_errors_are_400_with_the_parser_message(world: World) -> None:
    response = world.select("SELECT ?s WHERE { ?s ?p }")
    assert response.status_code == 400
    assert "Invalid SPARQL" in response.json()["detail"]


def test_other_body_types_are_415(world: World) -> None:
    response = world.client.post("/sparql", content="ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


def test_two_queries_are_refused(world: World) -> None:
    response = world.client.get("/sparql?" + urlencode([("query", "ASK {}"), ("query", "ASK {}")]))
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("caller", "graphs"), [("anonymous", 2), ("legitimate_interest", 4), ("commission", 4)]
)
def test_service_description_lists_the_callers_graphs(world: World, caller: str, graphs: int) -> None:
    response = world.client.get("/sparql", headers={"Accept": "text/turtle", **world.headers(caller)})
    assert response.status_code == 200, response.text
    g = rdflib.Graph().parse(data=response.content, format="turtle")
    service = rdflib.URIRef("http://testserver/sparql")
    assert (service, rdflib.RDF.type, SD.Service) in g
    assert (service, SD.endpoint, service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in g
    names = set(g.objects(None, SD.name))
    assert len(names) == graphs
    assert rdflib.URIRef(ONTOLOGY_GRAPH.value) in names
    as_jsonld = world.client.get(
        "/sparql", headers={"Accept": "application/ld+json", **world.headers(caller)}
    )
    assert isomorphic(rdflib_graph(as_jsonld.content, "json-ld"), g)
