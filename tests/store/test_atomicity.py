"""Every write is one atomic store operation: a write that fails midway leaves the store untouched."""

from __future__ import annotations

import pytest
from pyoxigraph import NamedNode, Quad

from passport_registry.access import GroupResolver
from passport_registry.errors import Conflict, PreconditionFailed
from passport_registry.store import PassportFacts, writes
from passport_registry.store.partition import partition

from .backends import Backend
from .helpers import EV, Clock, iri, passport_triples

P = iri("p1")
FACTS = PassportFacts(battery_id="BAT-1", category=NamedNode(EV))


def _work_only(update: str) -> str:
    """The update without its guard operations: what the write does before its precondition is checked."""
    ops = update.split(" ;\n")
    kept = []
    skip_next_insert = False
    for op in ops:
        if op.startswith("CREATE GRAPH"):
            skip_next_insert = True
            continue
        if op.startswith("DROP GRAPH"):
            continue
        if skip_next_insert:
            skip_next_insert = False
            continue
        kept.append(op)
    return " ;\n".join(kept)


@pytest.fixture
def two_versions(resolver: GroupResolver, backend: Backend, clock: Clock) -> set[Quad]:
    store = backend.open(resolver, clock)
    store.create(P, "acme", passport_triples(soh=97), FACTS)
    store.replace(P, passport_triples(soh=90), 1, facts=FACTS)
    store.create(iri("p2"), "acme", passport_triples(battery="BAT-2"), PassportFacts(battery_id="BAT-2"))
    store.close()
    return backend.quads()


def test_the_guards_run_last_so_a_failed_write_has_done_its_work(
    two_versions: set[Quad], resolver: GroupResolver, backend: Backend, clock: Clock
) -> None:
    """The stale update, minus its guards, changes the store; with them it fails and changes nothing."""
    prepared = partition(P, passport_triples(soh=10), resolver)
    old_nodes = partition(P, passport_triples(soh=90), resolver).nodes  # version 2's node index
    update = writes.replace_update(prepared, 1, old_nodes, "late-writer", FACTS, FACTS, clock())
    assert update.rsplit(" ;\n", 2)[-2].startswith("CREATE GRAPH")  # the last operations are the guards

    backend.raw_update(_work_only(update))
    assert backend.quads() != two_versions  # the work alone would have written


def test_stale_replace_fails_midway_and_changes_nothing(
    two_versions: set[Quad], resolver: GroupResolver, backend: Backend, clock: Clock
) -> None:
    store = backend.open(resolver, clock)
    with pytest.raises(PreconditionFailed):
        store.replace(P, passport_triples(soh=10), 1, by="late-writer", facts=FACTS)
    store.close()
    assert backend.quads() == two_versions


def test_battery_conflict_fails_midway_and_changes_nothing(
    two_versions: set[Quad], resolver: GroupResolver, backend: Backend, clock: Clock
) -> None:
    store = backend.open(resolver, clock)
    with pytest.raises(Conflict):
        store.replace(P, passport_triples(battery="BAT-2"), 2, facts=PassportFacts(battery_id="BAT-2"))
    with pytest.raises(Conflict):
        store.create(iri("p3"), "acme", passport_triples(battery="BAT-2"), PassportFacts(battery_id="BAT-2"))
    store.close()
    assert backend.quads() == two_versions


def test_stale_delete_changes_nothing(
    two_versions: set[Quad], resolver: GroupResolver, backend: Backend, clock: Clock
) -> None:
    store = backend.open(resolver, clock)
    with pytest.raises(PreconditionFailed):
        store.delete(P, by="acme", expected_version=1)
    store.close()
    assert backend.quads() == two_versions
