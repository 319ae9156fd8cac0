"""`bulk_load` of `EmbeddedPassportStore`: many new passports in chunks, each chunk one atomic ingest."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import datetime

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple

from passport_registry.access import GroupResolver
from passport_registry.store import layout as L
from passport_registry.store import links, writes
from passport_registry.store.embedded_reads import EmbeddedReads
from passport_registry.store.records import BulkReport, NewPassport, PassportFacts, StagedPassport

#: Quads per bulk chunk, below Oxigraph's bulk batch of 1M quads, so one chunk is one atomic ingest.
MAX_CHUNK_QUADS = 800_000


class EmbeddedBulkLoad(EmbeddedReads, ABC):
    """Bulk creation under the store's writer lock (the base of `EmbeddedPassportStore`)."""

    _resolver: GroupResolver
    _write_lock: threading.Lock

    @abstractmethod
    def _now(self) -> datetime:
        """The time a write records."""

    @abstractmethod
    def _written(self) -> None:
        """Tell the SPARQL snapshots that a write was acknowledged."""

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
        for chunk in writes.staged_chunks(
            passports, self._resolver, chunk_size=chunk_size, max_quads=MAX_CHUNK_QUADS, rejected=rejected
        ):
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
