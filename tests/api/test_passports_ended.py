"""An ended passport (deleted, or ceased when recycled) keeps its history for its owner and the
authorities; everyone else gets 410, and a browser a readable page saying when and why it ended."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from passports_support import Api, example_json

AUTHORITIES = ["notified_body", "market_surveillance", "commission"]
OTHERS = ["anonymous", "no_role", "legitimate_interest", "zweitleben"]


def ended(api: Api, *, recycled: bool) -> tuple[str, list[dict[str, str]]]:
    """A passport with two versions, then ended; its location and version list (read while live)."""
    location = api.create("ev-nmc-car-pack.json").headers["location"]
    document = example_json("ev-nmc-car-pack.json")
    document["batteryMass"] = "490.0"
    replaced = api.client.put(
        location,
        content=json.dumps(document),
        headers=api.headers("voltara", content_type="application/ld+json", if_match="*"),
    )
    assert replaced.status_code == 200, replaced.text
    versions = api.client.get(location + "/versions").json()
    params = {"reason": "recycled"} if recycled else {}
    deleted = api.client.delete(location, params=params, headers=api.headers("voltara", if_match="*"))
    assert deleted.status_code == 204
    return location, versions


@pytest.mark.parametrize("recycled", [False, True], ids=["deleted", "ceased"])
def test_the_owner_and_authorities_read_the_history_of_an_ended_passport(api: Api, recycled: bool) -> None:
    # Regression: after DELETE even the owner got 410 on /versions, /versions/{n} and ?at=.
    location, versions = ended(api, recycled=recycled)
    for caller in ["voltara", *AUTHORITIES]:
        headers = api.headers(caller, accept="application/ld+json")
        listed = api.client.get(location + "/versions", headers=headers)
        assert listed.status_code == 200, (caller, listed.text)
        assert listed.json() == versions
        first = api.client.get(location + "/versions/1", headers=headers)
        second = api.client.get(location + "/versions/2", headers=headers)
        assert first.status_code == second.status_code == 200, caller
        assert first.json()["batteryMass"] == "486.5" and second.json()["batteryMass"] == "490"
        as_of = api.client.get(location, params={"at": versions[0]["issued"]}, headers=headers)
        assert as_of.status_code == 200 and as_of.json()["batteryMass"] == "486.5"
        # The passport itself is gone for everyone: there is no current version.
        assert api.client.get(location, headers=headers).status_code == 410
    owner = api.client.get(
        location + "/versions/2", headers=api.headers("voltara", accept="application/ld+json")
    )
    authority = api.client.get(
        location + "/versions/2", headers=api.headers("market_surveillance", accept="application/ld+json")
    )
    assert set(authority.json()) < set(owner.json())  # each still reads only its access groups
    for caller in OTHERS:
        headers = api.headers(caller, accept="application/ld+json")
        for url, params in (
            (location + "/versions", {}),
            (location + "/versions/1", {}),
            (location, {"at": versions[0]["issued"]}),
        ):
            gone = api.client.get(url, params=params, headers=headers)
            assert gone.status_code == 410, (caller, url)
            assert gone.headers["content-type"].startswith("application/problem+json")
            assert gone.json()["passport_status"] == ("ceased" if recycled else "deleted")


class _Text(HTMLParser):
    """The tags of a page and the text a person reads (not styles or scripts)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        if data.strip() and self.lasttag not in ("style", "script"):
            self.text.append(data.strip())


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(("recycled", "why"), [(False, "withdrawn"), (True, "recycled")])
def test_a_browser_gets_a_readable_page_for_an_ended_passport(api: Api, recycled: bool, why: str) -> None:
    location, _ = ended(api, recycled=recycled)
    record = api.client.get(location).json()  # the problem document says when
    for url in (location, location + "/versions/1"):
        page = api.client.get(url, headers={"Accept": BROWSER})
        assert page.status_code == 410
        assert page.headers["content-type"].startswith("text/html")
        parsed = _Text()
        parsed.feed(page.text)
        text = " ".join(parsed.text)
        assert "h1" in parsed.tags and "{" not in text  # a page for people, not JSON
        assert why in text
        assert record["ended_at"][:10] in text and "DE2847193650" in text
