"""`RemotePassportStore`: the passport store on a SPARQL 1.1 server, shared by any number of API workers.

Same graphs, same update text and the same guards as the embedded store (`layout`, `writes`): only the
transport differs. Reads are SPARQL SELECTs (each one answered from one snapshot by the server); every
write is ONE SPARQL Update request that carries its own guards, sent while holding the store's write
lock (`write_lock`: the server applies an update atomically but does not isolate two concurrent ones).
The reads are in `remote_reads.py`, SPARQL queries in `remote_query.py`, `bulk_load` in `remote_bulk.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from pathlib import Path

from pyoxigraph import NamedNode, Triple

from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.clock import Clock, utc_now
from passport_registry.errors import BadRequest, Conflict, NotFound, PreconditionFailed, RegistryError
from passport_registry.store import layout as L
from passport_registry.store import links, metadata, text, writes
from passport_registry.store.partition import PartitionedPassport, facts_of, partition
from passport_registry.store.protocol import PassportStore
from passport_registry.store.query import QueryRequest, QueryResult
from passport_registry.store.records import (
    LinkDecision,
    ListFilters,
    Page,
    PassportFacts,
    PassportRecord,
    PassportSnapshot,
    Status,
    SuccessorClaim,
    VersionInfo,
)
from passport_registry.store.remote_bulk import RemoteBulkLoad
from passport_registry.store.remote_query import RemoteQueries
from passport_registry.store.remote_reads import RemoteReads
from passport_registry.store.server_checks import check_server
from passport_registry.store.sparql_http import Endpoints, SparqlHttp, UpdateRefused
from passport_registry.store.write_lock import FileWriteLock, WriteLock, default_lock_path

MAX_PAGE = 1000


class RemotePassportStore(RemoteBulkLoad):
    """The `PassportStore` over a SPARQL 1.1 server (Protocol, Update, Graph Store Protocol).

    Guarantees (beyond `PassportStore`'s), given a server that passed `server_checks.check_server`:
    - each write is one Update request; a failed guard makes the server refuse it whole;
    - every write of every process holding the same `lock` is serialised, so of two racing writers
      exactly one wins (the loser gets PreconditionFailed or Conflict), in one process or many;
    - a read is one query, answered by the server from one snapshot, so metadata and triples agree;
    - an acknowledged write is as durable as the server makes it (Oxigraph: in RocksDB's write-ahead
      log before the answer; tests/store/test_processes.py kills the server with SIGKILL).
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
        self._reads = RemoteReads(http)
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
        lock: WriteLock | None = None,
        max_results: int = 100_000,
        clock: Clock = utc_now,
    ) -> RemotePassportStore:
        """The store on the server at `url` (`sparql_http.Endpoints`), after `server_checks` passed.

        `lock` serialises the writes of every process writing to this server (a `PostgresWriteLock`
        reaches every host); without it, `lock_path` is a lock file shared by the processes of this host
        (default: `write_lock.default_lock_path(url)`). `max_results` the SPARQL endpoint's
        result limit, which the server must not cap. Raises ConfigurationError (the server
        lacks a guarantee), StoreUnavailable (it does not answer), ValueError (not an http(s) URL).
        """
        http = SparqlHttp(Endpoints.from_url(url, update_url=update_url, graph_store_url=graph_store_url))
        try:
            check_server(http, max_results)
        except BaseException:
            http.close()
            raise
        if lock is None:
            lock = FileWriteLock(lock_path or default_lock_path(url))
        return cls(resolver, http, lock, clock=clock)

    def close(self) -> None:
        """Close the HTTP client and the lock; later calls raise RuntimeError (httpx's, closed client)."""
        if not self._closed:
            self._closed = True
            self._queries.close()
            self._http.close()
            self._lock.close()

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
        return self._reads.record(passport)

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
        return self._reads.record(passport)

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
            current = self._reads.record(passport)
            version = current.version if expected_version is None else expected_version
            update = writes.end_update(
                passport, version, self._reads.nodes(passport), status, by, current.facts, self._now()
            )
            self._write(update, lambda: self._explain_failed_write(passport, version, None))
        return self._reads.record(passport)

    def load_vocabulary(self, triples: Iterable[Triple]) -> None:
        """Replace the ontology graph with `triples` in one request (Graph Store Protocol PUT)."""
        data = text.ntriples(list(triples))
        with self._lock.hold():
            try:
                self._http.put_graph(L.ONTOLOGY_GRAPH.value, data)
            except UpdateRefused as exc:
                raise RegistryError(f"The SPARQL server refused the ontology: {exc.message}") from None

    # -- reads ----------------------------------------------------------------------------------

    def record(self, passport: NamedNode) -> PassportRecord:
        """The metadata of `passport`, tombstones included. Raises NotFound."""
        return self._reads.record(passport)

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
        record, live = self._reads.current(passport, wanted_groups)
        ended = record.status is not Status.LIVE
        if ended and not (
            include_ended
            and (version is not None or (at is not None and at < (record.ended_at or record.updated)))
        ):
            record.live()  # raises Gone
        wanted = record.version
        if at is not None:
            wanted = self._reads.version_at(passport, at)
        elif version is not None:
            if not 1 <= version <= record.version:
                raise NotFound(f"{passport.value} has no version {version}", version=version)
            wanted = version
        if wanted == record.version and not ended:
            return PassportSnapshot(record, wanted, live, record.updated)
        triples = self._reads.history(passport, wanted, wanted_groups)
        return PassportSnapshot(record, wanted, triples, self._reads.issued(passport, wanted))

    def versions(self, passport: NamedNode, *, include_ended: bool = False) -> list[VersionInfo]:
        """Every version, oldest first. Raises NotFound, and Gone for an ended passport unless
        `include_ended` (its history is kept)."""
        record = self._reads.record(passport)
        if not include_ended:
            record.live()
        return self._reads.versions(passport)

    def find(self, passport_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:batteryPassportIdentifier` is `passport_identifier`, if any."""
        return self._reads.find(passport_identifier)

    def find_product(self, product_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:productIdentifier` (battery identifier) is `product_identifier`."""
        return self._reads.find_product(product_identifier)

    def successors(self, identifiers: Collection[NamedNode]) -> list[SuccessorClaim]:
        """The claims of passports (live or ended) naming one of `identifiers` as predecessor, with who
        made each and when and the original owner's decision; ordered by successor IRI."""
        return self._reads.successors(identifiers)

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
        owner: str | None,
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
        iris = self._reads.owned(query, substitutions)
        page = [self._reads.record(p) for p in iris[:limit]]
        more = len(iris) > limit
        return Page(page, metadata.encode_cursor(page[-1].iri.value) if more and page else None)

    def base_url(self) -> str | None:
        """The base URL recorded with `record_base_url`, if any."""
        rows = self._http.rows(metadata.BASE_URL_QUERY)
        return rows[0]["url"].value if rows and "url" in rows[0] else None

    def record_base_url(self, base_url: str) -> None:
        """Record `base_url` as the store's (one atomic update, replacing any earlier one)."""
        with self._lock.hold():
            self._write(metadata.base_url_update(base_url), lambda: None)

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
            self._http.update(update)
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
        current = self._reads.record(prepared.iri)
        return writes.replace_update(
            prepared,
            expected_version,
            self._reads.nodes(prepared.iri),
            by if by is not None else current.owner,
            facts,
            current.facts,
            self._now(),
            new_owner=owner,
        )

    def _check_create(self, passport: NamedNode, facts: PassportFacts) -> None:
        """Raise Conflict if a create of `passport` with `facts` would break its guards."""
        minted = L.Guard.minted(passport)
        battery = L.Guard.battery(facts.battery_id) if facts.battery_id is not None else None
        taken = self._reads.existing([minted, *([battery] if battery is not None else [])])
        if minted.value in taken:
            raise Conflict(f"{passport.value} exists or existed; pick another identifier")
        if battery is not None and battery.value in taken:
            raise Conflict(
                f"battery {facts.battery_id!r} already has a live passport", battery_id=facts.battery_id
            )

    def _explain_failed_write(self, passport: NamedNode, expected: int, facts: PassportFacts | None) -> None:
        record = self._reads.record(passport).live()
        if record.version != expected:
            raise PreconditionFailed(
                f"{passport.value} is at version {record.version}, not {expected}",
                current_version=record.version,
            )
        if facts is not None and facts.battery_id is not None and facts.battery_id != record.facts.battery_id:
            raise Conflict(
                f"battery {facts.battery_id!r} already has a live passport", battery_id=facts.battery_id
            )


def _conforms(store: RemotePassportStore) -> PassportStore:
    """Never called: makes mypy check that this class implements the `PassportStore` protocol."""
    return store
