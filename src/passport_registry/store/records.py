"""The typed values the passport store takes and returns (no store access here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pyoxigraph import NamedNode, Triple

from passport_registry.errors import Gone


class Status(StrEnum):
    """Lifecycle status of a passport: live, deleted by its operator, or ceased (battery recycled)."""

    LIVE = "live"
    DELETED = "deleted"
    CEASED = "ceased"


@dataclass(frozen=True)
class PassportFacts:
    """Registry facts about a passport that the store indexes; by default read from its body
    (`partition.facts_of`), or given by the caller.

    `battery_id`: at most one live passport per battery identifier (create/replace raise Conflict).
    `category`: the battery category concept IRI, for list filters. `predecessors`: passports this one
    was derived from (repurposing, remanufacturing, re-use; Art. 77(7)), by the identifiers its body
    names (each a claim the original's owner may accept or reject). `battery_status`: the battery
    status concept IRI (original, repurposed, ..., waste), for list filters. `passport_identifier`: its
    `batteryPassportIdentifier` when that is an IRI, the name other passports' links use for it.
    """

    battery_id: str | None = None
    category: NamedNode | None = None
    predecessors: tuple[NamedNode, ...] = ()
    battery_status: NamedNode | None = None
    passport_identifier: NamedNode | None = None


@dataclass(frozen=True)
class PassportRecord:
    """The metadata of one passport, as the metadata graph holds it."""

    iri: NamedNode
    owner: str
    version: int
    created: datetime
    updated: datetime
    status: Status
    facts: PassportFacts
    ended_at: datetime | None = None
    ended_by: str | None = None
    link_revision: int = 0
    """How many times the lifecycle links shown with this passport (its predecessors' and successors'
    passports) may have changed without a new version: part of every ETag of the passport."""

    @property
    def names(self) -> tuple[NamedNode, ...]:
        """Every name other passports' `predecessor` may use for this one: its IRI, its identifier."""
        if self.facts.passport_identifier is None or self.facts.passport_identifier == self.iri:
            return (self.iri,)
        return (self.iri, self.facts.passport_identifier)

    def live(self) -> PassportRecord:
        """This record if the passport is live; else Gone (410) saying how, when and by whom it ended."""
        if self.status is not Status.LIVE:
            raise Gone(
                f"{self.iri.value} was {self.status.value} on {self.ended_at} by {self.ended_by}",
                passport_status=self.status.value,
                ended_at=self.ended_at.isoformat() if self.ended_at else None,
                ended_by=self.ended_by,
            )
        return self


class LinkDecision(StrEnum):
    """What the owner of an original passport decided about a successor's claim to derive from it."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class SuccessorClaim:
    """A passport (`successor`) naming another as its predecessor, by the identifier `named`.

    `claimed_by` / `claimed_at`: the organisation whose version of the successor first named it, and
    when. `decision` / `decided_by` / `decided_at`: the last decision of the original's owner, if any.
    """

    successor: NamedNode
    named: NamedNode
    claimed_by: str
    claimed_at: datetime
    decision: LinkDecision | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None


@dataclass(frozen=True)
class VersionInfo:
    """One version of a passport: its number (1-based), when and by whom it was written."""

    number: int
    issued: datetime
    issued_by: str


@dataclass(frozen=True)
class PassportSnapshot:
    """The triples of one version of a passport, restricted to the requested access groups, and when
    that version was issued (for the current version, `record.updated`)."""

    record: PassportRecord
    version: int
    triples: list[Triple]
    issued: datetime


@dataclass(frozen=True)
class ListFilters:
    """Filters of `list_owned`; None means no restriction."""

    battery_id: str | None = None
    category: NamedNode | None = None
    status: Status | None = None
    battery_status: NamedNode | None = None
    updated_since: datetime | None = None


@dataclass(frozen=True)
class Page:
    """One page of passport records; `next_cursor` is None on the last page."""

    items: list[PassportRecord]
    next_cursor: str | None


@dataclass(frozen=True)
class NewPassport:
    """One passport for `bulk_load`: the same inputs as `create`."""

    iri: NamedNode
    owner: str
    triples: Sequence[Triple]
    facts: PassportFacts | None = None


@dataclass(frozen=True)
class StagedPassport:
    """A new passport already partitioned and written out as N-Quads (`store.stage`): all `bulk_load`
    still does is check its guards and add its metadata. Picklable, so worker processes can stage
    passports for the process that stores them.

    `content` holds the quads of its live group graphs and node index, `quads` how many.
    """

    iri: NamedNode
    owner: str
    facts: PassportFacts
    content: bytes
    quads: int


@dataclass(frozen=True)
class BulkReport:
    """What `bulk_load` did: passports loaded, and those refused with the reason."""

    loaded: list[NamedNode]
    rejected: list[tuple[NamedNode, str]]
