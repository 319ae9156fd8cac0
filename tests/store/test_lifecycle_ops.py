"""The store's lifecycle operations: ownership transfer, successor claims with who made them and the
original owner's decisions, link revisions (part of ETags), reading an ended passport's history, and
the battery-status fact."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode

from passport_registry.access import ALL_GROUPS
from passport_registry.errors import Gone, NotFound
from passport_registry.store import (
    LinkDecision,
    ListFilters,
    NewPassport,
    PassportFacts,
    PassportStore,
    Status,
)

from .backends import Backend
from .helpers import Clock, iri, passport_triples

ORIGINAL, SUCCESSOR = iri("orig"), iri("next")
UUID = NamedNode("urn:uuid:3d8f5b21-7c4e-4a90-b6d2-18e4f0a9c357")  # the original's passport identifier
WASTE = NamedNode("https://w3id.org/passport-registry/battery/vocab/status/waste")


def test_replace_can_move_ownership(store: PassportStore) -> None:
    store.create(ORIGINAL, "maker", passport_triples())
    record = store.replace(ORIGINAL, passport_triples(soh=80), 1, by="maker", owner="pro")
    assert (record.owner, record.version) == ("pro", 2)
    assert [v.issued_by for v in store.versions(ORIGINAL)] == ["maker", "maker"]
    assert [r.iri for r in store.list_owned("pro").items] == [ORIGINAL]
    assert store.list_owned("maker").items == []


def test_a_successor_claim_is_recorded_and_changes_only_the_originals_links(
    store: PassportStore,
) -> None:
    store.create(
        ORIGINAL, "maker", passport_triples(), PassportFacts(battery_id="BAT-1", passport_identifier=UUID)
    )
    before = store.record(ORIGINAL)
    record = store.create(
        SUCCESSOR, "second-life", passport_triples(battery="BAT-2"),
        PassportFacts(battery_id="BAT-2", predecessors=(UUID,)),
    )  # fmt: skip
    after = store.record(ORIGINAL)
    assert (after.version, after.updated) == (before.version, before.updated)  # no new version
    assert after.link_revision == before.link_revision + 1
    [claim] = store.successors([ORIGINAL, UUID])
    assert (claim.successor, claim.named, claim.claimed_by) == (SUCCESSOR, UUID, "second-life")
    assert claim.claimed_at == record.created and claim.decision is None
    assert store.successors([iri("nobody")]) == []


def test_decisions_are_recorded_and_replaced(store: PassportStore, backend: Backend) -> None:
    store.create(ORIGINAL, "maker", passport_triples())
    store.create(SUCCESSOR, "second-life", passport_triples(battery="BAT-2"),
                 PassportFacts(battery_id="BAT-2", predecessors=(ORIGINAL,)))  # fmt: skip
    revision = store.record(ORIGINAL).link_revision
    accepted = store.decide_link(ORIGINAL, SUCCESSOR, ORIGINAL, LinkDecision.ACCEPTED, by="maker")
    assert (accepted.decision, accepted.decided_by, accepted.claimed_by) == (
        LinkDecision.ACCEPTED, "maker", "second-life",
    )  # fmt: skip
    rejected = store.decide_link(ORIGINAL, SUCCESSOR, ORIGINAL, LinkDecision.REJECTED, by="maker")
    assert rejected.decision is LinkDecision.REJECTED and rejected.decided_at is not None
    assert rejected.decided_at is not None and accepted.decided_at is not None
    assert rejected.decided_at > accepted.decided_at
    assert store.successors([ORIGINAL]) == [rejected]
    assert store.record(ORIGINAL).link_revision == revision + 2
    assert store.record(ORIGINAL).version == store.record(SUCCESSOR).version == 1
    quads = backend.count(store)
    with pytest.raises(NotFound):
        store.decide_link(ORIGINAL, iri("nobody"), ORIGINAL, LinkDecision.ACCEPTED, by="maker")
    assert backend.count(store) == quads + 1  # only the (harmless) link change token


def test_a_replace_that_drops_a_predecessor_withdraws_its_claim(store: PassportStore) -> None:
    store.create(ORIGINAL, "maker", passport_triples())
    store.create(SUCCESSOR, "second-life", passport_triples(battery="BAT-2"),
                 PassportFacts(battery_id="BAT-2", predecessors=(ORIGINAL,)))  # fmt: skip
    store.decide_link(ORIGINAL, SUCCESSOR, ORIGINAL, LinkDecision.ACCEPTED, by="maker")
    revision = store.record(ORIGINAL).link_revision
    store.replace(
        SUCCESSOR, passport_triples(battery="BAT-2", soh=50), 1, facts=PassportFacts(battery_id="BAT-2")
    )
    assert store.successors([ORIGINAL]) == []
    assert store.record(ORIGINAL).link_revision == revision + 1
    # Naming it again is a new claim: the old decision went with the old claim.
    claimed_again = PassportFacts(battery_id="BAT-2", predecessors=(ORIGINAL,))
    store.replace(SUCCESSOR, passport_triples(battery="BAT-2"), 2, facts=claimed_again, by="second-life")
    [claim] = store.successors([ORIGINAL])
    assert claim.decision is None and claim.claimed_by == "second-life"
    assert store.record(ORIGINAL).link_revision == revision + 2
    unchanged = store.record(ORIGINAL).link_revision
    store.replace(SUCCESSOR, passport_triples(battery="BAT-2", soh=40), 3,
                  facts=PassportFacts(battery_id="BAT-2", predecessors=(ORIGINAL,)))  # fmt: skip
    assert store.record(ORIGINAL).link_revision == unchanged  # same claims: nothing to change


def test_passports_naming_one_that_is_created_or_ends_get_a_link_change(store: PassportStore) -> None:
    # The successor names the original's identifier before the original is stored here.
    store.create(SUCCESSOR, "second-life", passport_triples(battery="BAT-2"),
                 PassportFacts(battery_id="BAT-2", predecessors=(UUID,)))  # fmt: skip
    assert store.record(SUCCESSOR).link_revision == 0
    store.create(
        ORIGINAL, "maker", passport_triples(), PassportFacts(battery_id="BAT-1", passport_identifier=UUID)
    )
    assert store.record(SUCCESSOR).link_revision == 1
    store.delete(ORIGINAL, by="maker")
    assert store.record(SUCCESSOR).link_revision == 2
    store.create(iri("unrelated"), "maker", passport_triples(battery="BAT-3"))
    assert store.record(SUCCESSOR).link_revision == 2


def test_a_bulk_load_records_claims_and_link_changes(store: PassportStore) -> None:
    store.create(
        ORIGINAL, "maker", passport_triples(), PassportFacts(battery_id="BAT-1", passport_identifier=UUID)
    )
    report = store.bulk_load([
        NewPassport(SUCCESSOR, "second-life", passport_triples(battery="BAT-2"),
                    PassportFacts(battery_id="BAT-2", predecessors=(UUID,))),
        NewPassport(iri("other"), "maker", passport_triples(battery="BAT-3")),
    ])  # fmt: skip
    assert report.rejected == []
    [claim] = store.successors([UUID])
    assert (claim.successor, claim.claimed_by) == (SUCCESSOR, "second-life")
    assert store.record(ORIGINAL).link_revision == 1
    assert store.record(iri("other")).link_revision == 0


def test_an_ended_passports_history_is_read_only_when_asked_for(store: PassportStore, clock: Clock) -> None:
    store.create(ORIGINAL, "maker", passport_triples(soh=97))
    store.replace(ORIGINAL, passport_triples(soh=90), 1)
    between = clock.now
    store.delete(ORIGINAL, by="maker", status=Status.CEASED)
    for read in (lambda: store.get(ORIGINAL, ALL_GROUPS, version=1), lambda: store.versions(ORIGINAL)):
        with pytest.raises(Gone):
            read()
    assert [v.number for v in store.versions(ORIGINAL, include_ended=True)] == [1, 2]
    first = store.get(ORIGINAL, ALL_GROUPS, version=1, include_ended=True)
    last = store.get(ORIGINAL, ALL_GROUPS, version=2, include_ended=True)
    assert first.version == 1 and last.version == 2 and first.triples != last.triples
    assert len(last.triples) == len(passport_triples())
    assert store.get(ORIGINAL, ALL_GROUPS, at=between, include_ended=True).version == 2
    with pytest.raises(Gone):  # there is no current version, nor one after the end
        store.get(ORIGINAL, ALL_GROUPS, include_ended=True)
    with pytest.raises(Gone):
        store.get(ORIGINAL, ALL_GROUPS, at=clock.now, include_ended=True)


def test_battery_status_is_a_fact_to_filter_on(store: PassportStore) -> None:
    store.create(
        ORIGINAL, "maker", passport_triples(), PassportFacts(battery_id="BAT-1", battery_status=WASTE)
    )
    store.create(iri("b"), "maker", passport_triples(battery="BAT-B"))
    assert store.record(ORIGINAL).facts.battery_status == WASTE
    found = store.list_owned("maker", filters=ListFilters(battery_status=WASTE)).items
    assert [r.iri for r in found] == [ORIGINAL]
    store.replace(ORIGINAL, passport_triples(), 1, facts=PassportFacts(battery_id="BAT-1"))
    assert store.list_owned("maker", filters=ListFilters(battery_status=WASTE)).items == []
