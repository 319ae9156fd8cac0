"""`PassportStore`: the interface every passport store implements (embedded now, SPARQL server later)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Protocol

from pyoxigraph import NamedNode, Triple

from passport_registry.access import AccessGroup
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


class PassportStore(Protocol):
    """Passports as linked data, partitioned by access group, with history and optimistic concurrency.

    Guarantees every implementation gives (the shared test suite checks them):
    - every write is one atomic store operation: it happens entirely or not at all, and an
      acknowledged write survives a crash of the process;
    - a read returns only triples of the requested access groups, never registry metadata;
    - a write with a stale `expected_version` raises PreconditionFailed and changes nothing; of two
      writers racing from the same version exactly one wins;
    - every earlier version stays readable (by number, or as of a date); an ended passport raises
      Gone on every read unless its history is asked for (`include_ended`), and is never removed;
    - at most one live passport per battery identifier (Conflict otherwise);
    - a passport naming another as predecessor is a claim recorded with who made it and when; a
      write that may change the links shown with other passports (a claim made or withdrawn, a
      passport created, renamed or ended that others name, a decision on a claim) raises their
      `link_revision` in the same atomic write.
    """

    def create(
        self, passport: NamedNode, owner: str, triples: Iterable[Triple], facts: PassportFacts | None = None
    ) -> PassportRecord:
        """Store version 1. Raises Conflict (IRI used before, or battery taken), UnprocessableInput."""
        ...

    def record(self, passport: NamedNode) -> PassportRecord:
        """The metadata of a passport, tombstones included. Raises NotFound."""
        ...

    def get(
        self,
        passport: NamedNode,
        groups: Collection[AccessGroup],
        *,
        version: int | None = None,
        at: datetime | None = None,
        include_ended: bool = False,
    ) -> PassportSnapshot:
        """The triples of `groups` of the current version, of `version`, or of the version current at
        `at`. Raises NotFound (unknown passport or version), Gone (ended passport; with
        `include_ended`, only when asking for its current version or for a time after its end)."""
        ...

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
        """Write version `expected_version + 1` (and make `owner` the owner, when given). Raises
        PreconditionFailed, NotFound, Gone, Conflict, UnprocessableInput."""
        ...

    def find(self, passport_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:batteryPassportIdentifier` is `passport_identifier`, if any."""
        ...

    def find_product(self, product_identifier: str) -> NamedNode | None:
        """The live passport whose `bpr:productIdentifier` (battery identifier) is `product_identifier`."""
        ...

    def successors(self, identifiers: Collection[NamedNode]) -> list[SuccessorClaim]:
        """The claims of passports (live or ended) naming one of `identifiers` as predecessor."""
        ...

    def decide_link(
        self, original: NamedNode, successor: NamedNode, named: NamedNode, decision: LinkDecision, *, by: str
    ) -> SuccessorClaim:
        """Record `decision` of `original`'s owner `by` on `successor`'s claim to derive from `named` (a
        name of `original`), replacing an earlier one. Raises NotFound when there is no such claim."""
        ...

    def delete(
        self,
        passport: NamedNode,
        *,
        by: str,
        expected_version: int | None = None,
        status: Status = ...,
    ) -> PassportRecord:
        """End the passport (deleted, or ceased when recycled), keeping a tombstone and its history.
        Raises PreconditionFailed, NotFound, Gone."""
        ...

    def versions(self, passport: NamedNode, *, include_ended: bool = False) -> list[VersionInfo]:
        """Every version, oldest first. Raises NotFound; Gone for an ended passport unless
        `include_ended`."""
        ...

    def list_owned(
        self, owner: str | None, *, cursor: str | None = None, limit: int = 50, filters: ListFilters = ...
    ) -> Page:
        """The passports of `owner` (of every owner when None; tombstones included unless filtered),
        ordered by IRI, one page at a time; `cursor` is the `next_cursor` of the previous page. Raises
        BadRequest on a bad cursor."""
        ...

    def base_url(self) -> str | None:
        """The base URL recorded with `record_base_url`, if any."""
        ...

    def record_base_url(self, base_url: str) -> None:
        """Record `base_url` as the one the store's passport IRIs are minted under (replacing any)."""
        ...

    def bulk_load(
        self, passports: Iterable[NewPassport | StagedPassport], *, chunk_size: int = ...
    ) -> BulkReport:
        """Create many passports fast; each is stored entirely or refused (reported, not raised)."""
        ...

    def query(self, request: QueryRequest, timeout_s: float) -> QueryResult:
        """Answer a read-only SPARQL query over exactly the graphs `request` names, within `timeout_s`
        seconds (the work is stopped, not abandoned, where the implementation can). Raises BadRequest,
        NotAcceptable, ResultTooLarge, QueryTimeout."""
        ...

    def load_vocabulary(self, triples: Iterable[Triple]) -> None:
        """Atomically replace the ontology graph (read by SPARQL only) with `triples`."""
        ...

    def close(self) -> None:
        """Release the store; later calls fail."""
        ...
