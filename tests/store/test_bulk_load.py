"""Bulk import: many passports per transaction, each stored entirely or refused."""

from __future__ import annotations

import pickle

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from passport_registry.access import ALL_GROUPS, AccessGroup, GroupResolver
from passport_registry.store import (
    NewPassport,
    PassportFacts,
    PassportStore,
    StagedPassport,
    Status,
    stage,
)

from .backends import Backend
from .helpers import deskolemised, expected_graph, iri, isomorphic, passport_triples

EVERYTHING = [g.slug for g in AccessGroup]


def _new(n: int, battery: str | None = None) -> NewPassport:
    battery = battery or f"B{n}"
    return NewPassport(
        iri(f"b{n}"), "importer", passport_triples(battery=battery), PassportFacts(battery_id=battery)
    )


def test_bulk_load_reads_back_like_create(store: PassportStore) -> None:
    report = store.bulk_load((_new(n) for n in range(25)), chunk_size=10)
    assert [p.value for p in report.loaded] == [iri(f"b{n}").value for n in range(25)]
    assert report.rejected == []
    for n in (0, 13, 24):
        snapshot = store.get(iri(f"b{n}"), ALL_GROUPS)
        assert snapshot.version == 1 and snapshot.record.status is Status.LIVE
        assert isomorphic(
            deskolemised(snapshot.triples, iri(f"b{n}")), expected_graph(EVERYTHING, battery=f"B{n}")
        )
    assert len(store.list_owned("importer", limit=100).items) == 25
    # loaded passports take part in the guards like created ones
    store.replace(iri("b3"), passport_triples(battery="B3", soh=1), 1, facts=PassportFacts(battery_id="B3"))
    assert store.versions(iri("b3"))[-1].number == 2


def test_bulk_load_refuses_bad_ones_and_keeps_the_rest(store: PassportStore) -> None:
    store.create(iri("b1"), "someone", passport_triples(battery="X1"), PassportFacts(battery_id="X1"))
    root = BlankNode()
    unplaceable = NewPassport(
        iri("bad"), "importer", [Triple(root, NamedNode("https://example.com/unknown"), Literal("?"))]
    )
    report = store.bulk_load(
        [
            _new(0),
            _new(1),  # IRI already used
            _new(2, battery="X1"),  # battery held by a live passport
            _new(3, battery="B0"),  # battery taken earlier in this load
            unplaceable,  # cannot be partitioned
            _new(4),
        ],
        chunk_size=100,
    )
    assert [p.value for p in report.loaded] == [iri("b0").value, iri("b4").value]
    assert [p.value for p, _ in report.rejected] == [iri(n).value for n in ("bad", "b1", "b2", "b3")]
    assert store.record(iri("b1")).owner == "someone"
    for n in (2, 3):
        assert [r.iri for r in store.list_owned("importer", limit=10).items if r.iri == iri(f"b{n}")] == []


def test_bulk_load_keeps_literals_that_look_like_statements(store: PassportStore, backend: Backend) -> None:
    """Literals with line breaks and " ." survive the N-Quads path as data, not as statements."""
    tricky = 'line one .\n<http://evil> <http://evil> "x" <http://evil> .\n"quoted" \\ end .'
    triples = [
        Triple(t.subject, t.predicate, Literal(tricky))
        if t.predicate.value.endswith("#productIdentifier")
        else t
        for t in passport_triples()
    ]
    report = store.bulk_load([NewPassport(iri("t1"), "importer", triples)])
    assert report.loaded == [iri("t1")]
    assert store.record(iri("t1")).facts.battery_id == tricky
    public = store.get(iri("t1"), {AccessGroup.PUBLIC}).triples
    assert Literal(tricky) in {t.object for t in public}
    store.close()
    assert not [
        q for q in backend.quads() if NamedNode("http://evil") in (q.subject, q.predicate, q.graph_name)
    ]


def test_staged_passports_cross_a_process_boundary_and_load_like_new_ones(
    store: PassportStore, resolver: GroupResolver
) -> None:
    """What an import's worker process hands back (a pickled `StagedPassport`) stores the same quads
    as the triples it was staged from, and takes part in the same guards."""
    staged = [pickle.loads(pickle.dumps(stage(_new(n), resolver))) for n in range(3)]
    assert all(isinstance(s, StagedPassport) and s.quads == s.content.count(b"\n") for s in staged)
    report = store.bulk_load([*staged, _new(3), _new(4, battery="B1")])
    assert [p.value for p in report.loaded] == [iri(f"b{n}").value for n in range(4)]
    assert [p.value for p, _ in report.rejected] == [iri("b4").value]  # battery B1 is taken
    for n in (1, 3):
        snapshot = store.get(iri(f"b{n}"), ALL_GROUPS)
        assert isomorphic(
            deskolemised(snapshot.triples, iri(f"b{n}")), expected_graph(EVERYTHING, battery=f"B{n}")
        )
        assert store.record(iri(f"b{n}")).facts.battery_id == f"B{n}"
