"""Lifecycle links in the metadata graph, as SPARQL UPDATE text: successor claims, the original owner's
decisions on them, and link change tokens.

A passport naming another as `predecessor` makes a *claim*, recorded under
`{successor}/links/{digest}` (`layout.link_record`) with who made it and when; the original's owner
may record a *decision* (accepted or rejected) on the same subject. Whether the original shows the
link is the services' policy; the store only records.

A passport's representations carry its links as headers, and links change without a new version of
the passport (another passport names it, a decision is taken, a predecessor ends). So every write
that may change the links of *other* passports gives each of them a new `bprm:linkChange` token; the
number of tokens is `PassportRecord.link_revision`, which every ETag includes. Tokens are only ever
added (no read-modify-write), so they can go into a bulk load's N-Quads as well as into an update.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime

from pyoxigraph import Literal, NamedNode, Triple

from passport_registry.store import layout as L
from passport_registry.store.records import LinkDecision, PassportFacts
from passport_registry.store.text import datetime_literal, insert_data, nquads, ntriples


def names_of(passport: NamedNode, facts: PassportFacts) -> tuple[NamedNode, ...]:
    """The names other passports' `predecessor` may use for `passport`: its IRI and identifier."""
    if facts.passport_identifier is None or facts.passport_identifier == passport:
        return (passport,)
    return (passport, facts.passport_identifier)


def claim_triples(successor: NamedNode, named: NamedNode, by: str, at: datetime) -> list[Triple]:
    """The record of `successor`'s claim to derive from `named`, made by organisation `by` at `at`."""
    record = L.link_record(successor, named)
    return [
        Triple(record, L.BPRM_linkFrom, successor),
        Triple(record, L.BPRM_linkTo, named),
        Triple(record, L.BPRM_claimedBy, Literal(by)),
        Triple(record, L.BPRM_claimedAt, datetime_literal(at)),
    ]


def drop_claim_update(successor: NamedNode, named: NamedNode) -> str:
    """The operation that forgets the claim of `successor` on `named`, with any decision on it."""
    return f"DELETE WHERE {{ GRAPH {L.META_GRAPH} {{ {L.link_record(successor, named)} ?pr ?o }} }}"


def link_change_update(names: Collection[NamedNode], claims: Collection[NamedNode]) -> str | None:
    """The operation giving a new link change token to every passport whose links a write changes:
    those naming one of `names` as predecessor, and those that `claims` name (by IRI or by passport
    identifier). None when there is nothing to look for.

    The look-ups are graph patterns inside the update, so a passport linked by a concurrent write to
    a shared store is not missed.
    """
    meta = L.META_GRAPH
    branches = []
    if names:
        values = " ".join(sorted({str(n) for n in names}))
        branches.append(f"{{ VALUES ?name {{ {values} }} GRAPH {meta} {{ ?t {L.BPRM_predecessor} ?name }} }}")
    if claims:
        values = " ".join(sorted({str(n) for n in claims}))
        branches.append(f"{{ VALUES ?t {{ {values} }} GRAPH {meta} {{ ?t {L.BPRM_owner} ?owner }} }}")
        branches.append(
            f"{{ VALUES ?id {{ {values} }} GRAPH {meta} {{ ?t {L.BPRM_passportIdentifier} ?id }} }}"
        )
    if not branches:
        return None
    return (
        f"INSERT {{ GRAPH {meta} {{ ?t {L.BPRM_linkChange} {_token()} }} }} "
        f"WHERE {{ {' UNION '.join(branches)} }}"
    )


def link_change_nquads(passports: Collection[NamedNode]) -> bytes:
    """A new link change token for each of `passports`, as N-Quads (for a bulk load's ingest)."""
    token = _token()
    return nquads({L.META_GRAPH: [Triple(p, L.BPRM_linkChange, token) for p in sorted(passports, key=str)]})


def decide_update(
    original: NamedNode,
    successor: NamedNode,
    named: NamedNode,
    decision: LinkDecision,
    by: str,
    at: datetime,
) -> str:
    """The update recording the decision of `original`'s owner `by` on `successor`'s claim to derive
    from it (under the name `named`), replacing any earlier decision, and giving `original` a link
    change token.

    Records nothing unless `successor` still names `named` as predecessor (the claim may have been
    withdrawn meanwhile). A claim older than claim records gets its record here, without claimant.
    """
    meta, record = L.META_GRAPH, L.link_record(successor, named)
    claimed = f"GRAPH {meta} {{ {successor} {L.BPRM_predecessor} {named} }}"
    decided = [
        Triple(record, L.BPRM_linkFrom, successor),
        Triple(record, L.BPRM_linkTo, named),
        Triple(record, L.BPRM_decision, L.DECISION_IRIS[decision.value]),
        Triple(record, L.BPRM_decidedBy, Literal(by)),
        Triple(record, L.BPRM_decidedAt, datetime_literal(at)),
    ]
    earlier = " ".join(str(p) for p in (L.BPRM_decision, L.BPRM_decidedBy, L.BPRM_decidedAt))
    return " ;\n".join(
        (
            f"DELETE {{ GRAPH {meta} {{ {record} ?pr ?o }} }} "
            f"WHERE {{ {claimed} VALUES ?pr {{ {earlier} }} GRAPH {meta} {{ {record} ?pr ?o }} }}",
            f"INSERT {{ GRAPH {meta} {{\n{ntriples(decided).decode()}}} }} WHERE {{ {claimed} }}",
            insert_data({meta: [Triple(original, L.BPRM_linkChange, _token())]}),
        )
    )


def _token() -> Literal:
    """A fresh token: unique, so each one adds to the count."""
    return Literal(secrets.token_hex(16))
