"""Lifecycle links need the consent of the original's owner (Art. 77(7)), and links are part of ETags.

A new passport may name any passport as its predecessor: that is its operator's statement, in its own
passport. The original shows the link (`successor-version`) only once its owner consents, implicitly
when the claim comes from an organisation that is or was responsible for the original, else by
accepting it; the owner can withdraw the link at any time, and every claim and decision says who and when.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2 as httpx

from passports_support import Api, example_json

VOLTARA, ZWEITLEBEN = "DE2847193650", "DE3319027468"
ORIGINAL = "urn:uuid:6f1c2a3e-8d4b-4f7a-9b21-3c5e7d9a1f02"  # ev-nmc-car-pack.json
SECOND_LIFE = "urn:uuid:0b7e4c19-52a6-4e0d-8f3b-a91d2c6e7b45"  # stationary-second-life-nmc.json


def second_life(operator: str = ZWEITLEBEN, **changes: Any) -> bytes:
    """The second-life example (its predecessor is the ev-nmc example), issued by `operator`;
    `predecessor=None` leaves the predecessor out."""
    document = example_json("stationary-second-life-nmc.json")
    document["operatorInformation"]["identifier"] = operator
    document.update(changes)
    if document["predecessor"] is None:
        del document["predecessor"]
    return json.dumps(document).encode()


def create(api: Api, caller: str, body: bytes, path: str = "/passports") -> str:
    response = api.client.post(
        path, content=body, headers=api.headers(caller, content_type="application/ld+json")
    )
    assert response.status_code == 201, response.text
    location: str = response.headers["location"]
    return location


def successor_links(response: httpx.Response) -> list[str]:
    links = [part.strip() for part in response.headers.get("link", "").split(",") if part.strip()]
    return [link.split(";")[0].strip("<> ") for link in links if 'rel="successor-version"' in link]


def claims(api: Api, original: str, caller: str) -> list[dict[str, Any]]:
    response = api.client.get(original + "/successors", headers=api.headers(caller))
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def test_a_successor_by_another_operator_leaves_the_original_untouched(api: Api) -> None:
    # Regression: POST /passports/{id}/successors by any operator wrote a new version of the original
    # (issued by that operator), so its owner's If-Match went stale and its page showed the link.
    original = api.create("ev-lfp-car-pack.json").headers["location"]  # its data names no successor
    owner_etag = api.client.get(original, headers=api.headers("voltara")).headers["etag"]
    created = create(api, "zweitleben", second_life(predecessor=None), original + "/successors")
    versions = api.client.get(original + "/versions").json()
    assert [(v["number"], v["issued_by"]) for v in versions] == [(1, VOLTARA)]
    owner_view = api.client.get(original, headers=api.headers("voltara", accept="application/ld+json"))
    assert "successor" not in owner_view.json()
    assert successor_links(api.client.get(original)) == []
    assert successor_links(owner_view) == []
    patched = api.client.patch(
        original,
        content=json.dumps({"batteryMass": 391.0}),
        headers=api.headers("voltara", content_type="application/merge-patch+json", if_match=owner_etag),
    )
    assert patched.status_code == 200, patched.text
    # The new passport states its predecessor, as Art. 77(7) wants.
    assert (
        f'<http://testserver{original}>; rel="predecessor-version"' in api.client.get(created).headers["link"]
    )
    [claim] = claims(api, original, "voltara")
    assert claim["successor"] == "http://testserver" + created and claim["status"] == "proposed"
    assert claim["claimed_by"] == ZWEITLEBEN and claim["claimed_at"]
    assert claim["decided_by"] is None and claim["decided_at"] is None


def test_naming_a_foreign_predecessor_shows_nothing_on_it_until_its_owner_accepts(api: Api) -> None:
    # Regression: any passport naming another as predecessor made the victim show a successor link.
    original = api.create("ev-nmc-car-pack.json").headers["location"]
    created = create(api, "zweitleben", second_life())
    assert successor_links(api.client.get(original)) == []
    assert claims(api, original, "anonymous") == []  # others see accepted links only
    assert [c["status"] for c in claims(api, original, "market_surveillance")] == ["proposed"]
    successor_id = created.rsplit("/", 1)[1]
    link = f"{original}/successors/{successor_id}"

    for caller, status in (("zweitleben", 403), ("market_surveillance", 403), ("anonymous", 401)):
        assert api.client.put(link, headers=api.headers(caller)).status_code == status
        assert api.client.delete(link, headers=api.headers(caller)).status_code == status
    assert successor_links(api.client.get(original)) == []

    accepted = api.client.put(link, headers=api.headers("voltara"))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["decided_by"] == VOLTARA
    assert successor_links(api.client.get(original)) == ["http://testserver" + created]
    assert [c["status"] for c in claims(api, original, "anonymous")] == ["accepted"]

    withdrawn = api.client.delete(link, headers=api.headers("voltara"))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "rejected"
    assert withdrawn.json()["decided_by"] == VOLTARA and withdrawn.json()["decided_at"]
    assert successor_links(api.client.get(original)) == []
    assert claims(api, original, "anonymous") == []
    assert api.client.put(link, headers=api.headers("voltara")).json()["status"] == "accepted"
    assert successor_links(api.client.get(original)) == ["http://testserver" + created]
    # Deciding changes nothing in either passport's data.
    assert len(api.client.get(original + "/versions").json()) == 1
    assert len(api.client.get(created + "/versions").json()) == 1
    unknown = api.client.put(f"{original}/successors/nosuchpassport", headers=api.headers("voltara"))
    assert unknown.status_code == 404


def test_an_operator_links_the_successors_of_its_own_passports_without_asking(api: Api) -> None:
    original = api.create("ev-lfp-car-pack.json").headers["location"]
    created = create(api, "voltara", second_life(VOLTARA, predecessor=None), original + "/successors")
    assert successor_links(api.client.get(original)) == ["http://testserver" + created]
    [claim] = claims(api, original, "anonymous")
    assert (claim["status"], claim["claimed_by"], claim["decided_by"]) == ("accepted", VOLTARA, None)
    # ...and can still take the link back.
    successor_id = created.rsplit("/", 1)[1]
    assert (
        api.client.delete(f"{original}/successors/{successor_id}", headers=api.headers("voltara")).status_code
        == 200
    )
    assert successor_links(api.client.get(original)) == []


def test_a_predecessor_added_by_a_later_edit_needs_consent_too(api: Api) -> None:
    original = api.create("ev-nmc-car-pack.json").headers["location"]
    elsewhere = "urn:uuid:9a0e3f55-0000-4000-8000-000000000001"
    created = create(api, "zweitleben", second_life(predecessor=elsewhere))
    etag = api.client.get(created, headers=api.headers("zweitleben")).headers["etag"]
    patched = api.client.patch(
        created,
        content=json.dumps({"predecessor": [elsewhere, ORIGINAL]}),
        headers=api.headers("zweitleben", content_type="application/merge-patch+json", if_match=etag),
    )
    assert patched.status_code == 200, patched.text
    assert successor_links(api.client.get(original)) == []
    [claim] = claims(api, original, "voltara")
    assert (claim["status"], claim["claimed_by"], claim["named"]) == ("proposed", ZWEITLEBEN, ORIGINAL)
    # Dropping the predecessor again withdraws the claim.
    etag = patched.headers["etag"]
    api.client.patch(
        created,
        content=json.dumps({"predecessor": elsewhere}),
        headers=api.headers("zweitleben", content_type="application/merge-patch+json", if_match=etag),
    )
    assert claims(api, original, "voltara") == []


def test_a_new_successor_link_changes_the_originals_etag(api: Api) -> None:
    # Regression: the cached anonymous representation kept its old Link header under the same ETag
    # after another passport named this one as predecessor.
    original = api.create("ev-nmc-car-pack.json").headers["location"]
    before = api.client.get(original)
    assert before.status_code == 200 and successor_links(before) == []
    assert api.client.get(original, headers={"If-None-Match": before.headers["etag"]}).status_code == 304
    created = create(api, "voltara", second_life(VOLTARA))
    after = api.client.get(original)
    assert successor_links(after) == ["http://testserver" + created]
    assert after.headers["etag"] != before.headers["etag"]
    again = api.client.get(original, headers={"If-None-Match": before.headers["etag"]})
    assert again.status_code == 200 and successor_links(again) == ["http://testserver" + created]
    # The owner's views and the version URLs move with it.
    owner_before = api.client.get(original + "/versions/1", headers=api.headers("voltara"))
    api.client.delete(f"{original}/successors/{created.rsplit('/', 1)[1]}", headers=api.headers("voltara"))
    owner_after = api.client.get(original + "/versions/1", headers=api.headers("voltara"))
    assert owner_after.headers["etag"] != owner_before.headers["etag"]
    assert successor_links(owner_after) == [] and successor_links(owner_before) != []
    assert api.client.get(original).headers["etag"] not in (before.headers["etag"], after.headers["etag"])
