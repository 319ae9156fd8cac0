"""`EmbeddedPassportStore`: the passport store on an in-process pyoxigraph Store (a data dir, or memory)."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterable, Iterator
from datetime import datetime
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Store, Triple

from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.clock import Clock, utc_now
from passport_registry.errors import (
    BadRequest,
    Conflict,
    NotFound,
    PreconditionFailed,
    UnprocessableInput,
)
from passport_registry.sparql.parser import inspect
from passport_registry.store import layout as L
from passport_registry.store import links, metadata, writes
from passport_registry.store.partition import PartitionedPassport, facts_of, partition
from passport_registry.store.protocol import PassportStore
from passport_registry.store.query import Inspector, QueryRequest, QueryResult, replace_graph_update
from passport_registry.store.query_threads import QueryThreads
from passport_registry.store.rebase import rebase as rebase_iris
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
from passport_registry.store.snapshots import Snapshots
from passport_registry.store.workers import QueryWorkers
from passport_registry.vocabulary.terms import BPR_batteryPassportIdentifier, BPR_productIdentifier

XSD_anyURI = NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")
XSD_string = NamedNode("http://www.w3.org/2001/XMLSchema#string")

MAX_PAGE = 1000
#: Seconds a superseded SPARQL snapshot is kept: longer than any query may run on it.
SNAPSHOT_KEEP_S = 120.0
#: Quads per bulk chunk, below Oxigraph's bulk batch of 1M quads, so one chunk is one atomic ingest.
MAX_CHUNK_QUADS = 800_000


class EmbeddedPassportStore:
    """The `PassportStore` over an embedded pyoxigraph Store, for one writer process.

    Guarantees (beyond `PassportStore`'s):
    - each write is one Oxigraph transaction: a create is one transactional `Store.load` whose preconditions
      (`layout.Guard`) are checked under the writer lock just before it (or the guarded update, when
      it links to other passports); replace, delete and link decisions are one SPARQL UPDATE that
      carries its own preconditions, so a failed precondition rolls the whole write back; a bulk
      chunk is one atomic ingest;
    - writes are serialised by a lock: Oxigraph's on-disk transactions do not isolate two concurrent
      writers (measured: both of two racing guarded updates committed), so this store must be the only
      writer of its directory; Oxigraph's directory lock keeps other processes out;
    - a read is consistent: it retries if a write committed while it was reading;
    - on disk, an acknowledged write is in RocksDB's write-ahead log and survives `kill -9`;
    - SPARQL (`query`) never reaches the network and never reads past the caller's graphs; on disk it
      reads snapshots (`<path>.snapshots/`) holding every write acknowledged more than
      `max_staleness_s` before the query started, in memory every acknowledged write.

    `inspector` is the query check run before the engine (`sparql.parser.inspect`); it is a parameter
    so that tests can show the sandbox alone keeps a query off the network.
    """

    def __init__(
        self,
        resolver: GroupResolver,
        path: Path | None = None,
        *,
        clock: Clock = utc_now,
        max_staleness_s: float = 1.0,
        inspector: Inspector = inspect,
    ) -> None:
        self._store: Store | None = Store(str(path)) if path is not None else Store()
        self._snapshots: Snapshots | None = None
        self._workers: QueryWorkers | None = None
        self._threads: QueryThreads | None = None
        if path is not None:
            directory = path.with_name(path.name + ".snapshots")
            self._snapshots = Snapshots(
                self._store, path, directory, max_staleness_s=max_staleness_s, keep_s=SNAPSHOT_KEEP_S
            )
            self._workers = QueryWorkers(directory, inspector=inspector)
        else:
            self._threads = QueryThreads(self._store, inspector=inspector)
        self._resolver = resolver
        self._clock = clock
        self._write_lock = threading.Lock()

    @property
    def _db(self) -> Store:
        if self._store is None:
            raise RuntimeError("the passport store is closed")
        return self._store

    def close(self) -> None:
        """Flush and release the store (and its directory lock); later calls raise RuntimeError."""
        if self._workers is not None:
            self._workers.close()
        if self._threads is not None:
            self._threads.close()
        if self._snapshots is not None:
            self._snapshots.close()
        if self._store is not None:
            self._store.flush()
            self._store = None

    def backup(self, target: Path) -> None:
        """Write a checkpoint of the store into the new directory `target` while writes go on: every
        write acknowledged before the call, none in part (`store/backup.py`). Raises RuntimeError for
        an in-memory store, OSError when `target` exists or cannot be written."""
        if self._snapshots is None:
            raise RuntimeError("an in-memory store has no directory to back up")
        self._db.backup(str(target))

    # -- writes ---------------------------------------------------------------------------------

    def create(
        self,
        passport: NamedNode,
        owner: str,
        triples: Iterable[Triple],
        facts: PassportFacts | None = None,
    ) -> PassportRecord:
        """Store version 1 of `passport` owned by `owner`; `facts` default to `facts_of` the triples.

        Raises Conflict if the IRI was ever used (even by an ended passport) or a live passport holds
        `facts.battery_id`; UnprocessableInput if the triples cannot be partitioned. Nothing is written
        on any error.
        """
        prepared = partition(passport, triples, self._resolver)
        facts = facts if facts is not None else facts_of(prepared)
        with self._write_lock:
            # Under the lock no other write can land between these checks and the write, so checking
            # the guards here and writing with one transactional `Store.load` of N-Quads (no SPARQL to
            # build or parse) is equivalent to the guarded update (docs/storage.md, "Writes").
            self._check_create(passport, facts)
            if facts.predecessors or self._claimers(links.names_of(passport, facts)):
                # It links to other passports, whose link change tokens the guarded update adds.
                try:
                    self._db.update(writes.create_update(prepared, owner, facts, self._now()))
                except RuntimeError:
                    self._check_create(passport, facts)
                    raise
            else:
                self._db.load(writes.creation_nquads(prepared, owner, facts, self._now()), RdfFormat.N_QUADS)
            self._written()
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
        """Make `triples` version `expected_version + 1`; the current version moves to history.

        `facts` (default: `facts_of` the new triples) replace the indexed facts; `by` (default: the
        owner) is recorded as the version's author; `owner`, when given, becomes the new owner in the
        same write (a transfer of responsibility). Raises PreconditionFailed when `expected_version`
        is not the current version, NotFound, Gone, Conflict (battery taken), UnprocessableInput.
        Nothing is written on any error.
        """
        prepared = partition(passport, triples, self._resolver)
        facts = facts if facts is not None else facts_of(prepared)
        with self._write_lock:
            update = self._replace_update(prepared, expected_version, by, facts, owner)
            try:
                self._db.update(update)
            except RuntimeError:
                self._explain_failed_write(passport, expected_version, facts)
                raise
            self._written()
            return self._record(passport)

    def find(self, passport_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:batteryPassportIdentifier` is `passport_identifier`, if any."""
        public = L.LIVE_GRAPHS[AccessGroup.PUBLIC]
        for datatype in (XSD_anyURI, XSD_string):
            value = Literal(passport_identifier, datatype=datatype)
            for q in self._db.quads_for_pattern(None, BPR_batteryPassportIdentifier, value, public):
                if isinstance(q.subject, NamedNode) and "#" not in q.subject.value:
                    return q.subject
        return None

    def find_product(self, product_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:productIdentifier` (battery identifier) is `product_identifier`."""
        public = L.LIVE_GRAPHS[AccessGroup.PUBLIC]
        value = Literal(product_identifier)
        for q in self._db.quads_for_pattern(None, BPR_productIdentifier, value, public):
            if isinstance(q.subject, NamedNode) and "#" not in q.subject.value:
                return q.subject
        return None

    def successors(self, identifiers: Collection[NamedNode]) -> list[SuccessorClaim]:
        """The claims of passports (live or ended) naming one of `identifiers` as predecessor, with who
        made each and when and the original owner's decision; ordered by successor IRI."""
        claims = []
        for identifier in identifiers:
            for q in self._db.quads_for_pattern(None, L.BPRM_predecessor, identifier, L.META_GRAPH):
                if isinstance(q.subject, NamedNode):
                    quads = self._quads(L.link_record(q.subject, identifier), None, L.META_GRAPH)
                    claims.append(metadata.decode_claim(self._record(q.subject), identifier, quads))
        return sorted(claims, key=lambda c: (c.successor.value, c.named.value))

    def decide_link(
        self, original: NamedNode, successor: NamedNode, named: NamedNode, decision: LinkDecision, *, by: str
    ) -> SuccessorClaim:
        """Record the decision of `original`'s owner (`by`) on `successor`'s claim to derive from it under
        the name `named`, replacing an earlier one; `original`'s link revision grows. Raises NotFound
        when `successor` does not (or no longer) name `named` as predecessor."""
        with self._write_lock:
            self._db.update(links.decide_update(original, successor, named, decision, by, self._now()))
            self._written()
            for claim in self.successors([named]):
                if claim.successor == successor and claim.decision is decision:
                    return claim
        raise NotFound(f"{successor.value} does not name {named.value} as its predecessor")

    def _linked(self, passport: NamedNode, facts: PassportFacts) -> set[NamedNode]:
        """The stored passports a new passport links to: those naming it, those it names (what
        `links.link_change_update` finds, looked up here for a bulk load under the writer lock)."""
        found: set[NamedNode | BlankNode | Triple] = set()
        for name in links.names_of(passport, facts):
            found.update(
                q.subject for q in self._db.quads_for_pattern(None, L.BPRM_predecessor, name, L.META_GRAPH)
            )
        for named in facts.predecessors:
            if next(iter(self._quads(named, L.BPRM_owner, L.META_GRAPH)), None) is not None:
                found.add(named)
            for q in self._db.quads_for_pattern(None, L.BPRM_passportIdentifier, named, L.META_GRAPH):
                found.add(q.subject)
        return {n for n in found if isinstance(n, NamedNode)}

    def _claimers(self, names: Collection[NamedNode]) -> bool:
        """Whether any passport names one of `names` as predecessor."""
        return any(
            next(iter(self._db.quads_for_pattern(None, L.BPRM_predecessor, name, L.META_GRAPH)), None)
            for name in names
        )

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

    def delete(
        self,
        passport: NamedNode,
        *,
        by: str,
        expected_version: int | None = None,
        status: Status = Status.DELETED,
    ) -> PassportRecord:
        """End `passport` with `status` (deleted, or ceased when the battery was recycled).

        Its data is kept as history and its metadata becomes a tombstone: later reads raise Gone with
        `ended_at` and `ended_by`. The battery identifier becomes free for a new passport. Raises
        PreconditionFailed (when `expected_version` is given and stale), NotFound, Gone.
        """
        with self._write_lock:
            current = self._record(passport)
            version = current.version if expected_version is None else expected_version
            update = writes.end_update(
                passport, version, self._nodes(passport), status, by, current.facts, self._now()
            )
            try:
                self._db.update(update)
            except RuntimeError:
                self._explain_failed_write(passport, version, None)
                raise
            self._written()
            return self._record(passport)

    def bulk_load(
        self, passports: Iterable[NewPassport | StagedPassport], *, chunk_size: int = 1000
    ) -> BulkReport:
        """Create many passports, up to `chunk_size` per chunk, each chunk one atomic bulk ingest.

        Each passport is staged first (`writes.stage`: partitioned and written out; already done for a
        `StagedPassport`), then checked (IRI never used, battery free, also within the load); refused
        ones are reported with the reason and nothing of them is written. The accepted ones of a chunk
        go to Oxigraph's bulk loader, which writes sorted files and ingests those of a batch (up to 1M
        quads; a chunk is kept under `MAX_CHUNK_QUADS`) in one atomic RocksDB ingest, so every passport
        is stored entirely or not at all, also across a crash.
        """
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
            estimate = item.quads + 32  # metadata and guards < 32
            if chunk and (len(chunk) >= chunk_size or size + estimate > MAX_CHUNK_QUADS):
                self._load_chunk(chunk, loaded, rejected)
                chunk, size = [], 0
            chunk.append(item)
            size += estimate
        if chunk:
            self._load_chunk(chunk, loaded, rejected)
        return BulkReport(loaded, rejected)

    def _load_chunk(
        self,
        chunk: list[StagedPassport],
        loaded: list[NamedNode],
        rejected: list[tuple[NamedNode, str]],
    ) -> None:
        with self._write_lock:
            now = self._now()
            nquads: list[bytes] = []
            seen_iris: set[str] = set()
            seen_batteries: set[str] = set()
            accepted: list[NamedNode] = []
            linked: set[NamedNode] = set()  # stored passports whose links the chunk changes
            for item in chunk:
                battery = item.facts.battery_id
                if item.iri.value in seen_iris or self._exists(L.Guard.minted(item.iri)):
                    rejected.append((item.iri, "a passport with this IRI exists or existed"))
                elif battery is not None and (
                    battery in seen_batteries or self._exists(L.Guard.battery(battery))
                ):
                    rejected.append((item.iri, f"battery {battery!r} already has a live passport"))
                else:
                    seen_iris.add(item.iri.value)
                    if battery is not None:
                        seen_batteries.add(battery)
                    nquads.append(item.content)
                    nquads.append(writes.record_nquads(item.iri, item.owner, item.facts, now))
                    accepted.append(item.iri)
                    linked.update(self._linked(item.iri, item.facts))
            if linked:
                nquads.append(links.link_change_nquads(linked))
            if nquads:
                self._db.bulk_load(b"".join(nquads), RdfFormat.N_QUADS)
                self._written()
            loaded.extend(accepted)

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
        """The triples of `groups` of one version: the current one, `version`, or the one current at `at`.

        Only triples of `groups` are returned, never metadata, index or guard triples; nested nodes
        appear as their `{passport}#n-{k}` IRIs. Raises NotFound (unknown passport, version, or `at`
        before its creation), Gone (ended passport: `ended_at`, `ended_by`, `status` in the error).
        With `include_ended`, the versions of an ended passport stay readable by `version` or by an
        `at` before its end; it has no current version (Gone).
        """
        if version is not None and at is not None:
            raise ValueError("give a version or a date, not both")
        for _attempt in range(100):
            record = self._record(passport)
            ended = record.status is not Status.LIVE
            if ended and not (
                include_ended and (version is not None or (at is not None and at < _end(record)))
            ):
                record.live()  # raises Gone
            wanted = record.version
            if at is not None:
                wanted = self._version_at(passport, at)
            elif version is not None:
                if not 1 <= version <= record.version:
                    raise NotFound(f"{passport.value} has no version {version}", version=version)
                wanted = version
            if wanted > record.version:  # a write landed between the two reads
                continue
            if wanted < record.version or ended:  # history never changes once written
                issued = metadata.decode_version(
                    self._quads(L.version_record(passport, wanted), None, L.META_GRAPH)
                ).issued
                triples = self._history_triples(passport, wanted, groups)
                return PassportSnapshot(record, wanted, triples, issued)
            triples = self._live_triples(passport, groups)
            again = self._record(passport)
            if again.version == record.version and again.status is record.status:
                return PassportSnapshot(record, wanted, triples, record.updated)
        raise RuntimeError(f"could not read a stable copy of {passport.value}")  # pragma: no cover

    def versions(self, passport: NamedNode, *, include_ended: bool = False) -> list[VersionInfo]:
        """Every version, oldest first. Raises NotFound, and Gone for an ended passport unless
        `include_ended` (its history is kept)."""
        record = self._record(passport)
        if not include_ended:
            record.live()
        return self._versions(passport)

    def list_owned(
        self,
        owner: str | None,
        *,
        cursor: str | None = None,
        limit: int = 50,
        filters: ListFilters = ListFilters(),  # noqa: B008 - frozen, so a safe default
    ) -> Page:
        """The passports of `owner` matching `filters`, ordered by IRI, at most `limit` (1..1000) a page.

        `cursor` is the opaque `next_cursor` of the previous page; a page is stable under concurrent
        writes (it resumes after the last IRI seen). Raises BadRequest on a malformed cursor.
        """
        if not 1 <= limit <= MAX_PAGE:
            raise BadRequest(f"limit must be between 1 and {MAX_PAGE}")
        after = metadata.decode_cursor(cursor) if cursor is not None else None
        query, substitutions = metadata.owned_query(owner, filters, after, limit + 1)
        solutions = self._db.query(query, substitutions=substitutions)  # type: ignore[arg-type]
        iris = [s["p"] for s in solutions]  # type: ignore[union-attr]
        page = [self._record(p) for p in iris[:limit] if isinstance(p, NamedNode)]
        more = len(iris) > limit
        return Page(page, metadata.encode_cursor(page[-1].iri.value) if more and page else None)

    # -- SPARQL -----------------------------------------------------------------------------------

    def query(self, request: QueryRequest, timeout_s: float) -> QueryResult:
        """Answer a read-only SPARQL query over exactly the graphs `request` names (see `store/query.py`).

        On disk the query runs in a worker process on a snapshot and is killed after `timeout_s`
        seconds (waiting for a fresh snapshot counts); in memory it runs in a query thread and the limit
        is checked between solutions. Raises BadRequest, QueryTooComplex, Forbidden, NotAcceptable,
        ResultTooLarge, QueryTimeout, QueryAborted, SandboxUnavailable.
        """
        if self._threads is not None:
            return self._threads.run(request, timeout_s)
        assert self._snapshots is not None and self._workers is not None
        started = time.monotonic()
        at_least = self._snapshots.require(timeout_s)
        return self._workers.run(request, at_least, timeout_s - (time.monotonic() - started))

    def load_vocabulary(self, triples: Iterable[Triple]) -> None:
        """Replace the ontology graph (`layout.ONTOLOGY_GRAPH`) with `triples`, in one atomic update.

        Called at every start, so an upgraded ontology replaces the old one; the graph is read only by
        SPARQL (every caller's dataset includes it), never by passport reads.
        """
        update = replace_graph_update(L.ONTOLOGY_GRAPH, triples)
        with self._write_lock:
            self._db.update(update)
            self._written()

    # -- the store as a whole --------------------------------------------------------------------

    def base_url(self) -> str | None:
        """The base URL recorded with `record_base_url`, if any."""
        for quad in self._db.quads_for_pattern(L.META_GRAPH, L.BPRM_baseUrl, None, L.META_GRAPH):
            if isinstance(quad.object, Literal):
                return quad.object.value
        return None

    def record_base_url(self, base_url: str) -> None:
        """Record `base_url` as the store's (one atomic update, replacing any earlier one)."""
        with self._write_lock:
            self._db.update(metadata.base_url_update(base_url))
            self._written()

    def rebase(self, old: str, new: str) -> int:
        """Rewrite every IRI under `old` to lie under `new` and record `new` (`store/rebase.py`); how
        many quads changed. Interrupted, it leaves `old` recorded, and running it again finishes."""
        with self._write_lock:
            changed = rebase_iris(self._db, old, new)
            self._db.update(metadata.base_url_update(new))
            self._written()
        return changed

    # -- internals ------------------------------------------------------------------------------

    def _now(self) -> datetime:
        return self._clock()

    def _written(self) -> None:
        """Tell the SPARQL snapshots that a write was acknowledged."""
        if self._snapshots is not None:
            self._snapshots.written()

    def _exists(self, graph: NamedNode) -> bool:
        return self._db.contains_named_graph(graph)

    def _quads(self, s: NamedNode | None, p: NamedNode | None, g: NamedNode) -> Iterator[Quad]:
        return self._db.quads_for_pattern(s, p, None, g)

    def _record(self, passport: NamedNode) -> PassportRecord:
        record = metadata.decode_record(passport, self._quads(passport, None, L.META_GRAPH))
        if record is None:
            raise NotFound(f"no passport {passport.value}")
        return record

    def _live_record(self, passport: NamedNode) -> PassportRecord:
        return self._record(passport).live()

    def _versions(self, passport: NamedNode) -> list[VersionInfo]:
        found = []
        for q in self._db.quads_for_pattern(None, L.BPRM_versionOf, passport, L.META_GRAPH):
            if isinstance(q.subject, NamedNode):
                found.append(metadata.decode_version(self._quads(q.subject, None, L.META_GRAPH)))
        return sorted(found, key=lambda v: v.number)

    def _version_at(self, passport: NamedNode, at: datetime) -> int:
        if at.tzinfo is None:
            raise ValueError("`at` must be timezone-aware")
        earlier = [v.number for v in self._versions(passport) if v.issued <= at]
        if not earlier:
            raise NotFound(f"{passport.value} did not exist at {at.isoformat()}")
        return max(earlier)

    def _nodes(self, passport: NamedNode) -> dict[AccessGroup, list[NamedNode]]:
        """The node index of `passport`: its nested nodes by access group."""
        nodes: dict[AccessGroup, list[NamedNode]] = {}
        for group in AccessGroup:
            for entry in self._quads(passport, L.BPRM_node, L.INDEX_GRAPHS[group]):
                if isinstance(entry.object, NamedNode):
                    nodes.setdefault(group, []).append(entry.object)
        return nodes

    def _live_triples(self, passport: NamedNode, groups: Collection[AccessGroup]) -> list[Triple]:
        triples: list[Triple] = []
        for group in AccessGroup:  # fixed order, whatever order `groups` has
            if group not in groups:
                continue
            graph = L.LIVE_GRAPHS[group]
            triples.extend(q.triple for q in self._quads(passport, None, graph))
            for entry in self._quads(passport, L.BPRM_node, L.INDEX_GRAPHS[group]):
                node = entry.object
                assert isinstance(node, NamedNode)
                triples.extend(q.triple for q in self._quads(node, None, graph))
        return triples

    def _history_triples(
        self, passport: NamedNode, version: int, groups: Collection[AccessGroup]
    ) -> list[Triple]:
        triples: list[Triple] = []
        for group in AccessGroup:
            if group in groups:
                graph = L.history_graph(passport, version, group)
                triples.extend(q.triple for q in self._quads(None, None, graph))
        return triples

    def _check_create(self, passport: NamedNode, facts: PassportFacts) -> None:
        """Raise Conflict if a create of `passport` with `facts` would break its guards."""
        if self._exists(L.Guard.minted(passport)):
            raise Conflict(f"{passport.value} exists or existed; pick another identifier")
        if facts.battery_id is not None and self._exists(L.Guard.battery(facts.battery_id)):
            raise Conflict(
                f"battery {facts.battery_id!r} already has a live passport", battery_id=facts.battery_id
            )

    def _explain_failed_write(self, passport: NamedNode, expected: int, facts: PassportFacts | None) -> None:
        record = self._live_record(passport)
        if record.version != expected:
            raise PreconditionFailed(
                f"{passport.value} is at version {record.version}, not {expected}",
                current_version=record.version,
            )
        if facts is not None and facts.battery_id is not None and facts.battery_id != record.facts.battery_id:
            raise Conflict(
                f"battery {facts.battery_id!r} already has a live passport", battery_id=facts.battery_id
            )


def _end(record: PassportRecord) -> datetime:
    """When an ended passport ended (its last update, for a tombstone that lacks the time)."""
    return record.ended_at or record.updated


def _conforms(store: EmbeddedPassportStore) -> PassportStore:
    """Never called: makes mypy check that this class implements the `PassportStore` protocol."""
    return store
