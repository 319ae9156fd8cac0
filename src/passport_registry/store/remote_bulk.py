"""`bulk_load` of `RemotePassportStore`: many new passports, one SPARQL Update request per chunk."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from datetime import datetime

from pyoxigraph import NamedNode

from passport_registry.access import GroupResolver
from passport_registry.store import layout as L
from passport_registry.store import links, text, writes
from passport_registry.store.records import BulkReport, NewPassport, StagedPassport
from passport_registry.store.remote_reads import RemoteReads
from passport_registry.store.write_lock import WriteLock

#: Quads per bulk update: one request of ~15 MB of SPARQL text at most.
MAX_CHUNK_QUADS = 100_000


class RemoteBulkLoad(ABC):
    """Bulk creation under the store's write lock (the base of `RemotePassportStore`)."""

    _lock: WriteLock
    _reads: RemoteReads
    _resolver: GroupResolver

    @abstractmethod
    def _now(self) -> datetime:
        """The time a write records."""

    @abstractmethod
    def _write(self, update: str, explain: Callable[[], None]) -> None:
        """Send `update`; when the server refuses it, `explain()` raises the domain error it means."""

    def bulk_load(
        self, passports: Iterable[NewPassport | StagedPassport], *, chunk_size: int = 1000
    ) -> BulkReport:
        """Create many passports, one Update request per chunk (all of a chunk's accepted passports, or
        none when the request fails). Refused passports are reported with the reason, as embedded."""
        loaded: list[NamedNode] = []
        rejected: list[tuple[NamedNode, str]] = []
        for chunk in writes.staged_chunks(
            passports, self._resolver, chunk_size=chunk_size, max_quads=MAX_CHUNK_QUADS, rejected=rejected
        ):
            self._load_chunk(chunk, loaded, rejected)
        return BulkReport(loaded, rejected)

    def _load_chunk(
        self, chunk: list[StagedPassport], loaded: list[NamedNode], rejected: list[tuple[NamedNode, str]]
    ) -> None:
        with self._lock.hold():
            now = self._now()
            guards = [L.Guard.minted(i.iri) for i in chunk]
            guards += [L.Guard.battery(i.facts.battery_id) for i in chunk if i.facts.battery_id is not None]
            taken = self._reads.existing(guards)
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
                update = text.insert_nquads(b"".join(nquads))
                self._write(update if touch is None else f"{touch} ;\n{update}", lambda: None)
            loaded.extend(accepted)
