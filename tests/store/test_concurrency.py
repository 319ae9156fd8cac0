"""Optimistic concurrency: of writers racing from the same version, exactly one wins."""

from __future__ import annotations

import threading

import pytest

from passport_registry.access import ALL_GROUPS
from passport_registry.errors import Conflict, NotFound, PreconditionFailed
from passport_registry.store import PassportFacts, PassportStore

from .helpers import deskolemised, expected_graph, iri, isomorphic, passport_triples

P = iri("p1")
FACTS = PassportFacts(battery_id="BAT-1")


def _race(store: PassportStore, writers: int) -> tuple[list[int], list[int]]:
    barrier = threading.Barrier(writers)
    won: list[int] = []
    lost: list[int] = []

    def write(n: int) -> None:
        barrier.wait()
        try:
            store.replace(P, passport_triples(soh=n), 1, by=f"writer-{n}", facts=FACTS)
            won.append(n)
        except PreconditionFailed:
            lost.append(n)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won, lost


def test_two_threads_replacing_one_wins(store: PassportStore) -> None:
    store.create(P, "acme", passport_triples(soh=97), FACTS)
    won, lost = _race(store, 2)
    assert len(won) == 1 and len(lost) == 1
    (winner,) = won
    assert store.record(P).version == 2
    assert [v.issued_by for v in store.versions(P)] == ["acme", f"writer-{winner}"]
    current = deskolemised(store.get(P, ALL_GROUPS).triples, P)
    assert isomorphic(
        current,
        expected_graph(
            ["public", "legitimate-interest-and-commission", "authorities", "legitimate-interest"], soh=winner
        ),
    )


def test_eight_threads_replacing_one_wins(store: PassportStore) -> None:
    store.create(P, "acme", passport_triples(soh=97), FACTS)
    won, lost = _race(store, 8)
    assert len(won) == 1 and len(lost) == 7
    assert store.record(P).version == 2
    assert len(store.get(P, ALL_GROUPS).triples) == len(passport_triples())


def _race_creates(store: PassportStore, passports: list[str]) -> tuple[list[int], list[int]]:
    """Threads creating `passports[n]` for battery BAT-1 at once; returns who won and who got Conflict."""
    barrier = threading.Barrier(len(passports))
    won: list[int] = []
    lost: list[int] = []

    def write(n: int) -> None:
        barrier.wait()
        try:
            store.create(iri(passports[n]), f"org-{n}", passport_triples(soh=n), FACTS)
            won.append(n)
        except Conflict:
            lost.append(n)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(len(passports))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won, lost


def test_eight_threads_creating_one_iri_one_wins(store: PassportStore) -> None:
    won, lost = _race_creates(store, ["p1"] * 8)
    assert len(won) == 1 and len(lost) == 7
    (winner,) = won
    assert store.record(P).owner == f"org-{winner}"
    assert [v.number for v in store.versions(P)] == [1]
    assert isomorphic(
        deskolemised(store.get(P, ALL_GROUPS).triples, P),
        expected_graph(
            ["public", "legitimate-interest-and-commission", "authorities", "legitimate-interest"], soh=winner
        ),
    )


def test_eight_threads_creating_for_one_battery_one_wins(store: PassportStore) -> None:
    names = [f"p{n}" for n in range(8)]
    won, lost = _race_creates(store, names)
    assert len(won) == 1 and len(lost) == 7
    (winner,) = won
    assert store.record(iri(names[winner])).facts.battery_id == "BAT-1"
    for n in lost:  # nothing of a refused create was written
        with pytest.raises(NotFound):
            store.record(iri(names[n]))
