"""The GET route's fast path (a cached representation served on the event loop) keeps every guarantee
of the slow one: wrong credentials get 401, cached bytes follow the caller's groups, writes show at once."""

from __future__ import annotations

import pytest

from passports_support import Api

LD = {"Accept": "application/ld+json"}


def _cached_passport(api: Api) -> str:
    """A passport whose anonymous and owner representations are already in the renderer's cache."""
    path: str = api.client.get(api.create("ev-nmc-car-pack.json").headers["Location"]).url.path
    assert api.client.get(path, headers=LD).status_code == 200
    assert api.client.get(path, headers=api.headers("voltara", **LD)).status_code == 200
    return path


@pytest.mark.parametrize(
    "credentials",
    [
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic dm9sdGFyYTpzZWNyZXQ="},
        {"X-API-Key": "bpr_nope_nope"},
    ],
)
def test_wrong_credentials_get_401_even_when_cached(api: Api, credentials: dict[str, str]) -> None:
    path = _cached_passport(api)
    response = api.client.get(path, headers={**LD, **credentials})
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers


def test_both_credentials_get_401(api: Api) -> None:
    path = _cached_passport(api)
    headers = api.headers("voltara", x_api_key="bpr_nope_nope", **LD)
    assert api.client.get(path, headers=headers).status_code == 401


def test_anonymous_cache_hit_is_the_public_view_not_the_owners(api: Api) -> None:
    path = _cached_passport(api)
    anonymous = api.client.get(path, headers=LD)
    owner = api.client.get(path, headers=api.headers("voltara", **LD))
    assert anonymous.headers["ETag"] != owner.headers["ETag"]
    assert len(anonymous.content) < len(owner.content)
    assert anonymous.headers["Cache-Control"] == "public, no-cache"
    assert owner.headers["Cache-Control"] == "private, no-cache"
    again = api.client.get(path, headers=LD)
    assert again.content == anonymous.content
    assert again.headers["ETag"] == anonymous.headers["ETag"]


def test_cached_read_answers_304_for_its_etag(api: Api) -> None:
    path = _cached_passport(api)
    tag = api.client.get(path, headers=LD).headers["ETag"]
    response = api.client.get(path, headers={**LD, "If-None-Match": tag})
    assert response.status_code == 304
    assert response.headers["ETag"] == tag


def test_a_write_is_seen_by_the_next_cached_read(api: Api) -> None:
    path = _cached_passport(api)
    before = api.client.get(path, headers=LD)
    patched = api.client.patch(
        path,
        json={"batteryMass": 491.5},
        headers=api.headers(
            "voltara", content_type="application/merge-patch+json", if_match=before.headers["ETag"]
        ),
    )
    assert patched.status_code == 200, patched.text
    after = api.client.get(path, headers=LD)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["ETag"].split(".")[1] == "2"


def test_unknown_passport_is_404_and_ended_passport_is_410(api: Api) -> None:
    assert api.client.get("/passports/no-such-passport", headers=LD).status_code == 404
    path = _cached_passport(api)
    tag = api.client.get(path, headers=LD).headers["ETag"]
    assert api.client.delete(path, headers=api.headers("voltara", if_match=tag)).status_code == 204
    assert api.client.get(path, headers=LD).status_code == 410


def test_the_owner_reads_the_full_view_with_an_api_key_either_way(api: Api) -> None:
    path = _cached_passport(api)
    owner = api.client.get(path, headers=api.headers("voltara", **LD))
    created = api.client.post("/users/me/api-keys", headers=api.headers("voltara"), json={"name": "erp"})
    key = created.json()["key"]
    for credentials in ({"X-API-Key": key}, {"Authorization": f"bearer {key}"}):
        response = api.client.get(path, headers={**LD, **credentials})
        assert response.status_code == 200
        assert response.headers["ETag"] == owner.headers["ETag"]
        assert response.content == owner.content


def test_the_openapi_text_documents_the_read_headers_and_credentials(api: Api) -> None:
    operation = api.client.get("/openapi.json").json()["paths"]["/passports/{passport_id}"]["get"]
    names = {(p["in"], p["name"]) for p in operation["parameters"]}
    assert {
        ("path", "passport_id"),
        ("query", "at"),
        ("header", "Accept"),
        ("header", "If-None-Match"),
    } <= names
    # Either scheme, or none: anonymous callers read the public view.
    assert operation["security"] == [{"AccessToken": []}, {"ApiKey": []}, {}]
