"""The store with the project's ontology and every example passport: partition, round trip, roles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat, Triple, parse

from passport_registry import resources
from passport_registry.access import ALL_GROUPS, AccessGroup, AccessPolicy, GroupResolver, Role
from passport_registry.store import PassportStore, partition

from .backends import BACKENDS, own_backend

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "passports"
RDF_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _triples(path: Path) -> list[Triple]:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["@context"] = resources.context_document()["@context"]  # never fetched
    return [q.triple for q in parse(json.dumps(document).encode(), format=RdfFormat.JSON_LD)]


@pytest.fixture(scope="module")
def ontology_resolver() -> GroupResolver:
    return GroupResolver.from_triples(parse(resources.ontology_bytes(), RdfFormat.TURTLE))


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(
    request: pytest.FixtureRequest, ontology_resolver: GroupResolver, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PassportStore]:
    with own_backend(request.param, tmp_path_factory.mktemp("examples")) as backend:
        store = backend.open(ontology_resolver)
        for path in sorted(EXAMPLES.glob("*.json")):
            store.create(NamedNode(f"http://testserver/passports/{path.stem}"), "operator", _triples(path))
        yield store
        store.close()


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_example_round_trips_group_by_group(
    path: Path, loaded: PassportStore, ontology_resolver: GroupResolver
) -> None:
    passport = NamedNode(f"http://testserver/passports/{path.stem}")
    expected = partition(passport, _triples(path), ontology_resolver)
    assert all(expected.triples.values()), "every example has data in every group"
    assert set(loaded.get(passport, ALL_GROUPS).triples) == {
        t for ts in expected.triples.values() for t in ts
    }
    for group in AccessGroup:
        assert set(loaded.get(passport, {group}).triples) == set(expected.triples[group]), group.slug


@pytest.mark.parametrize("role", [None, *Role])
def test_no_role_reads_a_root_property_outside_its_groups(
    role: Role | None, loaded: PassportStore, ontology_resolver: GroupResolver
) -> None:
    groups = AccessPolicy().readable_groups(role)
    for path in sorted(EXAMPLES.glob("*.json")):
        passport = NamedNode(f"http://testserver/passports/{path.stem}")
        for t in loaded.get(passport, groups).triples:
            if t.subject == passport and t.predicate != RDF_type:
                assert ontology_resolver.group_of(t.predicate) in groups, (path.stem, t)


def test_facts_are_read_from_the_examples(loaded: PassportStore) -> None:
    second_life = loaded.record(NamedNode("http://testserver/passports/stationary-second-life-nmc"))
    document = json.loads((EXAMPLES / "stationary-second-life-nmc.json").read_text(encoding="utf-8"))
    assert second_life.facts.battery_id == document["productIdentifier"]
    assert second_life.facts.category == NamedNode(resources.BPRV + "category/stationary")
    assert [p.value for p in second_life.facts.predecessors] == sorted(document["predecessor"])
