"""Our OpenAPI document's EN 18222 operations against the public reference, written down in
`dpp_reference.py`: the same operations, parameters, request media types and statuses, and `Result`
bodies on every error of these paths (problem details everywhere else)."""

from __future__ import annotations

from typing import Any

import pytest
from dpp_reference import (
    HEADER_FIELDS,
    MESSAGE_FIELDS,
    OPERATIONS,
    REQUIRED_HEADER_FIELDS,
    ReferenceOperation,
)

#: Statuses we document beyond the reference, and why: the reference's own text says a write of the full
#: representation answers 501, though its list of responses leaves it out.
EXTRA_STATUSES = {("POST", "/dpps"): {501}, ("PATCH", "/dpps/{dppId}"): {501}}
EXTRA_STATUSES[("PATCH", "/dpps/{dppId}/elements/{elementIdPath}")] = {501}
#: Parameters we add: an optional If-Match on writes (a stale one is a 409, as the reference's 409 says).
EXTRA_PARAMETERS = {("header", "If-Match", False)}


@pytest.fixture(scope="module")
def document(shared_api: Any) -> dict[str, Any]:
    response = shared_api.client.get("/openapi.json")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def dpp_operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        if path.startswith("/dpps")
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_the_dpp_paths_are_exactly_the_reference_operations(document: dict[str, Any]) -> None:
    ours = {key: op["operationId"] for key, op in dpp_operations(document).items()}
    assert ours == {(r.method, r.path): r.operation_id for r in OPERATIONS}


@pytest.mark.parametrize("reference", OPERATIONS, ids=lambda r: r.operation_id)
def test_parameters_match_the_reference(document: dict[str, Any], reference: ReferenceOperation) -> None:
    operation = dpp_operations(document)[(reference.method, reference.path)]
    ours = {(p["in"], p["name"], bool(p.get("required", False))) for p in operation.get("parameters", [])}
    assert ours - EXTRA_PARAMETERS == reference.parameters


@pytest.mark.parametrize("reference", OPERATIONS, ids=lambda r: r.operation_id)
def test_statuses_match_the_reference(document: dict[str, Any], reference: ReferenceOperation) -> None:
    operation = dpp_operations(document)[(reference.method, reference.path)]
    ours = {int(code) for code in operation["responses"]}
    assert ours == reference.statuses | EXTRA_STATUSES.get((reference.method, reference.path), set())


@pytest.mark.parametrize("reference", OPERATIONS, ids=lambda r: r.operation_id)
def test_errors_are_results_and_bodies_have_the_reference_media_type(
    document: dict[str, Any], reference: ReferenceOperation
) -> None:
    operation = dpp_operations(document)[(reference.method, reference.path)]
    for code, response in operation["responses"].items():
        if code[0] in "45":
            assert response["content"] == {
                "application/json": {"schema": {"$ref": "#/components/schemas/Result"}}
            }
    body = operation.get("requestBody", {}).get("content", {})
    assert list(body) == ([reference.request_media_type] if reference.request_media_type else [])


def test_the_document_schema_has_the_en_18223_header(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    passport = schemas["DigitalProductPassport"]
    assert set(HEADER_FIELDS) <= set(passport["properties"])
    assert set(passport["required"]) == REQUIRED_HEADER_FIELDS
    assert set(schemas["Message"]["required"]) == MESSAGE_FIELDS
    assert schemas["Result"]["required"] == ["messages"]


def test_other_paths_keep_problem_details(document: dict[str, Any]) -> None:
    read = document["paths"]["/passports/{passport_id}"]["get"]
    assert "application/problem+json" in read["responses"]["404"]["content"]
