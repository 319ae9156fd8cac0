"""The published OpenAPI document tells the truth: a valid OpenAPI 3.1 document whose errors are RFC 9457
problem details, whose statuses include every one the server answers, whose required headers are
required, and whose request examples are passports the registry accepts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest
from openapi_spec_validator import validate

from passport_registry.roles import Role
from passports_support import Api, open_api

#: The organisation of the development-mode demo operator (`make run` prints its login).
DEMO_ORGANISATION = "DEMO-EO-0001"

PROBLEM = "application/problem+json"
METHODS = ("get", "put", "post", "patch", "delete")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with open_api(tmp_path_factory.mktemp("data")) as found:
        found.add_user("demo", frozenset({Role.ECONOMIC_OPERATOR}), DEMO_ORGANISATION)
        found.create("lmt-ebike-nmc.json", "ebike")
        yield found


@pytest.fixture(scope="module")
def document(api: Api) -> dict[str, Any]:
    found: dict[str, Any] = api.client.get("/openapi.json").json()
    return found


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def _documented(document: dict[str, Any], method: str, path: str) -> set[int]:
    return {int(code) for code in document["paths"][path][method]["responses"]}


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_error_is_documented_as_problem_details(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert "detail" in schemas["Problem"]["properties"] and "type" in schemas["Problem"]["required"]
    text = json.dumps(document)
    assert "HTTPValidationError" not in text
    for method, path, operation in _operations(document):
        if path.startswith(("/dpps", "/aas/")):
            continue  # EN 18222 and IDTA-01002 `Result` bodies (docs/dpp.md, docs/aas.md)
        for code, response in operation["responses"].items():
            if code[0] not in "45":
                continue
            assert list(response["content"]) == [PROBLEM], (method, path, code)
            reference = response["content"][PROBLEM]["schema"]["$ref"]
            expected = "InvalidRequestProblem" if code == "422" else "Problem"
            assert reference == "#/components/schemas/" + expected, (method, path, code)
    invalid = schemas["InvalidRequestProblem"]["allOf"][1]["properties"]
    assert {"errors", "violations"} <= set(invalid)


def test_a_422_is_what_the_document_says(api: Api, document: dict[str, Any]) -> None:
    response = api.client.get("/passports", params={"limit": "many"}, headers=api.headers("ebike"))
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    body = response.json()
    assert set(document["components"]["schemas"]["Problem"]["required"]) <= set(body)
    assert body["errors"][0]["location"] == ["query", "limit"]


def test_every_operation_documents_401_for_a_bad_credential(document: dict[str, Any]) -> None:
    """A credential that is sent must be valid on every route (tests/accounts checks the server)."""
    for method, path, operation in _operations(document):
        assert "401" in operation["responses"], (method, path)


def test_routes_open_to_anonymous_callers_say_so(document: dict[str, Any]) -> None:
    anonymous = [
        ("get", "/passports/{passport_id}"),
        ("get", "/passports/{passport_id}/versions/{number}"),
        ("get", "/ontology"),
        ("post", "/validate"),
        ("get", "/sparql"),
        ("post", "/sparql"),
    ]
    for method, path in anonymous:
        assert {} in document["paths"][path][method]["security"], (method, path)
    for method, path in [
        ("post", "/passports"),
        ("get", "/users/me"),
        ("delete", "/passports/{passport_id}"),
    ]:
        assert {} not in document["paths"][path][method]["security"], (method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [("put", "/passports/{passport_id}"), ("patch", "/passports/{passport_id}"),
     ("delete", "/passports/{passport_id}"), ("post", "/passports/{passport_id}/transfer")],
)  # fmt: skip
def test_if_match_is_required_where_428_answers_its_absence(
    api: Api, document: dict[str, Any], method: str, path: str
) -> None:
    operation = document["paths"][path][method]
    headers = {p["name"]: p for p in operation["parameters"] if p["in"] == "header"}
    assert headers["If-Match"]["required"] is True
    assert {412, 428} <= _documented(document, method, path)
    passport = api.client.get("/passports", headers=api.headers("ebike")).json()["items"][0]["id"]
    concrete = path.replace("{passport_id}", passport)
    content = b'{"organisation": "X"}' if path.endswith("transfer") else b"{}"
    kind = "application/merge-patch+json" if method == "patch" else "application/json"
    response = api.client.request(method.upper(), concrete, content=content,
                                  headers=api.headers("ebike", content_type=kind))  # fmt: skip
    assert response.status_code == 428


def _provoke(api: Api) -> list[tuple[str, str, httpx.Response]]:
    """Requests the issue saw answered with statuses the document left out."""
    eo, admin = api.headers("ebike"), api.headers("admin")
    passport = api.client.get("/passports", headers=eo).json()["items"][0]["id"]
    json_eo = api.headers("ebike", content_type="application/json")
    form_eo = api.headers("ebike", content_type="application/x-www-form-urlencoded", if_match="*")
    twin = {"email": "ebike@registry.example", "display_name": "Twin", "password": "long enough password"}
    c = api.client
    return [
        ("get", "/passports", c.get("/passports", params={"cursor": "nonsense"}, headers=eo)),
        ("get", "/passports", c.get("/passports", params={"category": "not a code"}, headers=eo)),
        ("post", "/passports", c.post("/passports", content=b"[1, 2]", headers=json_eo)),
        (
            "post",
            "/validate",
            c.post("/validate", content=b"{", headers={"Content-Type": "application/json"}),
        ),
        (
            "get",
            "/passports/{passport_id}/versions/{number}",
            c.get(f"/passports/{passport}/versions/1", headers={"X-API-Key": "garbage"}),
        ),
        ("get", "/passports/{passport_id}", c.get(f"/passports/{passport}", headers={"X-API-Key": ""})),
        ("get", "/users/{user_id}", c.get("/users/nobody", headers=admin)),
        ("get", "/users/{user_id}/api-keys", c.get("/users/nobody/api-keys", headers=admin)),
        (
            "delete",
            "/users/me/api-keys/{key_id}",
            c.delete("/users/me/api-keys/0123456789abcdef", headers=eo),
        ),
        ("post", "/users", c.post("/users", headers=admin, json=twin)),
        ("post", "/users", c.post("/users", headers={**admin, "Content-Type": "text/plain"}, content=b"x")),
        (
            "patch",
            "/users/me",
            c.patch("/users/me", headers={**eo, "Content-Type": "text/plain"}, content=b"x"),
        ),
        (
            "post",
            "/users/me/api-keys",
            c.post("/users/me/api-keys", headers={**eo, "Content-Type": "text/csv"}),
        ),
        (
            "post",
            "/passports/{passport_id}/transfer",
            c.post(f"/passports/{passport}/transfer", content=b"organisation=X", headers=form_eo),
        ),
        ("get", "/ontology", c.get("/ontology", headers={"Accept": "image/png"})),
        ("get", "/ontology", c.get("/ontology", headers={"If-Match": '"other"'})),
    ]


def test_every_status_the_server_answers_is_documented(api: Api, document: dict[str, Any]) -> None:
    for method, path, response in _provoke(api):
        assert response.status_code >= 400, (method, path, response.status_code)
        assert response.status_code in _documented(document, method, path), (
            method,
            path,
            response.status_code,
        )
        assert response.headers["content-type"] == PROBLEM


def test_too_many_wrong_current_passwords_is_documented(api: Api, document: dict[str, Any]) -> None:
    statuses = set()
    for _attempt in range(7):
        response = api.client.patch(
            "/users/me", headers=api.headers("traction"),
            json={"email": "new@registry.example", "current_password": "wrong wrong wrong"},
        )  # fmt: skip
        statuses.add(response.status_code)
    assert 429 in statuses
    assert statuses <= _documented(document, "patch", "/users/me")


def test_every_body_endpoint_documents_415(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        if "requestBody" in operation and not path.startswith("/dpps"):  # EN 18222: a 400 there
            assert "415" in operation["responses"], (method, path)


def test_the_json_schema_is_documented_as_served(api: Api, document: dict[str, Any]) -> None:
    response = api.client.get("/schemas/battery-passport.schema.json")
    assert response.headers["content-type"] == "application/schema+json"
    content = document["paths"]["/schemas/battery-passport.schema.json"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["application/schema+json"]


def test_accept_parameters_enumerate_the_offered_media_types(document: dict[str, Any]) -> None:
    for method, path in [("get", "/passports/{passport_id}"), ("get", "/ontology"), ("post", "/validate")]:
        operation = document["paths"][path][method]
        accept = next(p for p in operation["parameters"] if p["in"] == "header" and p["name"] == "Accept")
        offered = set(operation["responses"]["200"]["content"])
        assert set(accept["examples"]) == offered, (method, path)
    passport = document["paths"]["/passports/{passport_id}"]["get"]["responses"]["200"]["content"]
    assert {"application/ld+json", "text/turtle", "application/rdf+xml", "text/html"} <= set(passport)


def _example(document: dict[str, Any], method: str, path: str, media_type: str) -> Any:
    return document["paths"][path][method]["requestBody"]["content"][media_type]["example"]


@pytest.mark.parametrize("media_type", ["application/ld+json", "application/json", "text/turtle"])
def test_request_examples_are_passports_the_registry_accepts(
    api: Api, document: dict[str, Any], media_type: str
) -> None:
    """As the demo operator (what `make run` signs in), each example is created, replaced, patched,
    validated and succeeded, and nothing is a stub."""
    demo = api.headers("demo", content_type=media_type)

    def body(method: str, path: str) -> bytes:
        example = _example(document, method, path, media_type)
        assert "..." not in json.dumps(example)
        return example.encode() if isinstance(example, str) else json.dumps(example).encode()

    created = api.client.post("/passports", content=body("post", "/passports"), headers=demo)
    assert created.status_code == 201, created.text
    location = created.headers["location"]
    checked = api.client.post("/validate", content=body("post", "/validate"), headers=demo)
    assert checked.status_code == 200 and checked.json()["conforms"] is True, checked.text
    replaced = api.client.put(
        location, content=body("put", "/passports/{passport_id}"), headers={**demo, "If-Match": "*"}
    )
    assert replaced.status_code == 200, replaced.text
    patch = _example(document, "patch", "/passports/{passport_id}", "application/merge-patch+json")
    patched = api.client.patch(
        location, content=json.dumps(patch).encode(),
        headers=api.headers("demo", content_type="application/merge-patch+json", if_match="*"),
    )  # fmt: skip
    assert patched.status_code == 200, patched.text
    successor = api.client.post(
        location + "/successors", content=body("post", "/passports/{passport_id}/successors"), headers=demo
    )
    assert successor.status_code == 201, successor.text
    for path in (successor.headers["location"], location):  # the next media type starts afresh
        assert api.client.delete(path, headers={**api.headers("demo"), "If-Match": "*"}).status_code == 204


def test_examples_are_the_projects_example_passports(document: dict[str, Any]) -> None:
    from passports_support import example_json

    example = _example(document, "post", "/passports", "application/ld+json")
    original = example_json("lmt-ebike-nmc.json")
    assert example["operatorInformation"]["identifier"] == DEMO_ORGANISATION
    assert set(example) == set(original)
    differing = {k for k in original if example[k] != original[k]}
    assert differing == {"operatorInformation", "batteryPassportIdentifier", "productIdentifier"}
