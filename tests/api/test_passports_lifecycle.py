"""Lifecycle (Art. 77(7)-(8)): successors when repurposed, transfer on waste, ceasing on recycling."""

from __future__ import annotations

import json
from typing import Any

from passport_registry.roles import Role
from passports_support import Api, example

ORIGINAL = "urn:uuid:3d8f5b21-7c4e-4a90-b6d2-18e4f0a9c357"  # ev-lfp-car-pack.json


def second_life(**changes: Any) -> bytes:
    document = json.loads(example("stationary-second-life-nmc.json"))
    del document["predecessor"]
    document.update(changes)
    return json.dumps(document).encode()


def owner_json(api: Api, location: str, caller: str) -> dict[str, Any]:
    response = api.client.get(location, headers=api.headers(caller, accept="application/ld+json"))
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def successor(api: Api, original: str, body: bytes) -> Any:
    return api.client.post(
        original + "/successors",
        content=body,
        headers=api.headers("zweitleben", content_type="application/ld+json"),
    )


def test_a_repurposed_battery_gets_a_new_passport_linked_both_ways(api: Api) -> None:
    original = api.create("ev-lfp-car-pack.json").headers["location"]
    response = successor(api, original, second_life())
    assert response.status_code == 201, response.text
    created = response.headers["location"]
    assert response.json()["owner"] == "DE3319027468"
    assert response.json()["predecessors"] == [ORIGINAL]
    assert owner_json(api, created, "zweitleben")["predecessor"] == [ORIGINAL]
    assert (
        f'<http://testserver{original}>; rel="predecessor-version"' in api.client.get(created).headers["link"]
    )
    # The original is not written by the new operator; it shows the link once its owner accepts.
    assert "successor" not in owner_json(api, original, "voltara")
    assert [v["issued_by"] for v in api.client.get(original + "/versions").json()] == ["DE2847193650"]
    assert "link" not in api.client.get(original).headers
    accept = api.client.put(
        f"{original}/successors/{created.rsplit('/', 1)[1]}", headers=api.headers("voltara")
    )
    assert accept.status_code == 200, accept.text
    assert (
        f'<http://testserver{created}>; rel="successor-version"' in api.client.get(original).headers["link"]
    )
    found = api.client.get("/passports/lookup", params={"identifier": ORIGINAL}, follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == original
    assert api.client.get("/passports/lookup", params={"identifier": "urn:uuid:nothing"}).status_code == 404


def test_a_successor_needs_a_derived_status(api: Api) -> None:
    original = api.create("ev-lfp-car-pack.json").headers["location"]
    response = successor(api, original, second_life(batteryStatus="original"))
    assert response.status_code == 422
    assert api.client.get(original + "/versions").json()[-1]["number"] == 1


def test_a_failed_successor_changes_neither_passport(api: Api) -> None:
    original = api.create("ev-lfp-car-pack.json").headers["location"]
    taken = json.loads(example("ev-nmc-car-pack.json"))["productIdentifier"]
    api.create("ev-nmc-car-pack.json")
    response = successor(api, original, second_life(productIdentifier=taken))
    assert response.status_code == 409, response.text
    assert len(api.client.get(original + "/versions").json()) == 1
    assert api.client.get("/passports", headers=api.headers("zweitleben")).json()["items"] == []


def test_status_changes_of_the_lifecycle_are_not_plain_edits(api: Api) -> None:
    location = api.create("ev-lfp-car-pack.json").headers["location"]
    for status in ("repurposed", "waste"):
        response = api.client.patch(
            location,
            content=json.dumps({"batteryStatus": status}),
            headers=api.headers("voltara", content_type="application/merge-patch+json", if_match="*"),
        )
        assert response.status_code == 422, status
        assert "POST /passports/{id}/" in response.json()["detail"]


def test_waste_moves_responsibility(api: Api) -> None:
    location = api.create("ev-lfp-car-pack.json").headers["location"]
    api.add_user("pro", frozenset({Role.ECONOMIC_OPERATOR}), "DE-PRO-0001")
    body = {"organisation": "DE-PRO-0001"}
    assert (
        api.client.post(location + "/transfer", json=body, headers=api.headers("voltara")).status_code == 428
    )
    assert (
        api.client.post(
            location + "/transfer", json=body, headers=api.headers("pro", if_match="*")
        ).status_code
        == 403
    )
    response = api.client.post(
        location + "/transfer", json=body, headers=api.headers("voltara", if_match="*")
    )
    assert response.status_code == 200, response.text
    assert response.json()["owner"] == "DE-PRO-0001"
    assert response.json()["battery_status"] == "waste"
    assert owner_json(api, location, "pro")["batteryStatus"] == "waste"
    assert api.client.get("/passports", headers=api.headers("voltara")).json()["items"] == []
    assert [p["id"] for p in api.client.get("/passports", headers=api.headers("pro")).json()["items"]] == [
        response.json()["id"]
    ]
    # the new owner edits it (the operator named in the body may stay as it was)
    patch = api.client.patch(
        location,
        content=json.dumps({"batteryMass": 480.0}),
        headers=api.headers(
            "pro", content_type="application/merge-patch+json", if_match=response.headers["etag"]
        ),
    )
    assert patch.status_code == 200, patch.text
    assert api.client.delete(location, headers=api.headers("voltara", if_match="*")).status_code == 403


def test_recycling_ends_the_passport_as_ceased(api: Api) -> None:
    location = api.create("ev-lfp-car-pack.json").headers["location"]
    response = api.client.delete(
        location, params={"reason": "recycled"}, headers=api.headers("voltara", if_match="*")
    )
    assert response.status_code == 204
    gone = api.client.get(location, headers={"Accept": "text/turtle"})
    assert gone.status_code == 410
    assert gone.json()["passport_status"] == "ceased"
    assert api.client.get(location + "/versions").status_code == 410
    # its owner still reads the history
    assert api.client.get(location + "/versions", headers=api.headers("voltara")).status_code == 200
    listed = api.client.get("/passports", params={"status": "ceased"}, headers=api.headers("voltara")).json()
    assert [p["status"] for p in listed["items"]] == ["ceased"]
