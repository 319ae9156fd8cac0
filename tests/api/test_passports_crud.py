"""Create, read, list, replace, patch and delete passports over HTTP, as their owner."""

from __future__ import annotations

import json

import pytest

from passports_support import EXAMPLES, INVALID, Api, canonical, example, expected_graph, graph

RDF_TYPES = [
    "application/ld+json",
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
]


def owner_graph(api: Api, location: str, caller: str = "voltara") -> tuple[set[str], str]:
    response = api.client.get(location, headers=api.headers(caller, accept="application/n-triples"))
    assert response.status_code == 200, response.text
    iri = "http://testserver" + location
    return canonical(graph(response.content, "application/n-triples"), iri), response.headers["etag"]


def test_create_answers_201_with_location_etag_and_the_record(api: Api) -> None:
    response = api.create("ev-nmc-car-pack.json")
    location = response.headers["location"]
    assert location.startswith("/passports/")
    body = response.json()
    assert body["iri"] == "http://testserver" + location
    assert body["owner"] == "DE2847193650"
    assert body["version"] == 1 and body["status"] == "live"
    assert response.headers["etag"].startswith(f'"{body["id"]}.1.')


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_example_is_created_and_read_back_isomorphic(api: Api, name: str) -> None:
    operator = json.loads(example(name))["operatorInformation"]["identifier"]
    caller = {u.organisation: c for c, u in api.users.items() if u.organisation}[operator]
    location = api.create(name, caller).headers["location"]
    stored, _ = owner_graph(api, location, caller)
    assert stored == expected_graph(name, "http://testserver" + location)


@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_every_input_format_creates_the_same_passport(api: Api, media_type: str) -> None:
    first = api.create("lmt-ebike-nmc.json", "ebike").headers["location"]
    turtle = api.client.get(first, headers=api.headers("ebike", accept=media_type))
    assert turtle.status_code == 200
    delete = api.client.delete(first, headers=api.headers("ebike", if_match="*"))
    assert delete.status_code == 204
    response = api.client.post(
        "/passports", content=turtle.content, headers=api.headers("ebike", content_type=media_type)
    )
    assert response.status_code == 201, response.text
    again, _ = owner_graph(api, response.headers["location"], "ebike")
    assert again == expected_graph("lmt-ebike-nmc.json", "http://testserver" + response.headers["location"])


def test_plain_json_without_context_is_read_with_ours(api: Api) -> None:
    document = json.loads(example("lmt-ebike-nmc.json"))
    del document["@context"]
    response = api.client.post(
        "/passports",
        content=json.dumps(document),
        headers=api.headers("ebike", content_type="application/json"),
    )
    assert response.status_code == 201, response.text
    stored, _ = owner_graph(api, response.headers["location"], "ebike")
    assert stored == expected_graph("lmt-ebike-nmc.json", "http://testserver" + response.headers["location"])


def test_one_live_passport_per_battery(api: Api) -> None:
    api.create("ev-nmc-car-pack.json")
    again = api.client.post(
        "/passports",
        content=example("ev-nmc-car-pack.json"),
        headers=api.headers("voltara", content_type="application/ld+json"),
    )
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_invalid_payload_gets_422_with_every_violation_and_changes_nothing(api: Api) -> None:
    body = json.loads((INVALID / "negative-mass.jsonld").read_bytes())
    body["operatorInformation"]["identifier"] = "DE2847193650"
    response = api.client.post(
        "/passports",
        content=json.dumps(body),
        headers=api.headers("voltara", content_type="application/ld+json"),
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"].endswith("/shape-violation")
    [violation] = problem["violations"]
    assert violation["path"] == "https://w3id.org/passport-registry/battery#batteryMass"
    assert {"focusNode", "message", "severity", "sourceShape", "constraintComponent", "focusPath"} <= set(
        violation
    )
    assert api.client.get("/passports", headers=api.headers("voltara")).json()["items"] == []


def test_unsupported_content_type_gets_415(api: Api) -> None:
    response = api.client.post(
        "/passports", content=b"battery", headers=api.headers("voltara", content_type="text/plain")
    )
    assert response.status_code == 415
    assert "text/turtle" in response.json()["accepted"]


def test_another_operators_name_in_the_body_is_refused(api: Api) -> None:
    response = api.client.post(
        "/passports",
        content=example("ev-nmc-car-pack.json"),
        headers=api.headers("ebike", content_type="application/ld+json"),
    )
    assert response.status_code == 403
    assert "DE2847193650" in response.json()["detail"]


@pytest.mark.parametrize("caller", ["anonymous", "admin", "legitimate_interest"])
def test_only_economic_operators_create(api: Api, caller: str) -> None:
    response = api.client.post(
        "/passports",
        content=example("ev-nmc-car-pack.json"),
        headers=api.headers(caller, content_type="application/ld+json"),
    )
    assert response.status_code == (401 if caller == "anonymous" else 403)


def test_replace_needs_the_current_etag(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    before, etag = owner_graph(api, location)
    document = json.loads(example("ev-nmc-car-pack.json"))
    document["batteryMass"] = 500.5
    body = json.dumps(document)
    headers = api.headers("voltara", content_type="application/ld+json")
    missing = api.client.put(location, content=body, headers=headers)
    assert missing.status_code == 428
    stale = api.client.put(location, content=body, headers={**headers, "If-Match": '"nope.1.x"'})
    assert stale.status_code == 412
    assert owner_graph(api, location)[0] == before
    done = api.client.put(location, content=body, headers={**headers, "If-Match": etag})
    assert done.status_code == 200, done.text
    assert done.json()["version"] == 2
    again = api.client.put(location, content=body, headers={**headers, "If-Match": etag})
    assert again.status_code == 412
    assert again.json()["current_version"] == 2
    after, _ = owner_graph(api, location)
    assert any("batteryMass" in q and '"500.5"' in q for q in after)


def test_patch_merges_into_the_compacted_form(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    _, etag = owner_graph(api, location)
    patch = {"batteryMass": 490.25, "warrantyPeriod": None}
    response = api.client.patch(
        location,
        content=json.dumps(patch),
        headers=api.headers("voltara", content_type="application/merge-patch+json", if_match=etag),
    )
    assert response.status_code == 200, response.text
    document = api.client.get(location, headers=api.headers("voltara", accept="application/ld+json")).json()
    assert document["batteryMass"] == "490.25"  # a JSON number is accepted; decimals are written as strings
    assert "warrantyPeriod" not in document
    # the patched version is a new version; the first is kept
    first = api.client.get(
        location + "/versions/1", headers=api.headers("voltara", accept="application/ld+json")
    )
    assert first.json()["warrantyPeriod"] == 96


def test_invalid_patch_changes_nothing(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    before, etag = owner_graph(api, location)
    response = api.client.patch(
        location,
        content=json.dumps({"batteryMass": -1}),
        headers=api.headers("voltara", content_type="application/merge-patch+json", if_match=etag),
    )
    assert response.status_code == 422
    assert owner_graph(api, location) == (before, etag)


def test_only_the_owner_writes(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    for caller in ("ebike", "legitimate_interest", "admin"):
        response = api.client.delete(location, headers=api.headers(caller, if_match="*"))
        assert response.status_code == 403, caller


def test_delete_leaves_a_tombstone(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    assert api.client.delete(location, headers=api.headers("voltara")).status_code == 428
    assert api.client.delete(location, headers=api.headers("voltara", if_match="*")).status_code == 204
    gone = api.client.get(location)
    assert gone.status_code == 410
    problem = gone.json()
    assert problem["status"] == 410
    assert problem["passport_status"] == "deleted"
    assert problem["ended_by"] == "DE2847193650" and problem["ended_at"]
    # the battery is free for a new passport
    assert api.create("ev-nmc-car-pack.json").status_code == 201


def test_list_pages_with_a_next_link_and_filters(api: Api) -> None:
    api.create("ev-nmc-car-pack.json")
    api.create("ev-lfp-car-pack.json")
    first = api.client.get("/passports?limit=1", headers=api.headers("voltara"))
    assert first.status_code == 200
    assert len(first.json()["items"]) == 1
    next_url = first.json()["next"]
    assert first.headers["link"] == f'<{next_url}>; rel="next"'
    second = api.client.get(next_url, headers=api.headers("voltara"))
    assert len(second.json()["items"]) == 1 and second.json()["next"] is None
    ids = {first.json()["items"][0]["id"], second.json()["items"][0]["id"]}
    assert len(ids) == 2
    lfp = api.client.get(
        "/passports",
        params={"batteryIdentifier": "(01)04012345000023(21)VC60LFP0012034"},
        headers=api.headers("voltara"),
    ).json()["items"]
    assert [p["battery_identifier"] for p in lfp] == ["(01)04012345000023(21)VC60LFP0012034"]
    assert (
        len(
            api.client.get(
                "/passports?category=ev&batteryStatus=original", headers=api.headers("voltara")
            ).json()["items"]
        )
        == 2
    )
    assert (
        api.client.get("/passports?batteryStatus=waste", headers=api.headers("voltara")).json()["items"] == []
    )
    assert (
        api.client.get("/passports?updatedSince=2999-01-01T00:00:00Z", headers=api.headers("voltara")).json()[
            "items"
        ]
        == []
    )
    assert api.client.get("/passports", headers=api.headers("ebike")).json()["items"] == []
    assert api.client.get("/passports").status_code == 401


def test_what_get_gives_can_be_put_back_unchanged(api: Api) -> None:
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    for media_type in ("application/json", "application/ld+json", "text/turtle", "application/rdf+xml"):
        got = api.client.get(location, headers=api.headers("voltara", accept=media_type))
        headers = api.headers("voltara", content_type=media_type, if_match=got.headers["etag"])
        response = api.client.put(location, content=got.content, headers=headers)
        assert response.status_code == 200, (media_type, response.text)
    stored, _ = owner_graph(api, location)
    assert stored == expected_graph("ev-nmc-car-pack.json", "http://testserver" + location)
    assert len(api.client.get(location + "/versions").json()) == 5
