"""One graph, whichever way it is read: every JSON form of every view, expanded by pyld with nothing but what
the registry serves, is the graph of the N-Triples of that view, with only well-typed literals.

pyld is the client here: its own document loader logic (`RequestsDocumentLoader`: Accept header, the JSON-LD
context Link header of `application/json`) runs over the app's HTTP interface, and it dereferences the
`@context` URL our documents name from the registry itself. Nothing is served from the test's own copy.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from jsonschema import Draft202012Validator
from pyld import jsonld
from pyld.documentloader.requests import RequestsDocumentLoader

from passport_graphs import ill_typed, same_graph
from passport_registry import resources
from passport_registry.config import Settings
from passport_registry.errors import ConfigurationError
from passport_registry.json_schema import DEFAULT_OUTPUT
from passport_registry.validation import Validator
from passports_support import (
    EXAMPLES,
    OPERATORS,
    READERS,
    Api,
    canonical,
    example_json,
    expected_graph,
    graph,
    open_api,
)
from shapes_oracle import shapes_graph

BASE = "http://testserver"
CONTEXT_URL = BASE + "/contexts/battery-passport.jsonld"
JSON_FORMS = {
    "compacted": "application/ld+json",
    "json+link": "application/json",
    "expanded": 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"',
    "flattened": 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"',
}
NAMES = sorted(p.name for p in EXAMPLES.glob("*.json"))


@dataclass
class _Response:
    """The parts of a `requests.Response` that pyld's loader reads."""

    url: str
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class AppSession:
    """A `requests.Session` stand-in for pyld's loader: GETs go to the app, and only to the app."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.fetched: list[str] = []

    def get(self, url: str, headers: dict[str, str] | None = None, **_: Any) -> _Response:
        if not url.startswith(BASE + "/"):
            raise AssertionError(f"pyld asked for {url}: our response named something we do not serve")
        self.fetched.append(url)
        response = self.api.client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.text)
        return _Response(str(response.url), response.headers, response.content)


def pyld_nquads(api: Api, location: str, caller: str, accept: str) -> tuple[str, list[str]]:
    """What pyld reads from `location`, asked for with `accept` as `caller`, and the URLs it fetched.

    The request headers go in pyld's `headers` option: pyld sends them for the document only and asks for
    contexts with its own (anonymous) headers, as any client would.
    """
    session = AppSession(api)
    options = {
        "format": "application/n-quads",
        "documentLoader": RequestsDocumentLoader(session=session),
        "headers": api.headers(caller, accept=accept),
    }
    # pyld keeps resolved contexts in a process-wide cache: empty it, so every call dereferences afresh.
    jsonld._resolved_context_cache.clear()
    nquads: str = jsonld.to_rdf(location, options)
    return nquads, session.fetched


def ntriples(api: Api, location: str, caller: str) -> str:
    response = api.client.get(location, headers=api.headers(caller, accept="application/n-triples"))
    assert response.status_code == 200, response.text
    return response.text


def owner_of(name: str) -> str:
    operator = example_json(name)["operatorInformation"]["identifier"]
    return next(caller for caller, organisation in OPERATORS.items() if organisation == operator)


@pytest.fixture(scope="module")
def passports(shared_api: Api) -> dict[str, str]:
    """Every example, created by its own operator: name -> path of the passport."""
    return {name: shared_api.create(name, owner_of(name)).headers["location"] for name in NAMES}


def views(name: str) -> Iterator[str]:
    yield from READERS
    yield owner_of(name)


@pytest.mark.parametrize("form", JSON_FORMS)
@pytest.mark.parametrize(("name", "caller"), [(n, c) for n in NAMES for c in views(n)])
def test_pyld_reads_exactly_the_graph_of_the_view(
    shared_api: Api, passports: dict[str, str], name: str, caller: str, form: str
) -> None:
    location = BASE + passports[name]
    found, fetched = pyld_nquads(shared_api, location, caller, JSON_FORMS[form])
    assert ill_typed(found) == []
    expected = ntriples(shared_api, location, caller)
    assert len(expected.splitlines()) > 10
    assert same_graph(found, expected)
    if form in ("compacted", "json+link"):
        assert fetched == [location, CONTEXT_URL]  # the context came from the registry


def test_documents_name_a_context_the_registry_serves(shared_api: Api, passports: dict[str, str]) -> None:
    location = passports["ev-nmc-car-pack.json"]
    document = shared_api.client.get(location, headers={"Accept": "application/ld+json"}).json()
    assert document["@context"] == CONTEXT_URL
    plain = shared_api.client.get(location, headers={"Accept": "application/json"})
    assert f'<{CONTEXT_URL}>; rel="http://www.w3.org/ns/json-ld#context"' in plain.headers["link"]
    served = shared_api.client.get(CONTEXT_URL)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("application/ld+json")
    assert served.json()["@context"]["@version"] == 1.1


@pytest.fixture(scope="module")
def schema_validator() -> Draft202012Validator:
    schema = json.loads(DEFAULT_OUTPUT.read_text(encoding="utf-8"))
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("accept", ["application/ld+json", "application/json"])
@pytest.mark.parametrize("name", NAMES)
def test_the_owners_json_is_valid_against_the_published_schema_and_the_shapes(
    shared_api: Api,
    passports: dict[str, str],
    schema_validator: Draft202012Validator,
    name: str,
    accept: str,
) -> None:
    location = BASE + passports[name]
    response = shared_api.client.get(location, headers=shared_api.headers(owner_of(name), accept=accept))
    document = response.json()
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in schema_validator.iter_errors(document)
    ]
    assert errors == []
    nquads, _ = pyld_nquads(shared_api, location, owner_of(name), accept)
    data = rdflib.Graph().parse(data=nquads, format="nt")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none")
    assert conforms, text
    # The registry's validator on pyld's triples as written (rdflib would have normalised their literals).
    triples = [q.triple for q in ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS)]
    report = Validator.from_resources().validate(triples)
    assert report.conforms, report.to_json()


DECIMAL_KEYS = frozenset(
    key
    for key, definition in resources.context_document()["@context"].items()
    if isinstance(definition, dict) and definition.get("@type") == "xsd:decimal"
)


def as_json_numbers(value: Any, key: str | None = None) -> Any:
    """`value` with every decimal string written as a JSON number, as a client of older docs sends it."""
    if isinstance(value, dict):
        return {k: as_json_numbers(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json_numbers(v, key) for v in value]
    return float(value) if key in DECIMAL_KEYS and isinstance(value, str) else value


def test_a_json_number_for_a_decimal_is_accepted_and_published_as_a_string(api: Api) -> None:
    document = as_json_numbers(example_json("ev-nmc-car-pack.json"))
    assert (
        document["batteryMass"] == 486.5
        and document["carbonFootprintPerLifecycleStage"][0]["carbonFootprint"] == 0.031
    )
    response = api.client.post(
        "/passports",
        content=json.dumps(document),
        headers=api.headers("voltara", content_type="application/json"),
    )
    assert response.status_code == 201, response.text
    location = BASE + response.headers["location"]
    published = api.client.get(location, headers=api.headers("voltara", accept="application/ld+json")).json()
    assert published["batteryMass"] == "486.5"
    stages = published["carbonFootprintPerLifecycleStage"]
    assert {stage["carbonFootprint"] for stage in stages} == {"0.031", "0.014", "0.001", "0.002"}
    page = api.client.get(location, headers={"Accept": "text/html"}).text
    assert "0.048" in page and "4.8E-2" not in page  # the page shows the decimal too
    # The graph of the example as written, with strings, literal for literal.
    stored = graph(ntriples(api, location, "voltara").encode(), "application/n-triples")
    assert canonical(stored, location) == expected_graph("ev-nmc-car-pack.json", location)


@pytest.mark.parametrize("named", [CONTEXT_URL, resources.CONTEXT_URL])
def test_input_naming_either_url_of_our_context_is_read_without_fetching(api: Api, named: str) -> None:
    document = {**example_json("lmt-ebike-nmc.json"), "@context": named}
    response = api.client.post(
        "/passports",
        content=json.dumps(document),
        headers=api.headers("ebike", content_type="application/ld+json"),
    )
    assert response.status_code == 201, response.text


def test_input_naming_another_registrys_context_is_refused_with_what_we_read(api: Api) -> None:
    other = "https://other-registry.example/contexts/battery-passport.jsonld"
    document = {**example_json("lmt-ebike-nmc.json"), "@context": other}
    response = api.client.post(
        "/passports",
        content=json.dumps(document),
        headers=api.headers("ebike", content_type="application/ld+json"),
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert other in response.json()["detail"] and CONTEXT_URL in response.json()["detail"]


def test_a_configured_context_url_is_what_documents_name(tmp_path: Path) -> None:
    with open_api(tmp_path / "data", context_url=resources.CONTEXT_URL) as api:
        location = BASE + api.create("lmt-ebike-nmc.json", "ebike").headers["location"]
        compacted = api.client.get(location, headers={"Accept": "application/ld+json"}).json()
        assert compacted["@context"] == resources.CONTEXT_URL
        plain = api.client.get(location, headers={"Accept": "application/json"})
        assert plain.headers["link"].startswith(
            f'<{resources.CONTEXT_URL}>; rel="http://www.w3.org/ns/json-ld#context"'
        )


def test_a_context_url_must_be_absolute() -> None:
    with pytest.raises(ConfigurationError, match="CONTEXT_URL"):
        Settings(dev=True, context_url="/contexts/battery-passport.jsonld")
