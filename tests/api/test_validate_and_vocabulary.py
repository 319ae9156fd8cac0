"""`POST /validate` and the self-description paths."""

from __future__ import annotations

import json
from importlib.resources import files

import httpx2 as httpx
import pyoxigraph as ox
import pytest

from passport_registry import resources
from passports_support import INVALID, Api, example

SH = "http://www.w3.org/ns/shacl#"


def test_validate_reports_as_json_without_storing(shared_api: Api) -> None:
    response = shared_api.client.post(
        "/validate",
        content=(INVALID / "negative-mass.jsonld").read_bytes(),
        headers={"Content-Type": "application/ld+json"},
    )
    assert response.status_code == 200
    report = response.json()
    assert report["conforms"] is False
    assert any(v["path"] == resources.BPR + "batteryMass" for v in report["violations"])
    good = shared_api.client.post(
        "/validate", content=example("ev-nmc-car-pack.json"), headers={"Content-Type": "application/ld+json"}
    )
    assert good.json() == {"conforms": True, "violations": []}
    stored = shared_api.client.get(
        "/passports/lookup",
        params={"identifier": json.loads(example("ev-nmc-car-pack.json"))["batteryPassportIdentifier"]},
    )
    assert stored.status_code == 404


def test_validate_reports_as_a_shacl_report_in_turtle(shared_api: Api) -> None:
    response = shared_api.client.post(
        "/validate",
        content=(INVALID / "negative-mass.jsonld").read_bytes(),
        headers={"Content-Type": "application/ld+json", "Accept": "text/turtle"},
    )
    assert response.headers["content-type"].startswith("text/turtle")
    report = ox.Dataset(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    conforms = list(report.quads_for_predicate(ox.NamedNode(SH + "conforms")))
    assert [q.object.value for q in conforms] == ["false"]
    assert list(report.quads_for_predicate(ox.NamedNode(SH + "resultPath")))


def test_validate_refuses_unknown_content_types(shared_api: Api) -> None:
    response = shared_api.client.post("/validate", content=b"x", headers={"Content-Type": "text/csv"})
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("/ontology", resources.ontology_bytes),
        ("/shapes", resources.shapes_bytes),
        ("/vocabularies", resources.vocabularies_bytes),
    ],
)
@pytest.mark.parametrize(
    "accept", ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
)
def test_rdf_documents_are_negotiated(shared_api: Api, path: str, source: object, accept: str) -> None:
    response = shared_api.client.get(path, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    assert response.headers["vary"] == "Accept"
    served = ox.Dataset(q for q in ox.parse(response.content, format=ox.RdfFormat.from_media_type(accept)))
    bundled = ox.Dataset(ox.parse(source(), format=ox.RdfFormat.TURTLE))  # type: ignore[operator]
    served.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    bundled.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert set(map(str, served)) == set(map(str, bundled))


def test_rdf_documents_answer_406_for_html(shared_api: Api) -> None:
    assert shared_api.client.get("/ontology", headers={"Accept": "text/html"}).status_code == 406


def test_the_context_is_served(shared_api: Api) -> None:
    response = shared_api.client.get("/contexts/battery-passport.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json"
    assert json.loads(response.content) == resources.context_document()


def test_the_json_schema_is_served_when_bundled(shared_api: Api) -> None:
    response = shared_api.client.get("/schemas/battery-passport.schema.json")
    schema = files("passport_registry").joinpath("data", "battery-passport.schema.json")
    if schema.is_file():
        assert response.status_code == 200 and response.json() == json.loads(schema.read_bytes())
    else:
        assert response.status_code == 404


def test_openapi_documents_the_passport_routes(shared_api: Api) -> None:
    spec = shared_api.client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/passports", "/passports/{passport_id}", "/passports/{passport_id}/versions",
                 "/passports/{passport_id}/versions/{number}", "/passports/{passport_id}/successors",
                 "/passports/{passport_id}/transfer", "/validate", "/ontology", "/shapes"):  # fmt: skip
        assert path in paths, path
    create = paths["/passports"]["post"]
    assert "text/turtle" in create["requestBody"]["content"]
    assert "example" in create["requestBody"]["content"]["application/ld+json"]
    assert {"409", "415", "422"} <= set(create["responses"])
    read = paths["/passports/{passport_id}"]["get"]
    assert {"200", "304", "404", "406", "410"} <= set(read["responses"])


@pytest.mark.parametrize("body", [b'"AAA"', b"42", b"null", b"true"])
def test_a_json_ld_document_is_an_object_or_an_array(client: httpx.Client, body: bytes) -> None:
    """JSON-LD 1.1 section 9: a bare JSON value is no JSON-LD document (found by the OpenAPI fuzz test)."""
    response = client.post("/validate", content=body, headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
