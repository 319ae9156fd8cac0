"""Every example passport through both doors: created through `/passports` it reads back as the same
graph through `/dpps`, and created through `/dpps` it reads back as the same graph through `/passports`
(and `/dpps`). Graphs are compared in RDFC-1.0 canonical form; the DPP side is read with the test's own
copy of the mapping table (`dpp_support.py`)."""

from __future__ import annotations

import pytest
from dpp_support import SECTIONS, dpp_of, dpp_path, jsonld_bytes, passport_location, passport_of

from passports_support import (
    EXAMPLES,
    OPERATORS,
    READERS,
    Api,
    canonical,
    example_json,
    expected_graph,
    graph,
    rooted_graph,
)

NAMES = sorted(p.name for p in EXAMPLES.glob("*.json"))
NTRIPLES = "application/n-triples"


def owner_of(name: str) -> str:
    operator = example_json(name)["operatorInformation"]["identifier"]
    return next(caller for caller, organisation in OPERATORS.items() if organisation == operator)


def dpp_graph(document: dict[str, object], passport: str) -> set[str]:
    """The canonical graph a DPP document denotes, its root named `passport`."""
    triples = graph(jsonld_bytes(passport_of(document)), "application/ld+json")
    return rooted_graph(triples, passport)


def test_every_example_created_through_passports_reads_back_the_same_through_dpps(api: Api) -> None:
    for name in NAMES:
        owner = owner_of(name)
        location = api.create(name, owner).headers["location"]
        passport = "http://testserver" + location
        read = api.client.get(dpp_path(location.rsplit("/", 1)[1]), headers=api.headers(owner))
        assert read.status_code == 200, read.text
        document = read.json()
        assert document["dppStatus"] == "Active"
        assert document["digitalProductPassportId"] == example_json(name)["batteryPassportIdentifier"]
        assert document["contentSpecificationIds"] == [s for s in SECTIONS if s in document]
        assert dpp_graph(document, passport) == expected_graph(name, passport), name
        # The same passport by its DPP identifier and by its battery identifier.
        by_id = api.client.get(dpp_path(document["digitalProductPassportId"]), headers=api.headers(owner))
        product = "/dppsByProductId/" + dpp_path(document["uniqueProductIdentifier"])[len("/dpps/") :]
        by_product = api.client.get(product, headers=api.headers(owner))
        assert by_id.json() == document == by_product.json()


def test_every_example_created_through_dpps_reads_back_the_same_through_passports(api: Api) -> None:
    for name in NAMES:
        owner = owner_of(name)
        sent = dpp_of(example_json(name))
        created = api.client.post("/dpps", json=sent, headers=api.headers(owner))
        assert created.status_code == 201, created.text
        dpp_id = created.json()["digitalProductPassportId"]
        assert dpp_id == sent["digitalProductPassportId"]
        assert created.headers["location"] == dpp_path(dpp_id)
        location = passport_location(api, dpp_id)
        passport = "http://testserver" + location
        stored = api.client.get(location, headers=api.headers(owner, accept=NTRIPLES))
        assert stored.status_code == 200
        assert canonical(graph(stored.content, NTRIPLES), passport) == expected_graph(name, passport), name
        again = api.client.get(created.headers["location"], headers=api.headers(owner))
        assert dpp_graph(again.json(), passport) == expected_graph(name, passport), name


@pytest.fixture(scope="module")
def ev_passport(shared_api: Api) -> str:
    """The EV passport (it uses every access group), created by its operator: its `/passports/{id}`."""
    location: str = shared_api.create("ev-nmc-car-pack.json", "voltara").headers["location"]
    return location


@pytest.mark.parametrize("caller", [*READERS, "voltara", "zweitleben"])
def test_each_caller_reads_through_dpps_exactly_its_view_through_passports(
    shared_api: Api, ev_passport: str, caller: str
) -> None:
    api, location = shared_api, ev_passport
    passport = "http://testserver" + location
    view = api.client.get(location, headers=api.headers(caller, accept=NTRIPLES))
    document = api.client.get(dpp_path(location.rsplit("/", 1)[1]), headers=api.headers(caller))
    assert document.status_code == 200, document.text
    assert dpp_graph(document.json(), passport) == canonical(graph(view.content, NTRIPLES), passport)
    if caller == "anonymous":
        owner = api.client.get(dpp_path(location.rsplit("/", 1)[1]), headers=api.headers("voltara")).json()
        general = SECTIONS[0]
        assert "batteryStatus" in owner[general] and "batteryStatus" not in document.json()[general]
