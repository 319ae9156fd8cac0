"""Method semantics (RFC 9110 section 9.3, RFC 5789): HEAD wherever GET is answered, OPTIONS and `Allow`
listing every method of a resource, `Accept-Patch` where PATCH exists."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from passports_support import Api

#: Headers that legitimately differ between two responses to the same request.
_PER_RESPONSE = {"date", "server"}


def _documented(ebike_api: Api, ebike_passport_id: str) -> dict[str, set[str]]:
    """Each concrete path of the OpenAPI document and the methods it documents."""
    values = {
        "passport_id": ebike_passport_id,
        "number": "1",
        "user_id": ebike_api.users["admin"].id,
        "successor_id": "x",
        "key_id": "0123456789abcdef",
        "dppId": ebike_passport_id,
        "elementIdPath": quote("$['dppStatus']", safe=""),
        "productId": "x",
        "aasIdentifier": "eA",  # base64url of "x"
        "submodelIdentifier": "eA",
        # The GS1 Digital Link of the e-bike battery (its battery identifier is the element string).
        "gtin": "04098765000011",
        "serial": "PW500-2026-018832",
    }
    document = ebike_api.client.get("/openapi.json").json()
    return {
        re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path): {m.upper() for m in item}
        for path, item in document["paths"].items()
    }


def _allow(methods: set[str]) -> set[str]:
    return methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())


def _headers(response_headers: object) -> dict[str, str]:
    return {k.lower(): v for k, v in dict(response_headers).items() if k.lower() not in _PER_RESPONSE}  # type: ignore[call-overload]


@pytest.mark.parametrize("caller", ["anonymous", "ebike", "admin"])
def test_head_answers_wherever_get_does_with_the_same_status_and_headers(
    ebike_api: Api, ebike_passport_id: str, caller: str
) -> None:
    for path, methods in _documented(ebike_api, ebike_passport_id).items():
        if "GET" not in methods:
            continue
        get = ebike_api.client.get(path, headers=ebike_api.headers(caller), follow_redirects=False)
        head = ebike_api.client.head(path, headers=ebike_api.headers(caller), follow_redirects=False)
        assert head.status_code == get.status_code, (path, head.status_code, get.status_code)
        assert head.content == b"", path
        expected, found = _headers(get.headers), _headers(head.headers)
        again = ebike_api.client.get(path, headers=ebike_api.headers(caller), follow_redirects=False)
        if again.content != get.content:  # blank node labels of a generated graph differ per response
            expected.pop("content-length"), found.pop("content-length")
        assert found == expected, path


@pytest.mark.parametrize(
    "accept", ["application/ld+json", "application/json", "text/turtle", "application/rdf+xml", "text/html"]
)
def test_head_of_a_passport_keeps_negotiation_and_validators(
    ebike_api: Api, ebike_passport_id: str, accept: str
) -> None:
    get = ebike_api.client.get(f"/passports/{ebike_passport_id}", headers={"Accept": accept})
    head = ebike_api.client.head(f"/passports/{ebike_passport_id}", headers={"Accept": accept})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == get.headers["content-type"]
    assert int(head.headers["content-length"]) == len(get.content)
    revalidated = ebike_api.client.head(
        f"/passports/{ebike_passport_id}", headers={"Accept": accept, "If-None-Match": get.headers["etag"]}
    )
    assert revalidated.status_code == 304


def test_options_lists_every_method_of_each_resource(ebike_api: Api, ebike_passport_id: str) -> None:
    for path, methods in _documented(ebike_api, ebike_passport_id).items():
        response = ebike_api.client.options(path)
        assert response.status_code == 204, (path, response.status_code)
        assert set(response.headers["allow"].split(", ")) == _allow(methods), path
        if "PATCH" in methods:
            assert response.headers["accept-patch"] == "application/merge-patch+json", path
        else:
            assert "accept-patch" not in response.headers, path


def test_options_of_an_unknown_path_is_404(ebike_api: Api) -> None:
    assert ebike_api.client.options("/no/such/thing").status_code == 404


def test_a_method_a_resource_lacks_gets_405_listing_all_it_has(
    ebike_api: Api, ebike_passport_id: str
) -> None:
    for path, methods in _documented(ebike_api, ebike_passport_id).items():
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE"} - methods:
            response = ebike_api.client.request(method, path)
            assert response.status_code == 405, (method, path, response.status_code)
            # The EN 18222 and AAS paths answer their own error shape, `Result` (docs/dpp.md, docs/aas.md).
            error_type = (
                "application/json" if path.startswith(("/dpps", "/aas/")) else "application/problem+json"
            )
            assert response.headers["content-type"] == error_type
            assert set(response.headers["allow"].split(", ")) == _allow(methods), (method, path)


def test_put_on_the_sparql_endpoint_names_get_and_post(ebike_api: Api) -> None:
    """The endpoint is served by two routes (GET and POST); `Allow` names the resource's methods."""
    response = ebike_api.client.put("/sparql", content=b"ASK {}")
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}


def test_head_on_a_resource_without_get_is_405(ebike_api: Api, ebike_passport_id: str) -> None:
    response = ebike_api.client.head(f"/passports/{ebike_passport_id}/transfer")
    assert response.status_code == 405 and response.content == b""
    assert response.headers["allow"] == "POST, OPTIONS"


def test_a_patch_in_an_unsupported_format_is_told_what_patches_are_accepted(
    ebike_api: Api, ebike_passport_id: str
) -> None:
    headers = ebike_api.headers("ebike", content_type="application/json-patch+json", if_match="*")
    response = ebike_api.client.patch(f"/passports/{ebike_passport_id}", content=b"[]", headers=headers)
    assert response.status_code == 415
    assert response.headers["accept-patch"] == "application/merge-patch+json"


@pytest.mark.slow  # starts `passport-registry serve`
def test_head_through_a_live_server(tmp_path: Path) -> None:
    """Over a real socket the server must not choke on a HEAD response that declares a Content-Length."""
    import httpx2 as httpx

    from dev_server import dev_server

    with dev_server(tmp_path) as (url, _output), httpx.Client(base_url=url) as client:
        get = client.get("/ontology")
        head = client.head("/ontology")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(get.content))
        assert client.get("/health").status_code == 200  # the connection survived
