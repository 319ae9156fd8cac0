"""Versions and as-of reads: no update ever loses the earlier version."""

from __future__ import annotations

import json

from passports_support import Api, example


def put_mass(api: Api, location: str, mass: str) -> None:
    etag = api.client.get(location, headers=api.headers("voltara")).headers["etag"]
    document = json.loads(example("ev-nmc-car-pack.json"))
    document["batteryMass"] = mass
    response = api.client.put(
        location,
        content=json.dumps(document),
        headers=api.headers("voltara", content_type="application/ld+json", if_match=etag),
    )
    assert response.status_code == 200, response.text


def mass(api: Api, url: str, **params: str) -> str:
    response = api.client.get(
        url, params=params, headers=api.headers("voltara", accept="application/ld+json")
    )
    assert response.status_code == 200, response.text
    value: str = response.json()["batteryMass"]
    return value


def test_every_version_stays_readable(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    put_mass(api, location, "487.5")
    put_mass(api, location, "488.5")
    versions = api.client.get(location + "/versions").json()
    assert [v["number"] for v in versions] == [1, 2, 3]
    assert all(v["issued_by"] == "DE2847193650" for v in versions)
    assert [mass(api, location + f"/versions/{n}") for n in (1, 2, 3)] == ["486.5", "487.5", "488.5"]
    assert mass(api, location) == "488.5"
    assert api.client.get(location + "/versions/4").status_code == 404


def test_as_of_reads(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    put_mass(api, location, "490.0")
    first, second = api.client.get(location + "/versions").json()
    assert mass(api, location, at=first["issued"]) == "486.5"
    assert mass(api, location, at=second["issued"]) == "490"  # the canonical form
    before = api.client.get(location, params={"at": "2000-01-01T00:00:00Z"})
    assert before.status_code == 404
    naive = api.client.get(location, params={"at": "2030-01-01T00:00:00"})
    assert naive.status_code == 422  # RFC 3339 needs a time offset


def test_old_versions_are_filtered_by_group_like_the_live_one(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    put_mass(api, location, "490.0")
    owner = api.client.get(
        location + "/versions/1", headers=api.headers("voltara", accept="application/ld+json")
    )
    anonymous = api.client.get(location + "/versions/1", headers={"Accept": "application/ld+json"})
    assert "batteryStatus" in owner.json()
    assert "batteryStatus" not in anonymous.json()
    assert set(anonymous.json()) < set(owner.json())
