"""Access-group views: anonymous callers and each role see exactly their groups, in every representation.

pyld is the oracle for the JSON forms: expanding what we send gives back exactly the graph of the view.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest

from passport_graphs import pyld_nquads, same_graph
from passport_registry import resources
from passport_registry.access import AccessGroup, AccessPolicy, GroupResolver
from passport_registry.roles import Role
from passports_support import READERS, Api, canonical, graph, open_api

OWNER = "voltara"
RDF_VIEWS = [
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
    "application/rdf+xml",
]
EXPANDED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"'
FLATTENED = 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"'
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def resolver() -> GroupResolver:
    return GroupResolver.from_triples(ox.parse(resources.ontology_bytes(), format=ox.RdfFormat.TURTLE))


@pytest.fixture(scope="module")
def passport(shared_api: Api) -> str:
    """The EV passport (it uses every access group), created by its operator."""
    return shared_api.create("ev-nmc-car-pack.json", OWNER).headers["location"]


def groups_of(api: Api, caller: str) -> frozenset[AccessGroup]:
    policy = AccessPolicy()
    if caller == "anonymous" or not api.users[caller].roles:
        return policy.readable_groups(None)
    return frozenset().union(*(policy.readable_groups(r) for r in api.users[caller].roles))


def keys_for(properties: set[str]) -> set[str]:
    """The JSON keys our context gives `properties` (and their full IRIs)."""
    context = resources.context_document()["@context"]
    keys = set(properties)
    for name, definition in context.items():
        target = definition.get("@id") if isinstance(definition, dict) else definition
        if isinstance(target, str) and target.startswith("bpr:") and resources.BPR + target[4:] in properties:
            keys.add(name)
    return keys


def json_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value).union(*(json_keys(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(json_keys(v) for v in value)) if value else set()
    return set()


def root_predicates(triples: list[ox.Triple], iri: str) -> set[str]:
    return {t.predicate.value for t in triples if t.subject.value == iri}


def test_the_passport_uses_every_group(shared_api: Api, passport: str, resolver: GroupResolver) -> None:
    body = shared_api.client.get(passport, headers=shared_api.headers(OWNER, accept="application/n-triples"))
    used = {
        resolver.group_of(ox.NamedNode(p))
        for p in root_predicates(graph(body.content, "application/n-triples"), "http://testserver" + passport)
    }
    assert set(AccessGroup) <= used


@pytest.mark.parametrize("caller", [*READERS, "ebike"])
def test_each_caller_sees_exactly_its_groups_in_every_representation(
    shared_api: Api, passport: str, resolver: GroupResolver, caller: str
) -> None:
    iri = "http://testserver" + passport
    allowed = groups_of(shared_api, caller)
    hidden = set().union(*(resolver.properties(g) for g in AccessGroup if g not in allowed))
    owner_view = shared_api.client.get(
        passport, headers=shared_api.headers(OWNER, accept="application/n-triples")
    )
    owner_triples = graph(owner_view.content, "application/n-triples")
    wanted = {
        p
        for p in root_predicates(owner_triples, iri)
        if p == RDF_TYPE or resolver.group_of(ox.NamedNode(p)) in allowed
    }

    reference = None
    for media_type in [*RDF_VIEWS, EXPANDED, FLATTENED]:
        response = shared_api.client.get(passport, headers=shared_api.headers(caller, accept=media_type))
        assert response.status_code == 200, (media_type, response.text)
        triples = graph(response.content, media_type.split(";")[0])
        predicates = {t.predicate.value for t in triples}
        assert not predicates & hidden, media_type
        assert root_predicates(triples, iri) == wanted, media_type
        found = canonical(triples, iri)
        reference = reference or found
        assert found == reference, media_type

    hidden_keys = keys_for(hidden)
    for media_type in ("application/ld+json", "application/json"):
        response = shared_api.client.get(passport, headers=shared_api.headers(caller, accept=media_type))
        document = response.json()
        assert not json_keys(document) & hidden_keys, media_type
        assert not any(p in response.text for p in hidden), media_type
        if media_type == "application/json":
            assert "@context" not in document
            assert 'rel="http://www.w3.org/ns/json-ld#context"' in response.headers["link"]
        # The same context by its stable URL (test_passports_jsonld dereferences the one we name).
        document["@context"] = resources.CONTEXT_URL
        view = shared_api.client.get(
            passport, headers=shared_api.headers(caller, accept="application/n-triples")
        )
        assert same_graph(pyld_nquads(document), view.text), media_type

    page = shared_api.client.get(passport, headers=shared_api.headers(caller, accept="text/html"))
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    from passport_registry.api.html import GROUP_HEADINGS

    for group in AccessGroup:
        assert (GROUP_HEADINGS[group.value] in page.text) is (group in allowed), group


def test_authorities_read_item_data_when_the_policy_says_so(tmp_path: Any, resolver: GroupResolver) -> None:
    item_data = resolver.properties(AccessGroup.LEGITIMATE_INTEREST)
    with open_api(tmp_path / "data", authorities_read_item_data=True) as api:
        location = api.create("ev-nmc-car-pack.json").headers["location"]
        for role in (Role.NOTIFIED_BODY, Role.MARKET_SURVEILLANCE, Role.COMMISSION):
            body = api.client.get(location, headers=api.headers(role.value, accept="application/n-triples"))
            predicates = {t.predicate.value for t in graph(body.content, "application/n-triples")}
            assert predicates & item_data, role


def test_the_owner_sees_every_group_and_others_less(shared_api: Api, passport: str) -> None:
    sizes = {
        caller: len(
            shared_api.client.get(
                passport, headers=shared_api.headers(caller, accept="application/n-triples")
            ).text.splitlines()
        )
        for caller in ("anonymous", "legitimate_interest", "notified_body", OWNER)
    }
    assert sizes["anonymous"] < sizes["legitimate_interest"] < sizes[OWNER]
    assert sizes["anonymous"] < sizes["notified_body"] < sizes[OWNER]
