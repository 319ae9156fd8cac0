"""Reading the metadata graph: passport records, version records, and the owned-passports query."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Quad, Variable

from passport_registry.errors import BadRequest
from passport_registry.store import layout as L
from passport_registry.store.records import (
    LinkDecision,
    ListFilters,
    PassportFacts,
    PassportRecord,
    Status,
    SuccessorClaim,
    VersionInfo,
)
from passport_registry.store.text import datetime_literal

_STATUS_BY_IRI = {iri.value: Status(name) for name, iri in L.STATUS_IRIS.items()}
_DECISION_BY_IRI = {iri.value: LinkDecision(name) for name, iri in L.DECISION_IRIS.items()}


def decode_record(passport: NamedNode, quads: Iterable[Quad]) -> PassportRecord | None:
    """The record of `passport` from its metadata quads, or None when there are none."""
    values: dict[str, list[NamedNode | Literal]] = {}
    for q in quads:
        if isinstance(q.object, NamedNode | Literal):
            values.setdefault(q.predicate.value, []).append(q.object)
    if L.BPRM_owner.value not in values:
        return None

    def text(p: NamedNode) -> str | None:
        found = values.get(p.value)
        return found[0].value if found else None

    def when(p: NamedNode) -> datetime | None:
        value = text(p)
        return datetime.fromisoformat(value) if value is not None else None

    categories = [c for c in values.get(L.BPRM_category.value, []) if isinstance(c, NamedNode)]
    predecessors = [n for n in values.get(L.BPRM_predecessor.value, []) if isinstance(n, NamedNode)]
    statuses = [c for c in values.get(L.BPRM_batteryStatus.value, []) if isinstance(c, NamedNode)]
    identifiers = [n for n in values.get(L.BPRM_passportIdentifier.value, []) if isinstance(n, NamedNode)]
    facts = PassportFacts(
        battery_id=text(L.BPRM_batteryIdentifier),
        category=categories[0] if categories else None,
        predecessors=tuple(sorted(predecessors, key=lambda n: n.value)),
        battery_status=statuses[0] if statuses else None,
        passport_identifier=identifiers[0] if identifiers else None,
    )
    created, updated = when(L.BPRM_created), when(L.BPRM_updated)
    if created is None or updated is None:
        raise RuntimeError(f"the metadata of {passport.value} lacks its timestamps")
    return PassportRecord(
        iri=passport,
        owner=text(L.BPRM_owner) or "",
        version=int(text(L.BPRM_version) or 0),
        created=created,
        updated=updated,
        status=_STATUS_BY_IRI[text(L.BPRM_status) or ""],
        facts=facts,
        ended_at=when(L.BPRM_endedAt),
        ended_by=text(L.BPRM_endedBy),
        link_revision=len(values.get(L.BPRM_linkChange.value, [])),
    )


def decode_claim(successor: PassportRecord, named: NamedNode, quads: Iterable[Quad]) -> SuccessorClaim:
    """The claim of `successor` to derive from `named`, from the quads of its link record (if any).

    A claim made before claim records existed has none: it is taken as made by the successor's owner
    when the successor was created.
    """
    values = {q.predicate.value: q.object.value for q in quads if isinstance(q.object, NamedNode | Literal)}

    def text(p: NamedNode) -> str | None:
        return values.get(p.value)

    def when(p: NamedNode) -> datetime | None:
        value = text(p)
        return datetime.fromisoformat(value) if value is not None else None

    decision = text(L.BPRM_decision)
    return SuccessorClaim(
        successor=successor.iri,
        named=named,
        claimed_by=text(L.BPRM_claimedBy) or successor.owner,
        claimed_at=when(L.BPRM_claimedAt) or successor.created,
        decision=_DECISION_BY_IRI.get(decision) if decision is not None else None,
        decided_by=text(L.BPRM_decidedBy),
        decided_at=when(L.BPRM_decidedAt),
    )


def decode_version(quads: Iterable[Quad]) -> VersionInfo:
    """A version record (`{passport}/versions/{n}`) from its metadata quads."""
    values = {q.predicate.value: q.object.value for q in quads if isinstance(q.object, Literal)}
    return VersionInfo(
        number=int(values[L.BPRM_versionNumber.value]),
        issued=datetime.fromisoformat(values[L.BPRM_issued.value]),
        issued_by=values[L.BPRM_issuedBy.value],
    )


#: The base URL recorded for the store (`?url`), if any.
BASE_URL_QUERY = f"SELECT ?url WHERE {{ GRAPH {L.META_GRAPH} {{ {L.META_GRAPH} {L.BPRM_baseUrl} ?url }} }}"


def base_url_update(base_url: str) -> str:
    """A SPARQL UPDATE that records `base_url` as the store's, replacing any earlier one."""
    registry, term = L.META_GRAPH, L.BPRM_baseUrl
    return (
        f"DELETE WHERE {{ GRAPH {registry} {{ {registry} {term} ?old }} }} ;\n"
        f"INSERT DATA {{ GRAPH {registry} {{ {registry} {term} {Literal(base_url)} }} }}"
    )


def owned_query(
    owner: str | None, filters: ListFilters, after: str | None, limit: int
) -> tuple[str, dict[Variable, NamedNode | Literal]]:
    """A SELECT of `?p`, the passports of `owner` (of every owner when None) matching `filters` with IRI
    after `after`, ordered by IRI, at most `limit`. Every caller value is a substitution; the query text
    is fixed fragments."""
    substitutions: dict[Variable, NamedNode | Literal] = {}
    if owner is not None:
        substitutions[Variable("owner")] = Literal(owner)
    patterns = ["?p bprm:owner ?owner ; bprm:updated ?updated ."]
    conditions = []
    if filters.status is not None:
        patterns.append("?p bprm:status ?status .")
        substitutions[Variable("status")] = L.STATUS_IRIS[filters.status]
    if filters.battery_id is not None:
        patterns.append("?p bprm:batteryIdentifier ?battery .")
        substitutions[Variable("battery")] = Literal(filters.battery_id)
    if filters.category is not None:
        patterns.append("?p bprm:category ?category .")
        substitutions[Variable("category")] = filters.category
    if filters.battery_status is not None:
        patterns.append("?p bprm:batteryStatus ?batteryStatus .")
        substitutions[Variable("batteryStatus")] = filters.battery_status
    if filters.updated_since is not None:
        conditions.append("FILTER(?updated >= ?since)")
        substitutions[Variable("since")] = datetime_literal(filters.updated_since)
    if after is not None:
        conditions.append("FILTER(STR(?p) > ?after)")
        substitutions[Variable("after")] = Literal(after)
    projected = " ".join(str(v) for v in substitutions)  # SEP-0007 binds projected variables only
    query = (
        f"PREFIX bprm: <{L.BPRM}> SELECT ?p {projected} WHERE {{ "
        f"GRAPH {L.META_GRAPH} {{ {' '.join(patterns)} }} {' '.join(conditions)} }} "
        f"ORDER BY STR(?p) LIMIT {int(limit)}"
    )
    return query, substitutions


def encode_cursor(iri: str) -> str:
    """An opaque page cursor: the last IRI of the page, base64url without padding."""
    return base64.urlsafe_b64encode(iri.encode("utf-8")).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> str:
    """The IRI inside `cursor`. Raises BadRequest when it is not a cursor this store made."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        return base64.b64decode(padded, altchars=b"-_", validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadRequest("malformed cursor") from None
