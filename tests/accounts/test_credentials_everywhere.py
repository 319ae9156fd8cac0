"""One rule on every route: a credential that is sent must be valid (401 otherwise), never ignored."""

from __future__ import annotations

import re

import pytest
from accounts_support import Registry, assert_problem

#: Values for the path parameters of the documented routes.
_PATH_VALUES = {
    "passport_id": "abc",
    "number": "1",
    "user_id": "abc",
    "key_id": "0123456789abcdef",
    "successor_id": "abc",
    "dppId": "abc",
    "elementIdPath": "%24",
    "productId": "abc",
    "gtin": "04012345000016",
    "serial": "VX77NMC0004711",
    "aasIdentifier": "eA",
    "submodelIdentifier": "eA",
}

#: Credential headers that are present but not valid: garbage, empty, a scheme we do not take.
BAD_CREDENTIALS = [
    {"X-API-Key": "garbage"},
    {"X-API-Key": ""},
    {"X-API-Key": "bpr_0123456789abcdef_notthesecret"},
    {"Authorization": "Bearer garbage"},
    {"Authorization": ""},
    {"Authorization": "Bearer "},
]


def _operations(registry: Registry) -> list[tuple[str, str]]:
    document = registry.client.get("/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: _PATH_VALUES[m.group(1)], path)
        found += [(method.upper(), concrete) for method in item]
    return found


@pytest.mark.parametrize("credential", BAD_CREDENTIALS, ids=lambda c: repr(c))
def test_every_operation_refuses_a_bad_credential(
    shared_registry: Registry, credential: dict[str, str]
) -> None:
    operations = _operations(shared_registry)
    assert ("GET", "/passports/abc/versions") in operations and ("POST", "/validate") in operations
    for method, path in operations:
        response = shared_registry.client.request(method, path, headers=credential)
        assert response.status_code == 401, (method, path, response.status_code, response.text)
        if path.startswith(("/dpps", "/aas/")):  # `Result` bodies there (docs/dpp.md, docs/aas.md)
            assert response.json()["messages"][0]["code"] == "unauthenticated"
            assert response.headers["www-authenticate"].startswith("Bearer")
        else:
            assert_problem(response, 401)


def test_basic_client_authentication_on_the_token_endpoint_is_ignored(registry: Registry) -> None:
    """OAuth2 clients (Swagger UI among them) may authenticate themselves with Basic on the token
    endpoint (RFC 6749 section 2.3.1); the registry has no client registry, so that is not a credential."""
    response = registry.client.post(
        "/auth/token",
        data={"username": registry.users["admin"].email, "password": registry.passwords["admin"]},
        headers={"Authorization": "Basic Og=="},
    )
    assert response.status_code == 200, response.text


def test_an_api_key_sent_to_the_token_endpoint_must_be_valid(registry: Registry) -> None:
    response = registry.client.post(
        "/auth/token",
        data={"username": registry.users["admin"].email, "password": registry.passwords["admin"]},
        headers={"X-API-Key": "garbage"},
    )
    assert_problem(response, 401)


def test_a_valid_credential_still_works_on_routes_that_read_no_caller(registry: Registry) -> None:
    headers = registry.headers("commission")
    assert registry.client.get("/ontology", headers=headers).status_code == 200
    assert registry.client.get("/health", headers=headers).status_code == 200
