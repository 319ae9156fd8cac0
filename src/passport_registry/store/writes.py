"""Each passport write as ONE SPARQL UPDATE (or one list of quads for `extend`), built from RDF terms.

Terms are written with pyoxigraph's own N-Triples serialisation (IRIs are validated on construction,
literals escaped), so no caller string is ever pasted into SPARQL. The same text works against the
embedded store and a SPARQL 1.1 server; either applies an update in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad

from passport_registry.access import AccessGroup
from passport_registry.store import layout as L
from passport_registry.store.partition import PartitionedPassport
from passport_registry.store.records import PassportFacts, Status

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_integer = NamedNode(XSD + "integer")
XSD_dateTime = NamedNode(XSD + "dateTime")


def datetime_literal(value: datetime) -> Literal:
    """An `xsd:dateTime` literal; `value` must be timezone-aware."""
    if value.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return Literal(value.isoformat(), datatype=XSD_dateTime)


def integer_literal(value: int) -> Literal:
    return Literal(str(value), datatype=XSD_integer)


def _guard_quad(graph: NamedNode, passport: NamedNode) -> Quad:
    return Quad(graph, L.BPRM_guards, passport, graph)


def _facts_quads(passport: NamedNode, facts: PassportFacts) -> list[Quad]:
    quads = []
    if facts.battery_id is not None:
        quads.append(Quad(passport, L.BPRM_batteryIdentifier, Literal(facts.battery_id), L.META_GRAPH))
    if facts.category is not None:
        quads.append(Quad(passport, L.BPRM_category, facts.category, L.META_GRAPH))
    quads.extend(Quad(passport, L.BPRM_predecessor, p, L.META_GRAPH) for p in facts.predecessors)
    return quads


def _content_quads(passport: PartitionedPassport) -> list[Quad]:
    """The live quads of a passport and its node index."""
    quads = [
        Quad(t.subject, t.predicate, t.object, L.LIVE_GRAPHS[g])
        for g, ts in passport.triples.items()
        for t in ts
    ]
    quads.extend(
        Quad(passport.iri, L.BPRM_node, node, L.INDEX_GRAPHS[g])
        for g, ns in passport.nodes.items()
        for node in ns
    )
    return quads


def _version_quads(passport: NamedNode, version: int, now: datetime, by: str) -> list[Quad]:
    record = L.version_record(passport, version)
    return [
        Quad(record, L.BPRM_versionOf, passport, L.META_GRAPH),
        Quad(record, L.BPRM_versionNumber, integer_literal(version), L.META_GRAPH),
        Quad(record, L.BPRM_issued, datetime_literal(now), L.META_GRAPH),
        Quad(record, L.BPRM_issuedBy, Literal(by), L.META_GRAPH),
    ]


def _creation_data(
    passport: PartitionedPassport, owner: str, facts: PassportFacts, now: datetime
) -> list[Quad]:
    p = passport.iri
    stamp = datetime_literal(now)
    meta = [
        Quad(p, L.BPRM_owner, Literal(owner), L.META_GRAPH),
        Quad(p, L.BPRM_version, integer_literal(1), L.META_GRAPH),
        Quad(p, L.BPRM_created, stamp, L.META_GRAPH),
        Quad(p, L.BPRM_updated, stamp, L.META_GRAPH),
        Quad(p, L.BPRM_status, L.STATUS_IRIS[Status.LIVE], L.META_GRAPH),
    ]
    return _content_quads(passport) + meta + _facts_quads(p, facts) + _version_quads(p, 1, now, owner)


def creation_quads(
    passport: PartitionedPassport, owner: str, facts: PassportFacts, now: datetime
) -> list[Quad]:
    """Every quad a new passport adds, guard triples included: for one transactional `extend`.

    `extend` cannot check the guards, so the caller must have checked them (bulk load does, under the
    writer lock).
    """
    p = passport.iri
    guards = [L.Guard.minted(p), L.Guard.head(p, 1)]
    if facts.battery_id is not None:
        guards.append(L.Guard.battery(facts.battery_id))
    return _creation_data(passport, owner, facts, now) + [_guard_quad(g, p) for g in guards]


def create_update(passport: PartitionedPassport, owner: str, facts: PassportFacts, now: datetime) -> str:
    """The update that creates version 1; it fails (changing nothing) if the IRI was ever used or the
    battery already has a live passport."""
    p = passport.iri
    ops = [_insert_data(_creation_data(passport, owner, facts, now))]
    ops.append(_create_guard(L.Guard.minted(p), p))
    ops.append(_create_guard(L.Guard.head(p, 1), p))
    if facts.battery_id is not None:
        ops.append(_create_guard(L.Guard.battery(facts.battery_id), p))
    return " ;\n".join(ops)


def replace_update(
    passport: PartitionedPassport,
    expected_version: int,
    old_nodes: Mapping[AccessGroup, Sequence[NamedNode]],
    by: str,
    facts: PassportFacts,
    old_battery_id: str | None,
    now: datetime,
) -> str:
    """The update that makes version `expected_version + 1` current and moves the old one to history.

    It fails (changing nothing) unless `expected_version` is the current live version, or if the new
    battery identifier already has another live passport.
    """
    p = passport.iri
    new = expected_version + 1
    ops = _archive_ops(p, expected_version, old_nodes)
    ops.append(
        _delete_meta(
            p, (L.BPRM_version, L.BPRM_updated, L.BPRM_batteryIdentifier, L.BPRM_category, L.BPRM_predecessor)
        )
    )
    meta = [
        Quad(p, L.BPRM_version, integer_literal(new), L.META_GRAPH),
        Quad(p, L.BPRM_updated, datetime_literal(now), L.META_GRAPH),
    ]
    ops.append(
        _insert_data(
            _content_quads(passport) + meta + _facts_quads(p, facts) + _version_quads(p, new, now, by)
        )
    )
    ops.append(_drop_guard(L.Guard.head(p, expected_version)))
    ops.append(_create_guard(L.Guard.head(p, new), p))
    if old_battery_id != facts.battery_id:
        if old_battery_id is not None:
            ops.append(_drop_guard(L.Guard.battery(old_battery_id)))
        if facts.battery_id is not None:
            ops.append(_create_guard(L.Guard.battery(facts.battery_id), p))
    return " ;\n".join(ops)


def end_update(
    passport: NamedNode,
    version: int,
    old_nodes: Mapping[AccessGroup, Sequence[NamedNode]],
    status: Status,
    by: str,
    battery_id: str | None,
    now: datetime,
) -> str:
    """The update that ends a passport (deleted or ceased): its live quads move to the history of
    `version`, the metadata becomes a tombstone, and the battery is freed. Fails (changing nothing)
    unless `version` is the current live version."""
    if status is Status.LIVE:
        raise ValueError("ending a passport needs a terminal status")
    ops = _archive_ops(passport, version, old_nodes)
    ops.append(_delete_meta(passport, (L.BPRM_status,)))
    ops.append(
        _insert_data(
            [
                Quad(passport, L.BPRM_status, L.STATUS_IRIS[status], L.META_GRAPH),
                Quad(passport, L.BPRM_endedAt, datetime_literal(now), L.META_GRAPH),
                Quad(passport, L.BPRM_endedBy, Literal(by), L.META_GRAPH),
            ]
        )
    )
    ops.append(_drop_guard(L.Guard.head(passport, version)))
    if battery_id is not None:
        ops.append(_drop_guard(L.Guard.battery(battery_id)))
    return " ;\n".join(ops)


def _archive_ops(p: NamedNode, version: int, nodes: Mapping[AccessGroup, Sequence[NamedNode]]) -> list[str]:
    """Move the live quads of `p` into the history graphs of `version`, and clear its node index.

    `nodes` is the node index as read before the update; if it is stale, so is `version`, and the
    head guard rolls the update back. Listing the subjects lets Oxigraph do subject look-ups rather
    than scan a whole live graph (measured: 2 ms instead of 50 ms on 2,000 passports).
    """
    ops = []
    for g in AccessGroup:
        subjects = " ".join(str(n) for n in (p, *nodes.get(g, ())))
        live, hist = L.LIVE_GRAPHS[g], L.history_graph(p, version, g)
        ops.append(
            f"DELETE {{ GRAPH {live} {{ ?s ?pr ?o }} }} INSERT {{ GRAPH {hist} {{ ?s ?pr ?o }} }} "
            f"WHERE {{ VALUES ?s {{ {subjects} }} GRAPH {live} {{ ?s ?pr ?o }} }}"
        )
        if nodes.get(g):
            ops.append(f"DELETE WHERE {{ GRAPH {L.INDEX_GRAPHS[g]} {{ {p} {L.BPRM_node} ?s }} }}")
    return ops


def _delete_meta(p: NamedNode, predicates: Sequence[NamedNode]) -> str:
    values = " ".join(str(x) for x in predicates)
    return (
        f"DELETE {{ GRAPH {L.META_GRAPH} {{ {p} ?pr ?o }} }} WHERE {{ VALUES ?pr {{ {values} }} "
        f"GRAPH {L.META_GRAPH} {{ {p} ?pr ?o }} }}"
    )


def _insert_data(quads: Iterable[Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = " ".join(f"GRAPH {g} {{ {' '.join(ts)} }}" for g, ts in by_graph.items())
    return f"INSERT DATA {{ {body} }}"


def _create_guard(graph: NamedNode, passport: NamedNode) -> str:
    return f"CREATE GRAPH {graph} ;\n" + _insert_data([_guard_quad(graph, passport)])


def _drop_guard(graph: NamedNode) -> str:
    return f"DROP GRAPH {graph}"
