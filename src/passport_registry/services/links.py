"""Lifecycle links between passports (Art. 77(7)): who may link what, and who sees which link.

A passport names the passports it derives from in its own data (`predecessor`): its operator's
statement, which Art. 77(7) requires of a repurposed, re-used or remanufactured battery and which
nobody else can change. That statement is a *claim* on the original; the registry records who made
it and when. The original shows it (a `successor-version` link) only with its owner's consent:

- implicitly, when the claim comes from an organisation that is or was responsible for the original
  (the owner, or one that issued a version of it: an operator remanufacturing its own battery);
- explicitly, when the original's owner accepts it (`accept`).

The original's owner may reject any claim, implicit or accepted, and accept it again later: each
decision is recorded with who and when, and changes only the original's links, never either
passport's data or versions. The owner and the authorities (notified bodies, market surveillance,
the Commission) see every claim and its status; everyone else only the links the original shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pyoxigraph import Literal, NamedNode, Triple

from passport_registry.access import AccessGroup
from passport_registry.accounts.models import User
from passport_registry.errors import Forbidden, NotFound
from passport_registry.roles import Role
from passport_registry.store import LinkDecision, PassportRecord, PassportStore, Status, SuccessorClaim
from passport_registry.vocabulary.terms import BPR_batteryPassportIdentifier

if TYPE_CHECKING:
    from passport_registry.services.passports import PassportService


#: Roles that see every claim on any passport, and read the history of ended passports.
AUTHORITIES = frozenset({Role.NOTIFIED_BODY, Role.MARKET_SURVEILLANCE, Role.COMMISSION})


class ClaimStatus(StrEnum):
    """Whether the original shows a successor's claim: proposed (not yet), accepted, or rejected."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Link:
    """A successor's claim on an original passport, with what it means for the original now."""

    claim: SuccessorClaim
    status: ClaimStatus


def identifier_of(triples: Iterable[Triple], root: NamedNode) -> NamedNode:
    """The passport identifier `predecessor` / `successor` links use: its `batteryPassportIdentifier`
    when that is an IRI, else the passport IRI itself."""
    for t in triples:
        if (
            t.subject == root
            and t.predicate == BPR_batteryPassportIdentifier
            and isinstance(t.object, Literal)
        ):
            try:
                return NamedNode(t.object.value)
            except ValueError:
                break
    return root


def is_authority(user: User | None) -> bool:
    """Whether `user` is an active notified body, market surveillance authority or Commission account."""
    return user is not None and user.active and user.has_any_role(*AUTHORITIES)


def names_of(store: PassportStore, record: PassportRecord) -> list[NamedNode]:
    """The names other passports' `predecessor` may use for the passport of `record`.

    Passports stored before their identifier was indexed have it read from their public data.
    """
    names = list(record.names)
    if record.facts.passport_identifier is None and record.status is Status.LIVE:
        public = store.get(record.iri, {AccessGroup.PUBLIC}).triples
        named = identifier_of(public, record.iri)
        if named not in names:
            names.append(named)
    return names


def links_of(
    store: PassportStore, record: PassportRecord, names: list[NamedNode] | None = None
) -> list[Link]:
    """Every claim on the passport of `record`, with its status, ordered by successor."""
    claims = store.successors(names if names is not None else names_of(store, record))
    responsible: set[str] | None = None
    found = []
    for claim in claims:
        if claim.decision is LinkDecision.ACCEPTED:
            status = ClaimStatus.ACCEPTED
        elif claim.decision is LinkDecision.REJECTED:
            status = ClaimStatus.REJECTED
        else:
            if responsible is None and claim.claimed_by != record.owner:
                versions = store.versions(record.iri, include_ended=True)
                responsible = {record.owner, *(v.issued_by for v in versions)}
            implicit = claim.claimed_by == record.owner or claim.claimed_by in (responsible or ())
            status = ClaimStatus.ACCEPTED if implicit else ClaimStatus.PROPOSED
        found.append(Link(claim, status))
    return found


class SuccessorLinks:
    """Listing and deciding the successor claims on a passport; stateless over `PassportService`."""

    def __init__(self, passports: PassportService) -> None:
        self._passports = passports
        self._store = passports.registry.store

    def list(self, passport_id: str, user: User | None) -> list[Link]:
        """The claims on a passport (live or ended): all of them, with their status, for its owner
        and the authorities; the accepted ones (the links it shows) for everyone else. Raises NotFound."""
        record = self._passports.record(passport_id)
        found = links_of(self._store, record)
        if self._passports.is_owner(user, record) or is_authority(user):
            return found
        return [link for link in found if link.status is ClaimStatus.ACCEPTED]

    def decide(self, passport_id: str, successor_id: str, user: User, *, accept: bool) -> Link:
        """Accept (show) or reject (hide) the claim of passport `successor_id` on passport
        `passport_id`; only the original's owner may. Raises Forbidden, NotFound (no such passport or
        claim). Idempotent; the decision is recorded with the caller's organisation and the time."""
        record = self._passports.record(passport_id)
        organisation = self._passports.operator(user)
        if organisation != record.owner:
            raise Forbidden(f"Only the owner of {record.iri.value} decides which successors it shows.")
        successor = self._passports.iri(successor_id)
        names = names_of(self._store, record)
        decision = LinkDecision.ACCEPTED if accept else LinkDecision.REJECTED
        decided = [
            self._store.decide_link(record.iri, successor, link.claim.named, decision, by=organisation)
            for link in links_of(self._store, record, names)
            if link.claim.successor == successor  # by its IRI, by its identifier, or both
        ]
        if not decided:
            raise NotFound(f"{successor.value} does not name {record.iri.value} as its predecessor")
        return Link(decided[0], ClaimStatus(decision.value))


def shown_successors(store: PassportStore, record: PassportRecord, names: list[NamedNode]) -> list[NamedNode]:
    """The successors the passport of `record` shows: the claims its owner consented to."""
    return [
        link.claim.successor for link in links_of(store, record, names) if link.status is ClaimStatus.ACCEPTED
    ]
