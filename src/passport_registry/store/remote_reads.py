"""The reads of `RemotePassportStore`: SELECTs over the store's graphs, answered as complete SPARQL JSON
results (`sparql_http`) and decoded into the store's records.

Every term in the query text is written by pyoxigraph (`str()` of a NamedNode or Literal: validated or
escaped), never pasted from a caller's string.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, Triple, Variable

from passport_registry.access import AccessGroup
from passport_registry.errors import NotFound
from passport_registry.store import layout as L
from passport_registry.store import metadata
from passport_registry.store.records import PassportRecord, SuccessorClaim, VersionInfo
from passport_registry.store.sparql_http import SparqlHttp
from passport_registry.vocabulary.terms import BPR_batteryPassportIdentifier, BPR_productIdentifier

XSD = "http://www.w3.org/2001/XMLSchema#"


class RemoteReads:
    """Read queries on one SPARQL server; each method is one query unless it says otherwise."""

    def __init__(self, http: SparqlHttp) -> None:
        self._http = http

    def record(self, passport: NamedNode) -> PassportRecord:
        rows = self._http.rows(f"SELECT ?p ?o WHERE {{ GRAPH {L.META_GRAPH} {{ {passport} ?p ?o }} }}")
        record = metadata.decode_record(passport, _meta_quads(passport, rows))
        if record is None:
            raise NotFound(f"no passport {passport.value}")
        return record

    def current(
        self, passport: NamedNode, groups: Sequence[AccessGroup]
    ) -> tuple[PassportRecord, list[Triple]]:
        """The record and the live triples of `groups`, from one query (one snapshot)."""
        branches = [f"{{ GRAPH {L.META_GRAPH} {{ {passport} ?p ?o }} BIND({L.META_GRAPH} AS ?g) }}"]
        if groups:
            pairs = " ".join(f"({L.INDEX_GRAPHS[g]} {L.LIVE_GRAPHS[g]})" for g in groups)
            branches.append(
                f"{{ VALUES (?i ?g) {{ {pairs} }} {{ BIND({passport} AS ?s) GRAPH ?g {{ ?s ?p ?o }} }} "
                f"UNION {{ GRAPH ?i {{ {passport} {L.BPRM_node} ?s }} GRAPH ?g {{ ?s ?p ?o }} }} }}"
            )
        rows = self._http.rows(f"SELECT ?g ?s ?p ?o WHERE {{ {' UNION '.join(branches)} }}")
        meta = [r for r in rows if r.get("g") == L.META_GRAPH]
        record = metadata.decode_record(passport, _meta_quads(passport, meta))
        if record is None:
            raise NotFound(f"no passport {passport.value}")
        by_graph: dict[str, list[Triple]] = {}
        for r in rows:
            graph = r.get("g")
            if graph != L.META_GRAPH and isinstance(graph, NamedNode):
                by_graph.setdefault(graph.value, []).append(Triple(r["s"], r["p"], r["o"]))
        return record, [t for g in groups for t in by_graph.get(L.LIVE_GRAPHS[g].value, [])]

    def history(self, passport: NamedNode, version: int, groups: Sequence[AccessGroup]) -> list[Triple]:
        if not groups:
            return []
        graphs = " ".join(str(L.history_graph(passport, version, g)) for g in groups)
        rows = self._http.rows(
            f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        by_graph: dict[str, list[Triple]] = {}
        for r in rows:
            by_graph.setdefault(r["g"].value, []).append(Triple(r["s"], r["p"], r["o"]))
        return [t for g in groups for t in by_graph.get(L.history_graph(passport, version, g).value, [])]

    def versions(self, passport: NamedNode) -> list[VersionInfo]:
        rows = self._http.rows(
            f"SELECT ?r ?p ?o WHERE {{ GRAPH {L.META_GRAPH} {{ ?r {L.BPRM_versionOf} {passport} ; ?p ?o }} }}"
        )
        by_record: dict[str, list[Quad]] = {}
        for r in rows:
            by_record.setdefault(r["r"].value, []).append(Quad(r["r"], r["p"], r["o"], L.META_GRAPH))
        return sorted((metadata.decode_version(qs) for qs in by_record.values()), key=lambda v: v.number)

    def issued(self, passport: NamedNode, version: int) -> datetime:
        """When `version` of `passport` was issued, from its version record."""
        record = L.version_record(passport, version)
        rows = self._http.rows(f"SELECT ?p ?o WHERE {{ GRAPH {L.META_GRAPH} {{ {record} ?p ?o }} }}")
        return metadata.decode_version(Quad(record, r["p"], r["o"], L.META_GRAPH) for r in rows).issued

    def version_at(self, passport: NamedNode, at: datetime) -> int:
        if at.tzinfo is None:
            raise ValueError("`at` must be timezone-aware")
        earlier = [v.number for v in self.versions(passport) if v.issued <= at]
        if not earlier:
            raise NotFound(f"{passport.value} did not exist at {at.isoformat()}")
        return max(earlier)

    def nodes(self, passport: NamedNode) -> dict[AccessGroup, list[NamedNode]]:
        by_index = {L.INDEX_GRAPHS[g].value: g for g in AccessGroup}
        graphs = " ".join(str(L.INDEX_GRAPHS[g]) for g in AccessGroup)
        rows = self._http.rows(
            f"SELECT ?i ?n WHERE {{ VALUES ?i {{ {graphs} }} GRAPH ?i {{ {passport} {L.BPRM_node} ?n }} }}"
        )
        nodes: dict[AccessGroup, list[NamedNode]] = {}
        for r in rows:
            if isinstance(r.get("n"), NamedNode):
                nodes.setdefault(by_index[r["i"].value], []).append(r["n"])
        return nodes

    def existing(self, graphs: Sequence[NamedNode]) -> set[str]:
        """Which of the guard `graphs` exist (a guard graph holds one triple while it exists)."""
        if not graphs:
            return set()
        values = " ".join(str(g) for g in graphs)
        rows = self._http.rows(
            f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        return {r["g"].value for r in rows}

    def find(self, passport_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:batteryPassportIdentifier` is `passport_identifier`, if any."""
        values = " ".join(
            str(Literal(passport_identifier, datatype=NamedNode(XSD + t))) for t in ("anyURI", "string")
        )
        rows = self._http.rows(
            f"SELECT ?s WHERE {{ VALUES ?v {{ {values} }} GRAPH {L.LIVE_GRAPHS[AccessGroup.PUBLIC]} "
            f"{{ ?s {BPR_batteryPassportIdentifier} ?v }} FILTER(isIRI(?s) && !CONTAINS(STR(?s), '#')) }} "
            "ORDER BY STR(?s) LIMIT 1"
        )
        found = rows[0]["s"] if rows else None
        return found if isinstance(found, NamedNode) else None

    def find_product(self, product_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:productIdentifier` is `product_identifier`, if any."""
        rows = self._http.rows(
            f"SELECT ?s WHERE {{ GRAPH {L.LIVE_GRAPHS[AccessGroup.PUBLIC]} "
            f"{{ ?s {BPR_productIdentifier} {Literal(product_identifier)} }} "
            "FILTER(isIRI(?s) && !CONTAINS(STR(?s), '#')) } ORDER BY STR(?s) LIMIT 1"
        )
        found = rows[0]["s"] if rows else None
        return found if isinstance(found, NamedNode) else None

    def successors(self, identifiers: Collection[NamedNode]) -> list[SuccessorClaim]:
        """The claims of passports (live or ended) naming one of `identifiers` as predecessor, with who
        made each and when and the original owner's decision; ordered by successor IRI."""
        if not identifiers:
            return []
        values = " ".join(str(i) for i in identifiers)
        rows = self._http.rows(
            f"SELECT DISTINCT ?s ?x WHERE {{ VALUES ?x {{ {values} }} "
            f"GRAPH {L.META_GRAPH} {{ ?s {L.BPRM_predecessor} ?x }} FILTER(isIRI(?s)) }}"
        )
        claims = []
        for r in rows:
            successor, named = r["s"], r["x"]
            record = L.link_record(successor, named)
            found = self._http.rows(f"SELECT ?p ?o WHERE {{ GRAPH {L.META_GRAPH} {{ {record} ?p ?o }} }}")
            quads = [Quad(record, f["p"], f["o"], L.META_GRAPH) for f in found]
            claims.append(metadata.decode_claim(self.record(successor), named, quads))
        return sorted(claims, key=lambda c: (c.successor.value, c.named.value))

    def owned(self, query: str, substitutions: Mapping[Variable, NamedNode | Literal]) -> list[NamedNode]:
        """The `?p` of `metadata.owned_query`'s query, its substitutions bound (`bind`)."""
        rows = self._http.rows(bind(query, substitutions))
        return [r["p"] for r in rows if isinstance(r.get("p"), NamedNode)]


def _meta_quads(passport: NamedNode, rows: Iterable[dict[str, Any]]) -> list[Quad]:
    return [Quad(passport, r["p"], r["o"], L.META_GRAPH) for r in rows if isinstance(r.get("p"), NamedNode)]


def bind(query: str, substitutions: Mapping[Variable, NamedNode | Literal]) -> str:
    """`query` with its substitutions as a VALUES block opening its WHERE group (SPARQL 1.1 §10.2), so
    every FILTER of the group sees them bound. Terms are written by pyoxigraph (escaped), never pasted."""
    if not substitutions:
        return query
    names = " ".join(str(v) for v in substitutions)
    terms = " ".join(str(t) for t in substitutions.values())
    head, sep, tail = query.partition("WHERE { ")
    if not sep:
        raise ValueError("the query has no `WHERE { ` to bind values in")
    return f"{head}{sep}VALUES ({names}) {{ ({terms}) }} {tail}"
