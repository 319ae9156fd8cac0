"""The passport store contract, on both backends: create, read by group, replace, delete, history, listing,
reopening."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from passport_registry.access import ALL_GROUPS, AccessGroup, AccessPolicy, GroupResolver, Role
from passport_registry.errors import (
    BadRequest,
    Conflict,
    Gone,
    NotFound,
    PreconditionFailed,
    UnprocessableInput,
)
from passport_registry.store import EmbeddedPassportStore, ListFilters, PassportFacts, PassportStore, Status
from passport_registry.store import layout as L

from .backends import BACKENDS, Backend, own_backend
from .helpers import EV, LMT, ONTOLOGY, Clock, deskolemised, expected_graph, iri, isomorphic, passport_triples

P = iri("p1")
OWNER = "acme"
FACTS = PassportFacts(battery_id="BAT-1", category=NamedNode(EV))


def test_create_then_get_every_group(store: PassportStore) -> None:
    record = store.create(P, OWNER, passport_triples(), FACTS)
    assert (record.version, record.status, record.owner) == (1, Status.LIVE, OWNER)
    assert record.facts == FACTS
    snapshot = store.get(P, ALL_GROUPS)
    assert snapshot.version == 1
    assert isomorphic(deskolemised(snapshot.triples, P), expected_graph([g.slug for g in AccessGroup]))


@pytest.fixture(scope="module", params=BACKENDS)
def one_passport(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PassportStore]:
    """One store holding the example passport, shared by the read-only role matrix."""
    resolver = GroupResolver.from_triples(parse(ONTOLOGY.encode(), RdfFormat.TURTLE))
    with own_backend(request.param, tmp_path_factory.mktemp("roles")) as backend:
        store = backend.open(resolver)
        store.create(P, OWNER, passport_triples(), FACTS)
        yield store
        store.close()


@pytest.mark.parametrize("role", [None, *Role])
@pytest.mark.parametrize("authorities_read_item_data", [False, True])
def test_a_role_sees_exactly_its_groups(
    one_passport: PassportStore, role: Role | None, authorities_read_item_data: bool
) -> None:
    groups = AccessPolicy(authorities_read_item_data).readable_groups(role)
    snapshot = one_passport.get(P, groups)
    assert isomorphic(deskolemised(snapshot.triples, P), expected_graph([g.slug for g in groups]))


def test_get_never_returns_metadata_index_or_guards(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(), FACTS)
    store.replace(P, passport_triples(soh=90), 1, facts=FACTS)
    for version in (1, 2):
        triples = store.get(P, ALL_GROUPS, version=version).triples
        assert not [t for t in triples if t.predicate.value.startswith(L.BPRM)]
        assert not [t for t in triples if OWNER in str(t.object)]


def test_create_twice_is_a_conflict_and_changes_nothing(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(), FACTS)
    with pytest.raises(Conflict):
        store.create(P, "someone-else", passport_triples(soh=1), PassportFacts(battery_id="OTHER"))
    assert store.record(P).owner == OWNER
    assert isomorphic(
        deskolemised(store.get(P, ALL_GROUPS).triples, P), expected_graph([g.slug for g in AccessGroup])
    )
    # the battery of the refused create stays free
    store.create(iri("p2"), OWNER, passport_triples(battery="OTHER"), PassportFacts(battery_id="OTHER"))


def test_one_live_passport_per_battery(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(), FACTS)
    with pytest.raises(Conflict, match="BAT-1"):
        store.create(iri("p2"), OWNER, passport_triples(), FACTS)
    with pytest.raises(NotFound):
        store.record(iri("p2"))
    store.delete(P, by=OWNER, status=Status.CEASED)
    store.create(iri("p2"), OWNER, passport_triples(), FACTS)  # the recycled battery's id is free again


def test_replace_moves_the_battery_id(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(), FACTS)
    store.create(iri("p2"), OWNER, passport_triples(battery="BAT-2"), PassportFacts(battery_id="BAT-2"))
    with pytest.raises(Conflict):
        store.replace(P, passport_triples(battery="BAT-2"), 1, facts=PassportFacts(battery_id="BAT-2"))
    assert store.record(P).version == 1
    store.replace(P, passport_triples(battery="BAT-3"), 1, facts=PassportFacts(battery_id="BAT-3"))
    store.create(iri("p3"), OWNER, passport_triples(), FACTS)  # BAT-1 was released


def test_replace_makes_a_new_version_and_keeps_the_old(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(soh=97), FACTS)
    record = store.replace(P, passport_triples(soh=90), 1, by="technician", facts=FACTS)
    assert record.version == 2 and record.updated > record.created
    everything = [g.slug for g in AccessGroup]
    assert isomorphic(deskolemised(store.get(P, ALL_GROUPS).triples, P), expected_graph(everything, soh=90))
    old = store.get(P, ALL_GROUPS, version=1)
    assert old.version == 1
    assert isomorphic(deskolemised(old.triples, P), expected_graph(everything, soh=97))
    assert [(v.number, v.issued_by) for v in store.versions(P)] == [(1, OWNER), (2, "technician")]


def test_history_is_filtered_by_group_too(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(soh=97), FACTS)
    store.replace(P, passport_triples(soh=90), 1, facts=FACTS)
    old = store.get(P, {AccessGroup.PUBLIC}, version=1)
    assert isomorphic(deskolemised(old.triples, P), expected_graph(["public"]))


def test_live_graphs_hold_one_copy_after_many_versions(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(soh=100), FACTS)
    for v in range(1, 6):
        store.replace(P, passport_triples(soh=100 - v), v, facts=FACTS)
    assert len(store.get(P, ALL_GROUPS).triples) == len(passport_triples())
    assert [len(store.get(P, ALL_GROUPS, version=v).triples) for v in range(1, 7)] == [
        len(passport_triples())
    ] * 6
    with pytest.raises(NotFound):
        store.get(P, ALL_GROUPS, version=7)
    with pytest.raises(NotFound):
        store.get(P, ALL_GROUPS, version=0)


def test_as_of_a_date(store: PassportStore, clock: Clock) -> None:
    store.create(P, OWNER, passport_triples(soh=97), FACTS)
    between = clock.now
    store.replace(P, passport_triples(soh=90), 1, facts=FACTS)
    after = clock.now
    everything = [g.slug for g in AccessGroup]
    assert store.get(P, ALL_GROUPS, at=between).version == 1
    assert isomorphic(
        deskolemised(store.get(P, ALL_GROUPS, at=between).triples, P), expected_graph(everything)
    )
    assert store.get(P, ALL_GROUPS, at=after).version == 2
    with pytest.raises(NotFound):
        store.get(P, ALL_GROUPS, at=store.versions(P)[0].issued.replace(year=2000))


def test_stale_version_is_refused(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(), FACTS)
    store.replace(P, passport_triples(soh=90), 1, facts=FACTS)
    for stale in (1, 3):
        with pytest.raises(PreconditionFailed) as error:
            store.replace(P, passport_triples(soh=10), stale, facts=FACTS)
        assert error.value.extensions["current_version"] == 2
    with pytest.raises(PreconditionFailed):
        store.delete(P, by=OWNER, expected_version=1)
    assert store.record(P).version == 2


def test_unknown_passport(store: PassportStore) -> None:
    with pytest.raises(NotFound):
        store.get(P, ALL_GROUPS)
    with pytest.raises(NotFound):
        store.replace(P, passport_triples(), 1)
    with pytest.raises(NotFound):
        store.delete(P, by=OWNER)
    with pytest.raises(NotFound):
        store.versions(P)


def test_delete_leaves_a_tombstone(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(), FACTS)
    ended = store.delete(P, by="admin-1")
    assert ended.status is Status.DELETED and ended.ended_by == "admin-1" and ended.ended_at is not None
    with pytest.raises(Gone) as error:
        store.get(P, {AccessGroup.PUBLIC})
    assert error.value.extensions["ended_by"] == "admin-1"
    assert error.value.extensions["ended_at"] == ended.ended_at.isoformat()
    for call in (
        lambda: store.get(P, ALL_GROUPS, version=1),
        lambda: store.versions(P),
        lambda: store.replace(P, passport_triples(), 1),
        lambda: store.delete(P, by=OWNER),
    ):
        with pytest.raises(Gone):
            call()
    with pytest.raises(Conflict):  # an ended passport's IRI is never reused
        store.create(P, OWNER, passport_triples(), FACTS)
    assert store.record(P).status is Status.DELETED


def test_invalid_triples_change_nothing(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(), FACTS)
    bad = [*passport_triples(), *passport_triples()[:1]]  # two roots
    with pytest.raises(UnprocessableInput):
        store.replace(P, bad, 1)
    assert store.record(P).version == 1


def test_predecessors_are_recorded(store: PassportStore) -> None:
    store.create(P, OWNER, passport_triples(), FACTS)
    store.delete(P, by=OWNER, status=Status.CEASED)
    facts = PassportFacts(battery_id="BAT-1", category=NamedNode(EV), predecessors=(P,))
    record = store.create(iri("p2"), "repurposer", passport_triples(), facts)
    assert record.facts.predecessors == (P,)


def _create_many(store: PassportStore) -> None:
    for n in range(7):
        category = EV if n % 2 else LMT
        store.create(
            iri(f"a{n}"),
            OWNER,
            passport_triples(battery=f"B{n}", category=category),
            PassportFacts(battery_id=f"B{n}", category=NamedNode(category)),
        )
    store.create(iri("other"), "someone-else", passport_triples(battery="X"), PassportFacts(battery_id="X"))


def test_list_owned_pages_through_everything(store: PassportStore) -> None:
    _create_many(store)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = store.list_owned(OWNER, cursor=cursor, limit=3)
        pages += 1
        seen += [r.iri.value for r in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert seen == sorted(iri(f"a{n}").value for n in range(7))
    assert store.list_owned(OWNER, limit=7).next_cursor is None


def test_list_owned_filters(store: PassportStore, clock: Clock) -> None:
    _create_many(store)
    since = clock.now
    store.replace(iri("a0"), passport_triples(battery="B0", soh=3), 1, facts=PassportFacts(battery_id="B0"))
    store.delete(iri("a1"), by=OWNER)

    def iris(filters: ListFilters) -> list[str]:
        return [r.iri.value.rsplit("/", 1)[1] for r in store.list_owned(OWNER, filters=filters).items]

    assert iris(ListFilters(battery_id="B3")) == ["a3"]
    assert iris(ListFilters(category=NamedNode(EV))) == ["a1", "a3", "a5"]
    assert iris(ListFilters(category=NamedNode(EV), status=Status.LIVE)) == ["a3", "a5"]
    assert iris(ListFilters(status=Status.DELETED)) == ["a1"]
    assert iris(ListFilters(updated_since=since)) == ["a0"]
    assert iris(ListFilters(battery_id='B3" } ; DROP ALL ; #')) == []
    assert store.list_owned("nobody").items == []


def test_list_owned_refuses_bad_cursor_and_limit(store: PassportStore) -> None:
    with pytest.raises(BadRequest):
        store.list_owned(OWNER, cursor="%%%")
    with pytest.raises(BadRequest):
        store.list_owned(OWNER, limit=0)


def test_reopen(backend: Backend, resolver: GroupResolver, clock: Clock) -> None:
    first = backend.open(resolver, clock)
    first.create(P, OWNER, passport_triples(soh=97), FACTS)
    first.replace(P, passport_triples(soh=90), 1, facts=FACTS)
    first.close()
    with pytest.raises(RuntimeError):
        first.record(P)
    again = backend.open(resolver, clock)
    try:
        everything = [g.slug for g in AccessGroup]
        assert again.record(P).version == 2
        assert isomorphic(
            deskolemised(again.get(P, ALL_GROUPS, version=1).triples, P), expected_graph(everything)
        )
        assert isomorphic(
            deskolemised(again.get(P, ALL_GROUPS).triples, P), expected_graph(everything, soh=90)
        )
    finally:
        again.close()


def test_in_memory_store_works_alike(resolver: GroupResolver) -> None:
    store = EmbeddedPassportStore(resolver)
    store.create(P, OWNER, passport_triples(), FACTS)
    assert store.get(P, {AccessGroup.PUBLIC}).version == 1
    store.close()


def test_facts_default_to_the_passport_body(store: PassportStore) -> None:
    record = store.create(P, OWNER, passport_triples(battery="BAT-7", category=LMT))
    assert record.facts == PassportFacts(battery_id="BAT-7", category=NamedNode(LMT))
    with pytest.raises(Conflict):
        store.create(iri("p2"), OWNER, passport_triples(battery="BAT-7"))
    record = store.replace(P, passport_triples(battery="BAT-8", category=EV), 1)
    assert record.facts == PassportFacts(battery_id="BAT-8", category=NamedNode(EV))
    store.create(iri("p2"), OWNER, passport_triples(battery="BAT-7"))  # freed by the replace


HOSTILE = 'x" } } ; DROP ALL ; INSERT DATA { <http://evil> <http://evil> "1" } #\n\\ é 🔋'


def test_caller_strings_never_become_sparql(store: PassportStore) -> None:
    """Owners, authors and literals with quotes, braces, newlines and SPARQL keywords round-trip as data."""
    hostile_id = [
        Triple(t.subject, t.predicate, Literal(HOSTILE))
        if t.predicate.value.endswith("#productIdentifier")
        else t
        for t in passport_triples()
    ]
    store.create(P, HOSTILE, hostile_id)
    assert store.record(P).facts.battery_id == HOSTILE
    assert Literal(HOSTILE) in {t.object for t in store.get(P, {AccessGroup.PUBLIC}).triples}
    store.replace(P, passport_triples(soh=5), 1, by=HOSTILE)
    store.create(iri("p2"), OWNER, passport_triples(battery="B2"))
    assert store.record(P).owner == HOSTILE
    assert [v.issued_by for v in store.versions(P)] == [HOSTILE, HOSTILE]
    assert [r.iri for r in store.list_owned(HOSTILE).items] == [P]
    assert store.list_owned(OWNER).items[0].iri == iri("p2")
    store.delete(iri("p2"), by=HOSTILE)
    assert store.record(iri("p2")).ended_by == HOSTILE
    assert not [t for t in store.get(P, ALL_GROUPS).triples if "evil" in str(t)]
