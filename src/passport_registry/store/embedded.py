"""`EmbeddedPassportStore`: the passport store on an in-process pyoxigraph Store (a data dir, or memory).

This module opens the store and holds the single writes, look-ups, SPARQL and the store-wide operations;
the reads are in `embedded_reads.py` and `bulk_load` in `embedded_bulk.py` (its base classes).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Iterable
from datetime import datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple

from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.clock import Clock, utc_now
from passport_registry.errors import Conflict, NotFound, PreconditionFailed
from passport_registry.sparql.parser import inspect
from passport_registry.store import layout as L
from passport_registry.store import links, metadata, writes
from passport_registry.store.embedded_bulk import EmbeddedBulkLoad
from passport_registry.store.partition import PartitionedPassport, facts_of, partition
from passport_registry.store.protocol import PassportStore
from passport_registry.store.query import Inspector, QueryRequest, QueryResult, replace_graph_update
from passport_registry.store.query_threads import QueryThreads
from passport_registry.store.rebase import rebase as rebase_iris
from passport_registry.store.records import (
    LinkDecision,
    PassportFacts,
    PassportRecord,
    Status,
    SuccessorClaim,
)
from passport_registry.store.snapshots import Snapshots
from passport_registry.store.workers import QueryWorkers
from passport_registry.vocabulary.terms import BPR_batteryPassportIdentifier, BPR_productIdentifier

XSD_anyURI = NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")
XSD_string = NamedNode("http://www.w3.org/2001/XMLSchema#string")

#: Seconds a superseded SPARQL snapshot is kept: longer than any query may run on it.
SNAPSHOT_KEEP_S = 120.0


class EmbeddedPassportStore(EmbeddedBulkLoad):
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


def _conforms(store: EmbeddedPassportStore) -> PassportStore:
    """Never called: makes mypy check that this class implements the `PassportStore` protocol."""
    return store
