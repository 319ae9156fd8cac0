"""Conditional requests (RFC 9110 section 13): `Last-Modified` and `ETag` validators, 304 and 412, on
passports, their versions and the self-description documents."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime

import httpx2 as httpx
import pytest

from passports_support import Api, example

LD = {"Accept": "application/ld+json"}
DOCUMENTS = [
    "/ontology",
    "/vocabularies",
    "/shapes",
    "/contexts/battery-passport.jsonld",
    "/schemas/battery-passport.schema.json",
]


def _date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def _create(api: Api) -> str:
    location: str = api.create("lmt-ebike-nmc.json", "ebike").headers["location"]
    return location


def test_a_passport_read_says_when_its_version_was_issued(api: Api) -> None:
    location = _create(api)
    response = api.client.get(location, headers=LD)
    issued = api.client.get(location + "/versions").json()[0]["issued"]
    last_modified = parsedate_to_datetime(response.headers["last-modified"])
    assert last_modified == datetime.fromisoformat(issued).replace(microsecond=0)
    assert response.headers["last-modified"].endswith(" GMT")


def test_each_version_has_its_own_last_modified(api: Api) -> None:
    location = _create(api)
    time.sleep(1.1)  # HTTP-dates count whole seconds
    replaced = api.client.put(
        location, content=example("lmt-ebike-nmc.json"),
        headers=api.headers("ebike", content_type="application/ld+json", if_match="*"),
    )  # fmt: skip
    assert replaced.status_code == 200, replaced.text
    versions = api.client.get(location + "/versions").json()
    for number in (1, 2):
        response = api.client.get(f"{location}/versions/{number}", headers=LD)
        issued = datetime.fromisoformat(versions[number - 1]["issued"])
        assert parsedate_to_datetime(response.headers["last-modified"]) == issued.replace(microsecond=0)
    current = api.client.get(location, headers=LD)
    assert (
        current.headers["last-modified"] == api.client.get(f"{location}/versions/2").headers["last-modified"]
    )
    as_of = api.client.get(location, params={"at": versions[0]["issued"]}, headers=LD)
    assert as_of.headers["last-modified"] == api.client.get(f"{location}/versions/1").headers["last-modified"]


def test_if_modified_since_answers_304_until_the_passport_changes(api: Api) -> None:
    location = _create(api)
    first = api.client.get(location, headers=LD)
    since = {**LD, "If-Modified-Since": first.headers["last-modified"]}
    unchanged = api.client.get(location, headers=since)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == first.headers["etag"]
    earlier = _date(parsedate_to_datetime(first.headers["last-modified"]) - timedelta(seconds=1))
    assert api.client.get(location, headers={**LD, "If-Modified-Since": earlier}).status_code == 200
    assert api.client.get(location, headers={**LD, "If-Modified-Since": "not a date"}).status_code == 200


def test_if_none_match_takes_precedence_over_if_modified_since(api: Api) -> None:
    location = _create(api)
    first = api.client.get(location, headers=LD)
    response = api.client.get(
        location,
        headers={**LD, "If-None-Match": '"other"', "If-Modified-Since": first.headers["last-modified"]},
    )
    assert response.status_code == 200


def test_a_get_whose_if_match_fails_gets_412(api: Api) -> None:
    location = _create(api)
    etag = api.client.get(location, headers=LD).headers["etag"]
    assert api.client.get(location, headers={**LD, "If-Match": etag}).status_code == 200
    assert api.client.get(location, headers={**LD, "If-Match": "*"}).status_code == 200
    failed = api.client.get(location, headers={**LD, "If-Match": '"someone-else.1.abc"'})
    assert failed.status_code == 412
    assert failed.headers["content-type"] == "application/problem+json"
    assert api.client.get(location, headers={**LD, "If-Match": "W/" + etag}).status_code == 412


def test_a_get_whose_if_unmodified_since_fails_gets_412(api: Api) -> None:
    location = _create(api)
    last_modified = api.client.get(location, headers=LD).headers["last-modified"]
    earlier = _date(parsedate_to_datetime(last_modified) - timedelta(seconds=1))
    assert api.client.get(location, headers={**LD, "If-Unmodified-Since": earlier}).status_code == 412
    assert api.client.get(location, headers={**LD, "If-Unmodified-Since": last_modified}).status_code == 200


def test_put_if_none_match_star_on_an_existing_passport_is_412_not_428(api: Api) -> None:
    location = _create(api)
    for extra in ({"if_none_match": "*"}, {"if_none_match": "*", "if_match": "*"}):
        response = api.client.put(
            location,
            content=example("lmt-ebike-nmc.json"),
            headers=api.headers("ebike", content_type="application/ld+json", **extra),
        )
        assert response.status_code == 412, response.text
        assert response.headers["content-type"] == "application/problem+json"
    current = api.client.get(location, headers=LD).headers["etag"]
    refused = api.client.delete(location, headers=api.headers("ebike", if_match="*", if_none_match=current))
    assert refused.status_code == 412
    assert api.client.get(location + "/versions").json()[-1]["number"] == 1


def test_if_none_match_naming_an_old_version_does_not_block_a_write(api: Api) -> None:
    location = _create(api)
    headers = api.headers("ebike", if_match="*", if_none_match='"x.99.y"')
    assert api.client.delete(location, headers=headers).status_code == 204


@pytest.mark.parametrize("path", DOCUMENTS)
def test_self_description_documents_have_etags_and_answer_304(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert client.get(path).headers["etag"] == etag
    revalidated = client.get(path, headers={"If-None-Match": etag})
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated.headers["etag"] == etag
    assert client.get(path, headers={"If-None-Match": '"stale"'}).status_code == 200
    assert client.get(path, headers={"If-Match": '"stale"'}).status_code == 412


@pytest.mark.parametrize("path", ["/ontology", "/vocabularies", "/shapes"])
def test_each_representation_of_a_document_has_its_own_etag(client: httpx.Client, path: str) -> None:
    tags = {
        client.get(path, headers={"Accept": accept}).headers["etag"]
        for accept in ("text/turtle", "application/n-triples", "application/ld+json")
    }
    assert len(tags) == 3
