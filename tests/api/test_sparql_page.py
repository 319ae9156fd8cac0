"""The SPARQL page: a browser asking `/sparql` for HTML gets a form with the example queries and the
results as a table (checked against the same query's SPARQL JSON results); programs get the protocol."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from passports_support import Api

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
QUERIES = Path(__file__).parents[2] / "examples" / "queries"


class _Page(HTMLParser):
    """The page's links, the results table's header and cells, and the scripts and styles it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.loads: list[str] = []
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self._where: str | None = None
        self._in_results = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag in ("script", "img", "iframe") or (tag == "link" and found.get("rel") == "stylesheet"):
            self.loads.append(found.get("src") or found.get("href") or tag)
        if tag == "table" and found.get("id") == "results":
            self._in_results = True
        if self._in_results and tag == "tr" and self._where != "head":
            self.rows.append([])
        if self._in_results and tag in ("th", "td"):
            self._where = tag
            if tag == "td":
                self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td"):
            self._where = None
        if tag == "table":
            self._in_results = False

    def handle_data(self, data: str) -> None:
        if self._where == "th":
            self.header.append(data.strip())
        elif self._where == "td":
            self.rows[-1][-1] += data.strip()


def read_page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.rows = [row for row in page.rows if row]
    return page


@pytest.fixture(scope="module")
def loaded(shared_api: Api) -> Api:
    for name in ("ev-nmc-car-pack.json", "ev-lfp-car-pack.json"):
        shared_api.create(name)
    shared_api.create("lmt-ebike-nmc.json", caller="ebike")
    # Queries see writes within `sparql_max_staleness_s` (1 s by default; docs/sparql.md): wait for them.
    count = (
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/passport-registry/battery#BatteryPassport> }"
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = shared_api.client.get(
            "/sparql", params={"query": count}, headers={"Accept": "application/sparql-results+json"}
        )
        if found.json()["results"]["bindings"][0]["n"]["value"] == "3":
            break
        time.sleep(0.1)
    return shared_api


def test_a_browser_gets_the_query_page_with_every_example(loaded: Api) -> None:
    response = loaded.client.get("/sparql", headers={"Accept": BROWSER})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    page = read_page(response.text)
    assert page.loads == [], "the page loads nothing: no scripts, images or style sheets"
    manifest = json.loads((QUERIES / "manifest.json").read_text())
    example_texts = [
        parse_qs(urlsplit(link).query)["query"][0] for link in page.links if link.startswith("/sparql?")
    ]
    assert example_texts == [(QUERIES / entry["query"]).read_text() for entry in manifest["queries"]]
    assert '<textarea id="query" name="query"' in response.text
    # Programs still get the service description and protocol results.
    assert loaded.client.get("/sparql").headers["content-type"].startswith("text/turtle")
    assert loaded.client.get("/sparql", headers={"Accept": "*/*"}).headers["content-type"] != "text/html"


def test_results_are_a_table_of_the_same_values(loaded: Api) -> None:
    query = (QUERIES / "carbon-footprint-per-kwh-by-chemistry.rq").read_text()
    machine = loaded.client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert machine.status_code == 200
    document = machine.json()
    expected = [
        [b[v]["value"] if v in b else "" for v in document["head"]["vars"]]
        for b in document["results"]["bindings"]
    ]
    response = loaded.client.get("/sparql", params={"query": query}, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text
    page = read_page(response.text)
    assert page.header == document["head"]["vars"]
    # Literals with a language show it after the value (`NMC @en`).
    assert [[re.sub(r" @\w+$", "", c) for c in row] for row in page.rows] == expected
    assert len(expected) == 2


def test_ask_and_construct_read_too(loaded: Api) -> None:
    ask = loaded.client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": BROWSER})
    assert 'id="ask-result">The answer is <strong>yes</strong>' in ask.text
    construct = loaded.client.get(
        "/sparql",
        params={"query": "CONSTRUCT { ?p a ?t } WHERE { ?p a ?t } LIMIT 2"},
        headers={"Accept": BROWSER},
    )
    page = read_page(construct.text)
    assert page.header == ["subject", "predicate", "object"] and len(page.rows) == 2


def test_a_bad_query_is_shown_with_its_status(loaded: Api) -> None:
    for query, status in (("SELECT WHERE {", 400), ("INSERT DATA { <a:b> <a:b> <a:b> }", 400)):
        response = loaded.client.get("/sparql", params={"query": query}, headers={"Accept": BROWSER})
        assert response.status_code == status
        assert response.headers["content-type"].startswith("text/html")
        assert 'class="error" role="alert"' in response.text
        # The query is kept in the box, escaped.
        assert query.replace("<", "&lt;").replace(">", "&gt;") in response.text
