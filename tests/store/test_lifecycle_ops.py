"""The store's lifecycle operations: ownership transfer, a successor created with its original's update in
one atomic write, successor look-up, and the battery-status fact."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from passport_registry.access import ALL_GROUPS
from passport_registry.errors import Conflict, NotFound, PreconditionFailed
from passport_registry.store import EmbeddedPassportStore, ListFilters, NewPassport, PassportFacts

from .helpers import iri, passport_triples

ORIGINAL, SUCCESSOR = iri("orig"), iri("next")
WASTE = NamedNode("https://w3id.org/passport-registry/battery/vocab/status/waste")


def test_replace_can_move_ownership(store: EmbeddedPassportStore) -> None:
    store.create(ORIGINAL, "maker", passport_triples())
    record = store.replace(ORIGINAL, passport_triples(soh=80), 1, by="maker", owner="pro")
    assert (record.owner, record.version) == ("pro", 2)
    assert [v.issued_by for v in store.versions(ORIGINAL)] == ["maker", "maker"]
    assert [r.iri for r in store.list_owned("pro").items] == [ORIGINAL]
    assert store.list_owned("maker").items == []


def test_create_successor_writes_both_or_neither(store: EmbeddedPassportStore) -> None:
    store.create(ORIGINAL, "maker", passport_triples())
    store.create(iri("other"), "maker", passport_triples(battery="BAT-TAKEN"))
    clash = NewPassport(SUCCESSOR, "second-life", passport_triples(battery="BAT-TAKEN"),
                        PassportFacts(battery_id="BAT-TAKEN", predecessors=(ORIGINAL,)))  # fmt: skip
    with pytest.raises(Conflict):
        store.create_successor(clash, ORIGINAL, passport_triples(soh=50), 1, by="second-life")
    assert store.record(ORIGINAL).version == 1
    with pytest.raises(NotFound):
        store.record(SUCCESSOR)
    with pytest.raises(PreconditionFailed):
        store.create_successor(
            NewPassport(SUCCESSOR, "second-life", passport_triples(battery="BAT-2")), ORIGINAL,
            passport_triples(soh=50), 7, by="second-life",
        )  # fmt: skip
    with pytest.raises(NotFound):
        store.record(SUCCESSOR)

    good = NewPassport(SUCCESSOR, "second-life", passport_triples(battery="BAT-2"),
                       PassportFacts(battery_id="BAT-2", predecessors=(ORIGINAL,)))  # fmt: skip
    record = store.create_successor(good, ORIGINAL, passport_triples(soh=50), 1, by="second-life")
    assert (record.iri, record.owner, record.facts.predecessors) == (SUCCESSOR, "second-life", (ORIGINAL,))
    original = store.record(ORIGINAL)
    assert (original.owner, original.version) == ("maker", 2)
    assert store.versions(ORIGINAL)[-1].issued_by == "second-life"
    assert store.successors([ORIGINAL]) == [SUCCESSOR]
    assert store.successors([iri("nobody")]) == []
    assert len(store.get(SUCCESSOR, ALL_GROUPS).triples) == len(passport_triples(battery="BAT-2"))


def test_battery_status_is_a_fact_to_filter_on(store: EmbeddedPassportStore) -> None:
    store.create(
        ORIGINAL, "maker", passport_triples(), PassportFacts(battery_id="BAT-1", battery_status=WASTE)
    )
    store.create(iri("b"), "maker", passport_triples(battery="BAT-B"))
    assert store.record(ORIGINAL).facts.battery_status == WASTE
    found = store.list_owned("maker", filters=ListFilters(battery_status=WASTE)).items
    assert [r.iri for r in found] == [ORIGINAL]
    store.replace(ORIGINAL, passport_triples(), 1, facts=PassportFacts(battery_id="BAT-1"))
    assert store.list_owned("maker", filters=ListFilters(battery_status=WASTE)).items == []
