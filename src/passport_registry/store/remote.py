"""`RemotePassportStore`: the passport store on a SPARQL 1.1 server, shared by any number of API workers.

Same graphs, same update text and the same guards as the embedded store (`layout`, `writes`): only the
transport differs. Reads are SPARQL SELECTs (each one answered from one snapshot by the server); every
write is ONE SPARQL Update request that carries its own guards, sent while holding the store's write
lock (`write_lock`: the server applies an update atomically but does not isolate two concurrent ones).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, Variable, parse

from passport_registry.access import BPR, AccessGroup, GroupResolver
from passport_registry.clock import Clock, utc_now
from passport_registry.errors import (
    BadRequest,
    Conflict,
    NotFound,
    PreconditionFailed,
    RegistryError,
    UnprocessableInput,
)
from passport_registry.store import layout as L
from passport_registry.store import links, metadata, text, writes
from passport_registry.store.partition import PartitionedPassport, facts_of, partition
from passport_registry.store.protocol import PassportStore
from passport_registry.store.query import QueryRequest, QueryResult
from passport_registry.store.records import (
    BulkReport,
    LinkDecision,
    ListFilters,
    NewPassport,
    Page,
    PassportFacts,
    PassportRecord,
    PassportSnapshot,
    StagedPassport,
    Status,
    SuccessorClaim,
    VersionInfo,
)
from passport_registry.store.remote_query import RemoteQueries
from passport_registry.store.server_checks import check_server
from passport_registry.store.sparql_http import Endpoints, SparqlHttp, UpdateRefused
from passport_registry.store.write_lock import FileWriteLock, WriteLock, default_lock_path

XSD = "http://www.w3.org/2001/XMLSchema#"
BPR_batteryPassportIdentifier = NamedNode(BPR + "batteryPassportIdentifier")
MAX_PAGE = 1000
#: Quads per bulk update: one request of ~15 MB of SPARQL text at most.
MAX_CHUNK_QUADS = 100_000


class RemotePassportStore:
    """The `PassportStore` over a SPARQL 1.1 server (Protocol, Update, Graph Store Protocol).

    Guarantees (beyond `PassportStore`'s), given a server that passed `server_checks.check_server`:
    - each write is one Update request; a failed guard makes the server refuse it whole;
    - every write of every process holding the same `lock` is serialised, so of two racing writers
      exactly one wins (the loser gets PreconditionFailed or Conflict), in one process or many;
    - a read is one query, answered by the server from one snapshot, so metadata and triples agree;
    - an acknowledged write is as durable as the server makes it (Oxigraph: in RocksDB's write-ahead
      log before the answer; tests/store/test_durability.py kills the server with SIGKILL).
    Thread-safe: the HTTP client pools connections; nothing else here is mutable.
    """

    def __init__(
        self,
        resolver: GroupResolver,
        http: SparqlHttp,
        lock: WriteLock,
        *,
        clock: Clock = utc_now,
        queries: RemoteQueries | None = None,
    ) -> None:
        self._http = http
        self._lock = lock
        self._resolver = resolver
        self._clock = clock
        self._queries = queries or RemoteQueries(http)
        self._closed = False

    @classmethod
    def connect(
        cls,
        resolver: GroupResolver,
        url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        lock_path: Path | None = None,
        max_results: int = 100_000,
        clock: Clock = utc_now,
    ) -> RemotePassportStore:
        """The store on the server at `url` (`sparql_http.Endpoints`), after `server_checks` passed.

        `lock_path` is the write lock file shared by every process writing to this server from this
        host (default: `write_lock.default_lock_path(url)`); `max_results` the SPARQL endpoint's
        result limit, which the server must not cap. Raises ConfigurationError (the server
        lacks a guarantee), StoreUnavailable (it does not answer), ValueError (not an http(s) URL).
        """
        http = SparqlHttp(Endpoints.from_url(url, update_url=update_url, graph_store_url=graph_store_url))
        try:
            check_server(http, max_results)
        except BaseException:
            http.close()
            raise
        lock = FileWriteLock(lock_path or default_lock_path(url))
        return cls(resolver, http, lock, clock=clock)

    def close(self) -> None:
        """Close the HTTP client and the lock; later calls raise RuntimeError."""
        if not self._closed:
            self._closed = True
            self._queries.close()
            self._http.close()
            self._lock.close()

    @property
    def _server(self) -> SparqlHttp:
        if self._closed:
            raise RuntimeError("the passport store is closed")
        return self._http

    # -- writes ---------------------------------------------------------------------------------

    def create(
        self,
        passport: NamedNode,
        owner: str,
        triples: Iterable[Triple],
        facts: PassportFacts | None = None,
    ) -> PassportRecord:
        """Store version 1 of `passport`; the same contract as `EmbeddedPassportStore.create`."""
        prepared = partition(passport, triples, self._resolver)
        facts = facts if facts is not None else facts_of(prepared)
        update = writes.create_update(prepared, owner, facts, self._now())
        with self._lock.hold():
            self._check_create(passport, facts)
            self._write(update, lambda: self._check_create(passport, facts))
        return self._record(passport)

    def replace(
        self,
        passport: NamedNode,
        triples: Iterable[Triple],
        expected_version: int,
        *,
        by: str | None = None,
        facts: PassportFacts | None = None,
        owner: str | None = None,
    ) -> PassportRecord:
        """Make `triples` version `expected_version + 1`; the same contract as the embedded store's."""
        prepared = partition(passport, triples, self._resolver)
        facts = facts if facts is not None else facts_of(prepared)
        with self._lock.hold():
            update = self._replace_update(prepared, expected_version, by, facts, owner)
            self._write(update, lambda: self._explain_failed_write(passport, expected_version, facts))
        return self._record(passport)

    def delete(
        self,
        passport: NamedNode,
        *,
        by: str,
        expected_version: int | None = None,
        status: Status = Status.DELETED,
    ) -> PassportRecord:
        """End `passport` with `status`, keeping a tombstone and its history (as the embedded store)."""
        with self._lock.hold():
            current = self._record(passport)
            version = current.version if expected_version is None else expected_version
            update = writes.end_update(
                passport, version, self._nodes(passport), status, by, current.facts, self._now()
            )
            self._write(update, lambda: self._explain_failed_write(passport, version, None))
        return self._record(passport)

    def bulk_load(
        self, passports: Iterable[NewPassport | StagedPassport], *, chunk_size: int = 1000
    ) -> BulkReport:
        """Create many passports, one Update request per chunk (all of a chunk's accepted passports, or
        none when the request fails). Refused passports are reported with the reason, as embedded."""
        loaded: list[NamedNode] = []
        rejected: list[tuple[NamedNode, str]] = []
        chunk: list[StagedPassport] = []
        size = 0
        for item in passports:
            if isinstance(item, NewPassport):
                try:
                    item = writes.stage(item, self._resolver)
                except UnprocessableInput as e:
                    rejected.append((item.iri, e.detail))
                    continue
            estimate = item.quads + 32
            if chunk and (len(chunk) >= chunk_size or size + estimate > MAX_CHUNK_QUADS):
                self._load_chunk(chunk, loaded, rejected)
                chunk, size = [], 0
            chunk.append(item)
            size += estimate
        if chunk:
            self._load_chunk(chunk, loaded, rejected)
        return BulkReport(loaded, rejected)

    def _load_chunk(
        self, chunk: list[StagedPassport], loaded: list[NamedNode], rejected: list[tuple[NamedNode, str]]
    ) -> None:
        with self._lock.hold():
            now = self._now()
            guards = [L.Guard.minted(i.iri) for i in chunk]
            guards += [L.Guard.battery(i.facts.battery_id) for i in chunk if i.facts.battery_id is not None]
            taken = self._existing(guards)
            nquads: list[bytes] = []
            seen_iris: set[str] = set()
            seen_batteries: set[str] = set()
            accepted: list[NamedNode] = []
            for item in chunk:
                battery = item.facts.battery_id
                if item.iri.value in seen_iris or L.Guard.minted(item.iri).value in taken:
                    rejected.append((item.iri, "a passport with this IRI exists or existed"))
                elif battery is not None and (
                    battery in seen_batteries or L.Guard.battery(battery).value in taken
                ):
                    rejected.append((item.iri, f"battery {battery!r} already has a live passport"))
                else:
                    seen_iris.add(item.iri.value)
                    if battery is not None:
                        seen_batteries.add(battery)
                    nquads.append(item.content)
                    nquads.append(writes.record_nquads(item.iri, item.owner, item.facts, now))
                    accepted.append(item.iri)
            if nquads:
                # First the link change tokens of stored passports the new ones link to (found by the
                # update itself, before the new ones are in), then the passports: one request.
                kept = set(accepted)
                names = [n for i in chunk if i.iri in kept for n in links.names_of(i.iri, i.facts)]
                claims = [n for i in chunk if i.iri in kept for n in i.facts.predecessors]
                touch = links.link_change_update(names=names, claims=claims)
                update = insert_data(b"".join(nquads))
                self._write(update if touch is None else f"{touch} ;\n{update}", lambda: None)
            loaded.extend(accepted)

    def load_vocabulary(self, triples: Iterable[Triple]) -> None:
        """Replace the ontology graph with `triples` in one request (Graph Store Protocol PUT)."""
        data = text.ntriples(list(triples))
        with self._lock.hold():
            try:
                self._server.put_graph(L.ONTOLOGY_GRAPH.value, data)
            except UpdateRefused as exc:
                raise RegistryError(f"The SPARQL server refused the ontology: {exc.message}") from None

    # -- reads ----------------------------------------------------------------------------------

    def record(self, passport: NamedNode) -> PassportRecord:
        """The metadata of `passport`, tombstones included. Raises NotFound."""
        return self._record(passport)

    def get(
        self,
        passport: NamedNode,
        groups: Collection[AccessGroup],
        *,
        version: int | None = None,
        at: datetime | None = None,
        include_ended: bool = False,
    ) -> PassportSnapshot:
        """The triples of `groups` of one version (as `EmbeddedPassportStore.get`); the current version
        and its metadata are read in ONE query, so they always belong together."""
        if version is not None and at is not None:
            raise ValueError("give a version or a date, not both")
        wanted_groups = [g for g in AccessGroup if g in groups]  # fixed order
        record, live = self._current(passport, wanted_groups)
        ended = record.status is not Status.LIVE
        if ended and not (
            include_ended
            and (version is not None or (at is not None and at < (record.ended_at or record.updated)))
        ):
            record.live()  # raises Gone
        wanted = record.version
        if at is not None:
            wanted = self._version_at(passport, at)
        elif version is not None:
            if not 1 <= version <= record.version:
                raise NotFound(f"{passport.value} has no version {version}", version=version)
            wanted = version
        if wanted == record.version and not ended:
            return PassportSnapshot(record, wanted, live)
        return PassportSnapshot(record, wanted, self._history_triples(passport, wanted, wanted_groups))

    def versions(self, passport: NamedNode, *, include_ended: bool = False) -> list[VersionInfo]:
        """Every version, oldest first. Raises NotFound, and Gone for an ended passport unless
        `include_ended` (its history is kept)."""
        record = self._record(passport)
        if not include_ended:
            record.live()
        return self._versions(passport)

    def find(self, passport_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:batteryPassportIdentifier` is `passport_identifier`, if any."""
        values = " ".join(
            str(Literal(passport_identifier, datatype=NamedNode(XSD + t))) for t in ("anyURI", "string")
        )
        rows = self._server.rows(
            f"SELECT ?s WHERE {{ VALUES ?v {{ {values} }} GRAPH {L.LIVE_GRAPHS[AccessGroup.PUBLIC]} "
            f"{{ ?s {BPR_batteryPassportIdentifier} ?v }} FILTER(isIRI(?s) && !CONTAINS(STR(?s), '#')) }} "
            "ORDER BY STR(?s) LIMIT 1"
        )
        found = rows[0]["s"] if rows else None
        return found if isinstance(found, NamedNode) else None

    def successors(self, identifiers: Collection[NamedNode]) -> list[SuccessorClaim]:
        """The claims of passports (live or ended) naming one of `identifiers` as predecessor, with who
        made each and when and the original owner's decision; ordered by successor IRI."""
        if not identifiers:
            return []
        values = " ".join(str(i) for i in identifiers)
        rows = self._server.rows(
            f"SELECT DISTINCT ?s ?x WHERE {{ VALUES ?x {{ {values} }} "
            f"GRAPH {L.META_GRAPH} {{ ?s {L.BPRM_predecessor} ?x }} FILTER(isIRI(?s)) }}"
        )
        claims = []
        for r in rows:
            successor, named = r["s"], r["x"]
            record = L.link_record(successor, named)
            found = self._server.rows(f"SELECT ?p ?o WHERE {{ GRAPH {L.META_GRAPH} {{ {record} ?p ?o }} }}")
            quads = [Quad(record, f["p"], f["o"], L.META_GRAPH) for f in found]
            claims.append(metadata.decode_claim(self._record(successor), named, quads))
        return sorted(claims, key=lambda c: (c.successor.value, c.named.value))

    def decide_link(
        self, original: NamedNode, successor: NamedNode, named: NamedNode, decision: LinkDecision, *, by: str
    ) -> SuccessorClaim:
        """Record the decision of `original`'s owner (`by`) on `successor`'s claim (as the embedded
        store). Raises NotFound when `successor` does not (or no longer) name `named` as predecessor."""
        with self._lock.hold():
            self._write(
                links.decide_update(original, successor, named, decision, by, self._now()), lambda: None
            )
        for claim in self.successors([named]):
            if claim.successor == successor and claim.decision is decision:
                return claim
        raise NotFound(f"{successor.value} does not name {named.value} as its predecessor")

    def list_owned(
        self,
        owner: str,
        *,
        cursor: str | None = None,
        limit: int = 50,
        filters: ListFilters = ListFilters(),  # noqa: B008 - frozen, so a safe default
    ) -> Page:
        """The passports of `owner` matching `filters`, ordered by IRI (as the embedded store)."""
        if not 1 <= limit <= MAX_PAGE:
            raise BadRequest(f"limit must be between 1 and {MAX_PAGE}")
        after = metadata.decode_cursor(cursor) if cursor is not None else None
        query, substitutions = metadata.owned_query(owner, filters, after, limit + 1)
        rows = self._server.rows(bind(query, substitutions))
        iris = [r["p"] for r in rows if isinstance(r.get("p"), NamedNode)]
        page = [self._record(p) for p in iris[:limit]]
        more = len(iris) > limit
        return Page(page, metadata.encode_cursor(page[-1].iri.value) if more and page else None)

    def query(self, request: QueryRequest, timeout_s: float) -> QueryResult:
        """Answer a read-only SPARQL query on the server over exactly the graphs `request` names
        (`remote_query`: our deadline, complete documents only, the result limit)."""
        return self._queries.run(request, timeout_s)

    # -- internals ------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock()

    def _write(self, update: str, explain: Callable[[], None]) -> None:
        """Send `update`; when the server refuses it, `explain()` raises the domain error it means."""
        try:
            self._server.update(update)
        except UpdateRefused as exc:
            explain()
            raise RegistryError(f"The SPARQL server refused the write: {exc.message}") from None

    def _replace_update(
        self,
        prepared: PartitionedPassport,
        expected_version: int,
        by: str | None,
        facts: PassportFacts,
        owner: str | None,
    ) -> str:
        current = self._record(prepared.iri)
        return writes.replace_update(
            prepared,
            expected_version,
            self._nodes(prepared.iri),
            by if by is not None else current.owner,
            facts,
            current.facts,
            self._now(),
            new_owner=owner,
        )

    def _record(self, passport: NamedNode) -> PassportRecord:
        rows = self._server.rows(f"SELECT ?p ?o WHERE {{ GRAPH {L.META_GRAPH} {{ {passport} ?p ?o }} }}")
        record = metadata.decode_record(passport, _meta_quads(passport, rows))
        if record is None:
            raise NotFound(f"no passport {passport.value}")
        return record

    def _current(
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
        rows = self._server.rows(f"SELECT ?g ?s ?p ?o WHERE {{ {' UNION '.join(branches)} }}")
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

    def _history_triples(
        self, passport: NamedNode, version: int, groups: Sequence[AccessGroup]
    ) -> list[Triple]:
        if not groups:
            return []
        graphs = " ".join(str(L.history_graph(passport, version, g)) for g in groups)
        rows = self._server.rows(
            f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        by_graph: dict[str, list[Triple]] = {}
        for r in rows:
            by_graph.setdefault(r["g"].value, []).append(Triple(r["s"], r["p"], r["o"]))
        return [t for g in groups for t in by_graph.get(L.history_graph(passport, version, g).value, [])]

    def _versions(self, passport: NamedNode) -> list[VersionInfo]:
        rows = self._server.rows(
            f"SELECT ?r ?p ?o WHERE {{ GRAPH {L.META_GRAPH} {{ ?r {L.BPRM_versionOf} {passport} ; ?p ?o }} }}"
        )
        by_record: dict[str, list[Quad]] = {}
        for r in rows:
            by_record.setdefault(r["r"].value, []).append(Quad(r["r"], r["p"], r["o"], L.META_GRAPH))
        return sorted((metadata.decode_version(qs) for qs in by_record.values()), key=lambda v: v.number)

    def _version_at(self, passport: NamedNode, at: datetime) -> int:
        if at.tzinfo is None:
            raise ValueError("`at` must be timezone-aware")
        earlier = [v.number for v in self._versions(passport) if v.issued <= at]
        if not earlier:
            raise NotFound(f"{passport.value} did not exist at {at.isoformat()}")
        return max(earlier)

    def _nodes(self, passport: NamedNode) -> dict[AccessGroup, list[NamedNode]]:
        by_index = {L.INDEX_GRAPHS[g].value: g for g in AccessGroup}
        graphs = " ".join(str(L.INDEX_GRAPHS[g]) for g in AccessGroup)
        rows = self._server.rows(
            f"SELECT ?i ?n WHERE {{ VALUES ?i {{ {graphs} }} GRAPH ?i {{ {passport} {L.BPRM_node} ?n }} }}"
        )
        nodes: dict[AccessGroup, list[NamedNode]] = {}
        for r in rows:
            if isinstance(r.get("n"), NamedNode):
                nodes.setdefault(by_index[r["i"].value], []).append(r["n"])
        return nodes

    def _existing(self, graphs: Sequence[NamedNode]) -> set[str]:
        """Which of the guard `graphs` exist (a guard graph holds one triple while it exists)."""
        if not graphs:
            return set()
        values = " ".join(str(g) for g in graphs)
        rows = self._server.rows(
            f"SELECT DISTINCT ?g WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
        return {r["g"].value for r in rows}

    def _check_create(self, passport: NamedNode, facts: PassportFacts) -> None:
        """Raise Conflict if a create of `passport` with `facts` would break its guards."""
        minted = L.Guard.minted(passport)
        battery = L.Guard.battery(facts.battery_id) if facts.battery_id is not None else None
        taken = self._existing([minted, *([battery] if battery is not None else [])])
        if minted.value in taken:
            raise Conflict(f"{passport.value} exists or existed; pick another identifier")
        if battery is not None and battery.value in taken:
            raise Conflict(
                f"battery {facts.battery_id!r} already has a live passport", battery_id=facts.battery_id
            )

    def _explain_failed_write(self, passport: NamedNode, expected: int, facts: PassportFacts | None) -> None:
        record = self._record(passport).live()
        if record.version != expected:
            raise PreconditionFailed(
                f"{passport.value} is at version {record.version}, not {expected}",
                current_version=record.version,
            )
        if facts is not None and facts.battery_id is not None and facts.battery_id != record.facts.battery_id:
            raise Conflict(
                f"battery {facts.battery_id!r} already has a live passport", battery_id=facts.battery_id
            )


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


def insert_data(nquads: bytes) -> str:
    """One `INSERT DATA` of N-Quads (graph blocks), for a bulk chunk."""
    by_graph: dict[NamedNode, list[Triple]] = {}
    for q in parse(nquads, format=RdfFormat.N_QUADS):
        assert isinstance(q.graph_name, NamedNode), "the store writes named graphs only"
        by_graph.setdefault(q.graph_name, []).append(q.triple)
    return text.insert_data(by_graph)


def _conforms(store: RemotePassportStore) -> PassportStore:
    """Never called: makes mypy check that this class implements the `PassportStore` protocol."""
    return store
