"""The reads of `EmbeddedPassportStore`: records, versions, the triples of one version, owned lists.

A read is consistent: it retries when a write committed while it was reading (see `get`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import datetime

from pyoxigraph import NamedNode, Quad, Store, Triple

from passport_registry.access import AccessGroup
from passport_registry.errors import BadRequest, NotFound
from passport_registry.store import layout as L
from passport_registry.store import metadata
from passport_registry.store.records import (
    ListFilters,
    Page,
    PassportRecord,
    PassportSnapshot,
    Status,
    VersionInfo,
)

MAX_PAGE = 1000


class EmbeddedReads:
    """Reads of the embedded store's metadata, node index, live and history graphs (the base of
    `EmbeddedPassportStore`, which opens `_store` and writes)."""

    _store: Store | None

    @property
    def _db(self) -> Store:
        if self._store is None:
            raise RuntimeError("the passport store is closed")
        return self._store

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


def _end(record: PassportRecord) -> datetime:
    """When an ended passport ended (its last update, for a tombstone that lacks the time)."""
    return record.ended_at or record.updated
