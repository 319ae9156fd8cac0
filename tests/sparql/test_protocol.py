"""The SPARQL 1.1 Protocol forms, every result format (parsed back with rdflib), negotiation, refusals."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import rdflib
from rdflib.compare import isomorphic

from passport_registry.store import LIVE_GRAPHS, META_GRAPH, ONTOLOGY_GRAPH

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
    assert response.headers["vary"] == "Accept, Authorization, X-API-Key"
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


# -- issue: standards at the edges (Vary, dataset parameters of a form POST, XML, OpenAPI) -------------


@pytest.mark.parametrize(
    ("params", "accept"),
    [
        ({"query": "ASK {}"}, "application/sparql-results+json"),
        ({"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, "text/turtle"),
        ({}, "text/turtle"),  # the service description, which lists the caller's graphs
    ],
)
def test_every_answer_varies_with_the_credentials(world: World, params: dict[str, str], accept: str) -> None:
    for caller in ("anonymous", "legitimate_interest"):
        response = world.client.get(
            "/sparql", params=params, headers={"Accept": accept, **world.headers(caller)}
        )
        assert response.status_code == 200, response.text
        vary = {v.strip().lower() for v in response.headers["vary"].split(",")}
        assert {"accept", "authorization", "x-api-key"} <= vary


def test_a_form_post_uses_dataset_parameters_given_in_the_url(world: World) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    ontology = {"default-graph-uri": ONTOLOGY_GRAPH.value}
    expected = world.client.get("/sparql", params={"query": query, **ontology})
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    in_url = world.client.post(
        "/sparql?" + urlencode(ontology), content=urlencode({"query": query}), headers=form
    )
    assert in_url.status_code == 200, in_url.text
    assert json.loads(in_url.content) == json.loads(expected.content)
    everything = world.client.get("/sparql", params={"query": query})
    assert json.loads(in_url.content) != json.loads(everything.content)
    # A graph outside the caller's dataset given that way is refused like any other.
    meta = {"named-graph-uri": META_GRAPH.value}
    refused = world.client.post(
        "/sparql?" + urlencode(meta), content=urlencode({"query": query}), headers=form
    )
    assert refused.status_code == 403, refused.text


def test_a_query_in_the_url_of_a_post_is_refused(world: World) -> None:
    response = world.client.post(
        "/sparql?query=ASK%20%7B%7D", content="ASK {}", headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


def test_xml_results_refuse_a_character_xml_cannot_carry(world: World) -> None:
    query = 'SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }'
    xml = world.client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert xml.status_code == 406, xml.text
    assert xml.headers["content-type"].startswith("application/problem+json")
    assert "U+0001" in xml.json()["detail"]
    assert "application/sparql-results+json" in xml.json()["offered"]
    as_json = world.client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert as_json.status_code == 200
    assert [str(row[0]) for row in parse_results(as_json.content, "application/sparql-results+json")] == [
        "a\x01b"
    ]  # type: ignore[index]


def test_xml_results_keep_a_carriage_return(world: World) -> None:
    query = 'SELECT ?x WHERE { BIND("a\\r\\nb" AS ?x) }'
    xml = world.client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert xml.status_code == 200, xml.text
    assert b"&#xD;" in xml.content
    (row,) = parse_results(xml.content, "application/sparql-results+xml")
    assert str(row[0]) == "a\r\nb"  # type: ignore[index]


def test_rdf_xml_results_are_well_formed_or_refused(world: World) -> None:
    accept = {"Accept": "application/rdf+xml"}
    carriage = 'CONSTRUCT { <urn:x:s> <urn:x:p> "a\\rb" } WHERE {}'
    kept = world.client.get("/sparql", params={"query": carriage}, headers=accept)
    assert kept.status_code == 200, kept.text
    graph = rdflib.Graph().parse(data=kept.content, format="xml")
    assert {str(o) for o in graph.objects()} == {"a\rb"}
    for query in (
        'CONSTRUCT { <urn:x:s> <urn:x:p> "a\\u0001b" } WHERE {}',
        'CONSTRUCT { <urn:x:s> <http://example.com/1> "a" } WHERE {}',
    ):
        refused = world.client.get("/sparql", params={"query": query}, headers=accept)
        assert refused.status_code == 406, refused.text
        assert "text/turtle" in refused.json()["offered"]


def test_a_body_in_another_charset_is_refused(world: World) -> None:
    body = "ASK {}".encode("utf-16")
    response = world.client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query; charset=UTF-16"}
    )
    assert response.status_code == 415, response.text
    latin = world.client.post(
        "/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query; charset=ISO-8859-1"}
    )
    assert latin.status_code == 415
    utf8 = world.client.post(
        "/sparql", content=b"ASK {}", headers={"Content-Type": "application/sparql-query; charset=utf-8"}
    )
    assert utf8.status_code == 200


def test_openapi_declares_the_get_parameters(world: World) -> None:
    operation = world.client.get("/openapi.json").json()["paths"]["/sparql"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert {"query", "default-graph-uri", "named-graph-uri"} <= set(parameters)
    assert parameters["query"]["schema"]["type"] == "string"
    assert parameters["default-graph-uri"]["schema"]["type"] == "array"


def test_dataset_parameters_without_a_query_are_refused(world: World) -> None:
    response = world.client.get("/sparql", params={"default-graph-uri": "not an IRI"})
    assert response.status_code == 400, response.text
    assert "query" in response.json()["detail"]
