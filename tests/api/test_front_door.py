"""`/` and `/.well-known/void`: a page for people and a DCAT / VoID self-description for machines, read
with rdflib; `/docs` loads Swagger UI from the registry itself."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pytest
import rdflib
from rdflib.compare import isomorphic

from passport_registry.api.vocabulary import RDF_OFFERED
from passports_support import Api
from sparql.helpers import rdflib_graph

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
BPR = rdflib.Namespace("https://w3id.org/passport-registry/battery#")
R = "http://testserver"
#: What Chromium and Firefox send for a page.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/rdf+xml": "xml",
}


class _Links(HTMLParser):
    """Every URL a page refers to (href, src, action) and its form fields."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inputs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.urls.append(value)
            if tag == "input" and name == "name" and value:
                self.inputs.append(value)


def links_of(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def description(api: Api, path: str = "/", media_type: str = "text/turtle") -> rdflib.Graph:
    response = api.client.get(path, headers={"Accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    return rdflib_graph(response.content, RDFLIB_FORMATS[media_type])


def public_count(graph: rdflib.Graph) -> int:
    partitions = [p for p in graph.objects(None, VOID.classPartition)]
    assert len(partitions) == 1
    assert graph.value(partitions[0], VOID["class"]) == BPR.BatteryPassport
    return int(graph.value(partitions[0], VOID.entities))  # type: ignore[arg-type]


def test_machines_get_a_dcat_and_void_description(api: Api) -> None:
    graph = description(api)
    service = rdflib.URIRef(R + "/")
    assert (service, rdflib.RDF.type, DCAT.DataService) in graph
    dataset = graph.value(service, DCAT.servesDataset)
    assert dataset is not None and (dataset, rdflib.RDF.type, VOID.Dataset) in graph
    assert graph.value(dataset, VOID.sparqlEndpoint) == rdflib.URIRef(R + "/sparql")
    assert rdflib.URIRef(str(BPR)) in set(graph.objects(dataset, VOID.vocabulary))
    assert graph.value(dataset, rdflib.DCTERMS.conformsTo) == rdflib.URIRef(R + "/shapes")
    assert rdflib.URIRef(R + "/contexts/battery-passport.jsonld") in set(
        graph.objects(dataset, rdflib.RDFS.seeAlso)
    )
    assert public_count(graph) == 0
    # Every URL it names for the registry answers.
    named = {str(o) for o in graph.objects() if isinstance(o, rdflib.URIRef) and str(o).startswith(R)}
    for url in named - {R + "/#passports", R + "/#public-passports"}:
        assert api.client.get(url.split("#")[0]).status_code == 200, url


def settled_count(api: Api, path: str, expected: int) -> int:
    """The count `path` states once it reaches `expected` (SPARQL reads lag writes by at most
    `sparql_max_staleness_s`, 1 s by default; docs/sparql.md), or the last count after 10 s."""
    deadline = time.monotonic() + 10
    while (found := public_count(description(api, path))) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_the_count_follows_the_public_passports(api: Api) -> None:
    api.create("ev-nmc-car-pack.json")
    ended = api.create("ev-lfp-car-pack.json").json()["id"]
    assert settled_count(api, "/", 2) == 2
    gone = api.client.delete(f"/passports/{ended}", headers=api.headers("voltara", if_match="*"))
    assert gone.status_code == 204
    assert settled_count(api, "/", 1) == 1
    assert settled_count(api, "/.well-known/void", 1) == 1


@pytest.mark.parametrize("media_type", RDF_OFFERED)
def test_every_rdf_format_says_the_same(shared_api: Api, media_type: str) -> None:
    turtle = description(shared_api)
    other = description(shared_api, media_type=media_type)
    assert isomorphic(turtle, other)
    assert isomorphic(description(shared_api, "/.well-known/void", media_type), turtle)


def test_a_client_that_names_nothing_gets_turtle_and_a_browser_the_page(shared_api: Api) -> None:
    assert shared_api.client.get("/").headers["content-type"].startswith("text/turtle")
    page = shared_api.client.get("/", headers={"Accept": BROWSER})
    assert page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers["vary"]
    assert shared_api.client.get("/.well-known/void", headers={"Accept": "text/html"}).status_code == 406


def test_the_page_searches_and_links_to_everything(api: Api) -> None:
    created = api.create("ev-nmc-car-pack.json").json()
    page = api.client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    found = links_of(page.text)
    assert "/resolve" in found.urls and "identifier" in found.inputs
    for path in ("/docs", "/sparql", "/ontology", "/vocabularies", "/shapes", "/.well-known/void"):
        assert path in found.urls, path
    assert f"/passports/{created['id']}" in found.urls
    assert re.search(r'id="public-passports">\s*[01]\s*<', page.text)  # 0 within the staleness bound
    for url in found.urls:
        assert not url.startswith(("http://", "https://", "//")) or url.startswith(R), url
        if url.startswith("/") and url != "/resolve":  # the search form, tried below
            assert api.client.get(url, headers={"Accept": BROWSER}).status_code == 200, url
    # The search box's form leads to the passport.
    searched = api.client.get(
        "/resolve", params={"identifier": created["battery_identifier"]}, follow_redirects=False
    )
    assert searched.status_code == 307 and searched.headers["location"] == f"/passports/{created['id']}"


def test_http_semantics_of_the_front_door(shared_api: Api) -> None:
    client = shared_api.client
    for accept in ("text/turtle", "text/html"):
        first = client.get("/", headers={"Accept": accept})
        tag = first.headers["etag"]
        assert client.get("/", headers={"Accept": accept, "If-None-Match": tag}).status_code == 304
        head = client.head("/", headers={"Accept": accept})
        assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == tag
    options = client.options("/")
    assert options.status_code == 204 and options.headers["allow"] == "GET, HEAD, OPTIONS"
    assert client.post("/").status_code == 405
    assert client.get("/", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_docs_load_nothing_from_elsewhere(shared_api: Api) -> None:
    page = shared_api.client.get("/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    urls = links_of(page.text).urls
    assert urls and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    # Nor does its script name another host for Swagger UI to load (the validator badge is off).
    assert not re.search(r"https?://", page.text), page.text
    for url in urls:
        asset = shared_api.client.get(url)
        assert asset.status_code == 200 and len(asset.content) > 100, url
        assert asset.headers["etag"] and "max-age" in asset.headers["cache-control"]
    assert shared_api.client.get("/docs/assets/index.html").status_code == 404
    assert shared_api.client.get("/docs/assets/..%2F__init__.py").status_code == 404
    assert shared_api.client.get("/redoc").status_code == 404


def test_the_openapi_document_has_the_new_routes(shared_api: Api) -> None:
    paths = shared_api.client.get("/openapi.json").json()["paths"]
    for path in (
        "/",
        "/.well-known/void",
        "/01/{gtin}/21/{serial}",
        "/resolve",
        "/passports/{passport_id}/qr",
    ):
        assert "get" in paths[path], path
    assert "/docs" not in paths and "/auth/session" not in paths
