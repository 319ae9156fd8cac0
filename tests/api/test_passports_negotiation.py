"""Content negotiation, ETags and conditional requests on passports."""

from __future__ import annotations

import pytest

from passports_support import Api


@pytest.fixture(scope="module")
def passport(shared_api: Api) -> str:
    return shared_api.create("lmt-ebike-nmc.json", "ebike").headers["location"]


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/ld+json"),
        ("*/*", "application/ld+json"),
        ("text/turtle", "text/turtle; charset=utf-8"),
        ("text/turtle;q=0.5, application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples;q=0.9, text/*;q=0.2", "application/n-triples"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html; charset=utf-8"),
        ("application/*;q=0.1, application/trig", "application/trig"),
        ("application/n-quads", "application/n-quads"),
        ("application/json", "application/json"),
    ],
)
def test_q_values_pick_the_representation(
    shared_api: Api, passport: str, accept: str | None, chosen: str
) -> None:
    headers = {} if accept is None else {"Accept": accept}
    response = shared_api.client.get(passport, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == chosen
    assert "Accept" in response.headers["vary"]


def test_unacceptable_gets_406_listing_what_is_offered(shared_api: Api, passport: str) -> None:
    response = shared_api.client.get(passport, headers={"Accept": "image/png, text/turtle;q=0"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "text/turtle" in response.json()["offered"]


def test_etags_differ_by_representation_and_view(shared_api: Api, passport: str) -> None:
    tags = {
        shared_api.client.get(passport, headers=shared_api.headers(caller, accept=accept)).headers["etag"]
        for caller in ("anonymous", "legitimate_interest", "ebike")
        for accept in ("text/turtle", "application/ld+json", "application/n-triples")
    }
    assert len(tags) == 9
    assert all(tag.startswith('"') and tag.endswith('"') for tag in tags)


def test_if_none_match_answers_304(shared_api: Api, passport: str) -> None:
    first = shared_api.client.get(passport, headers={"Accept": "text/turtle"})
    tag = first.headers["etag"]
    again = shared_api.client.get(passport, headers={"Accept": "text/turtle", "If-None-Match": f"W/{tag}"})
    assert again.status_code == 304
    assert again.headers["etag"] == tag
    assert again.content == b""
    other = shared_api.client.get(passport, headers={"Accept": "application/ld+json", "If-None-Match": tag})
    assert other.status_code == 200


def test_cached_and_fresh_bytes_are_the_same(shared_api: Api, passport: str) -> None:
    first = shared_api.client.get(passport, headers={"Accept": "application/n-triples"})
    second = shared_api.client.get(passport, headers={"Accept": "application/n-triples"})
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]


def test_unknown_passport_is_404_problem(shared_api: Api) -> None:
    for path in ("/passports/AAAAAAAAAAAAAAAA", "/passports/not%20an%20id", "/passports/AAAA/versions"):
        response = shared_api.client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"
