"""Passport management: parse -> one root -> mint the IRI -> validate -> authorise -> store; reads by view.

Ownership: a passport belongs to the *organisation* of the economic operator that created it
(`User.organisation`, its economic operator identifier), so every user of one operator manages the same
passports. On create, the body's `operatorInformation.identifier` must be the caller's organisation
(403 otherwise); a replace may also keep the identifier the current version has (a passport imported
for an owner, or transferred to it). Admins hold no organisation and cannot write passports. Versions and
tombstones record the organisation as their author (`issued_by`, `ended_by`).

Lifecycle (Art. 77(7)-(8)) is explicit: a repurposed, re-used or remanufactured battery gets a new
passport through `create_successor`, which names the original as predecessor (a claim the original's
owner consents to or not: `services/links.py`; the original itself is never written by another
operator); a battery that became waste moves to a new responsible organisation through `transfer`; a
recycled battery's passport ends through `delete(..., recycled=True)` as a *ceased* tombstone, whose
history its owner and the authorities can still read. A plain replace may not make those status changes.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from passport_registry.access import ALL_GROUPS, AccessGroup
from passport_registry.accounts.models import User
from passport_registry.errors import (
    Forbidden,
    NotFound,
    ShapeViolation,
    UnprocessableInput,
)
from passport_registry.jsonld import compact
from passport_registry.rdf import ParseLimits, parse, prepared_context
from passport_registry.rdf.formats import JSON_LD
from passport_registry.roles import Role
from passport_registry.services.links import identifier_of, is_authority, shown_successors
from passport_registry.services.merge_patch import merge_patch, read_patch
from passport_registry.services.passport_input import battery_status, passport_root, passport_triples, rooted
from passport_registry.services.registry import Registry
from passport_registry.store import ListFilters, Page, PassportRecord, PassportSnapshot, Status
from passport_registry.store.records import VersionInfo
from passport_registry.validation import ValidationReport
from passport_registry.vocabulary.terms import (
    BPRV,
    CONTEXT_PATH,
    CONTEXT_URL,
    BPR_batteryStatus,
    BPR_identifier,
    BPR_operatorInformation,
    BPR_predecessor,
)

STATUS_VOCAB = BPRV + "status/"
STATUS_WASTE = NamedNode(STATUS_VOCAB + "waste")
#: Battery statuses that need a new passport linked to the original (Art. 77(7)).
DERIVED_STATUSES = frozenset(
    NamedNode(STATUS_VOCAB + code) for code in ("repurposed", "re-used", "remanufactured")
)

#: Random bytes in a minted passport id: 16 URL-safe characters.
ID_BYTES = 12
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

Node = NamedNode | BlankNode


@dataclass(frozen=True)
class View:
    """What one caller sees of one version of a passport: the triples of `groups` only."""

    snapshot: PassportSnapshot
    groups: frozenset[AccessGroup]
    is_owner: bool

    @property
    def iri(self) -> NamedNode:
        return self.snapshot.record.iri


@dataclass(frozen=True)
class Links:
    """The passports a passport is linked to by the lifecycle, as IRIs of this registry where known."""

    predecessors: list[str]
    successors: list[str]


class PassportService:
    """The passport operations; each method takes the acting user (None: anonymous) and checks it.

    Stateless apart from the shared `Registry`; one instance serves every request and thread.
    """

    def __init__(
        self,
        registry: Registry,
        base_url: str,
        *,
        max_bytes: int = 5 * 1024 * 1024,
        context_url: str | None = None,
    ) -> None:
        """`context_url` is where this registry's documents say their context is (default: served under
        `base_url`); input naming it, or the stable `CONTEXT_URL`, is read with the bundled context."""
        self.registry = registry
        self.base_url = base_url.rstrip("/")
        self.prefix = self.base_url + "/passports/"
        self.limits = ParseLimits(max_bytes=max_bytes)
        self.context_url = context_url or self.base_url + CONTEXT_PATH
        self.context = prepared_context(registry.vocabulary).named_also([self.context_url])

    # -- identifiers --------------------------------------------------------------------------

    def iri(self, passport_id: str) -> NamedNode:
        """The passport IRI for a path id; NotFound for an id this registry could never have minted."""
        if not 0 < len(passport_id) <= 64 or not set(passport_id) <= _ID_CHARS:
            raise NotFound(f"no passport {passport_id!r}")
        return NamedNode(self.prefix + passport_id)

    def id_of(self, iri: NamedNode) -> str:
        """The path id of a passport IRI of this registry."""
        return iri.value.removeprefix(self.prefix)

    def mint(self) -> NamedNode:
        """A fresh passport IRI `{base_url}/passports/{id}` (16 random URL-safe characters)."""
        return NamedNode(self.prefix + secrets.token_urlsafe(ID_BYTES))

    # -- input ----------------------------------------------------------------------------------

    def parse(self, body: bytes, media_type: str) -> list[Triple]:
        """The triples of a request body (all graphs merged). Raises UnsupportedMediaType,
        PayloadTooLarge, UnparseableInput, and UnprocessableInput for data in one of the registry's own
        graphs or a passport's (N-Quads, TriG) and for characters no output format could carry."""
        quads = parse(body, media_type, self.base_url + "/", context=self.context, limits=self.limits)
        return passport_triples(quads, self.prefix)

    def check(self, body: bytes, media_type: str) -> ValidationReport:
        """Validate a payload against the shapes without storing it. The payload must be one passport,
        the rule `create` applies (`passport_root`): UnprocessableInput otherwise, never "conforms"."""
        triples = self.parse(body, media_type)
        passport_root(triples)
        return self.registry.validator.validate(triples)

    def prepare(self, body: bytes, media_type: str, iri: NamedNode, *, adopt_other_iri: bool) -> list[Triple]:
        """Parse, find the one `bpr:BatteryPassport` root and make it `iri`, then validate.

        The root may be a blank node or `iri`; with `adopt_other_iri` any IRI (and nodes under its
        `#`) is renamed to `iri`. Raises UnprocessableInput (no single root, another passport's IRI)
        and ShapeViolation with every problem.
        """
        triples = rooted(self.parse(body, media_type), iri, adopt_other_iri=adopt_other_iri)
        self.validate(triples)
        return triples

    def validate(self, triples: Iterable[Triple]) -> None:
        """Raise ShapeViolation listing each problem (`ValidationReport.problems`), unless `triples`
        conform."""
        report = self.registry.validator.validate(triples)
        if report.conforms:
            return
        violations = report.to_json()["violations"]
        raise ShapeViolation(
            f"The passport does not conform to the shapes: {len(violations)} violation(s).",
            violations=violations,
        )

    # -- access ---------------------------------------------------------------------------------

    def groups_for(self, user: User | None, record: PassportRecord) -> frozenset[AccessGroup]:
        """The union of the groups each role of `user` reads; all groups for the owner."""
        if self.is_owner(user, record):
            return ALL_GROUPS
        policy = self.registry.policy
        if user is None or not user.roles:
            return policy.readable_groups(None)
        return frozenset().union(*(policy.readable_groups(role) for role in user.roles))

    @staticmethod
    def is_owner(user: User | None, record: PassportRecord) -> bool:
        return (
            user is not None
            and user.active
            and Role.ECONOMIC_OPERATOR in user.roles
            and user.organisation is not None
            and user.organisation == record.owner
        )

    @staticmethod
    def operator(user: User) -> str:
        """The organisation `user` writes passports for; Forbidden unless an economic operator with one."""
        if Role.ECONOMIC_OPERATOR not in user.roles or not user.organisation:
            raise Forbidden("Only an economic operator with an organisation may write passports.")
        return user.organisation

    def _require_owner(self, user: User, record: PassportRecord) -> str:
        organisation = self.operator(user)
        if organisation != record.owner:
            raise Forbidden(f"{record.iri.value} belongs to another economic operator.")
        return organisation

    @staticmethod
    def _check_operator(
        triples: list[Triple], root: NamedNode, organisation: str, kept: frozenset[str] = frozenset()
    ) -> None:
        named = operator_identifiers(triples, root)
        if named and named <= kept:
            return  # unchanged since the last version (examples loaded for an owner, or a transfer)
        if not named:
            raise UnprocessableInput(
                "The passport names no operatorInformation.identifier; it must be your organisation "
                f"{organisation!r}."
            )
        if organisation not in named:
            raise Forbidden(
                f"operatorInformation.identifier is {sorted(named)[0]!r}, not your organisation "
                f"{organisation!r}: an operator writes passports only in its own name.",
                organisation=organisation,
            )

    # -- writes ---------------------------------------------------------------------------------

    def create(self, user: User, body: bytes, media_type: str) -> PassportRecord:
        """Mint an IRI, validate and store version 1 owned by the caller's organisation.

        Raises Forbidden, UnsupportedMediaType, UnparseableInput, UnprocessableInput, ShapeViolation,
        Conflict (the battery already has a live passport). Nothing is stored on any error.
        """
        organisation = self.operator(user)
        iri = self.mint()
        triples = rooted(self.parse(body, media_type), iri, adopt_other_iri=True)
        self.validate(triples)
        self._check_operator(triples, iri, organisation)
        return self.registry.store.create(iri, organisation, triples)

    def replace(
        self, passport_id: str, user: User, body: bytes, media_type: str, expected_version: int | None
    ) -> PassportRecord:
        """Replace the passport with `body` as a new version; `expected_version` None means "whatever
        is current" (`If-Match: *`). Raises PreconditionFailed on a stale version, plus create's errors."""
        iri = self.iri(passport_id)
        record = self._live(iri)
        organisation = self._require_owner(user, record)
        triples = rooted(self.parse(body, media_type), iri, adopt_other_iri=False)
        return self._replace(record, triples, organisation, expected_version)

    def patch(
        self, passport_id: str, user: User, body: bytes, expected_version: int | None
    ) -> PassportRecord:
        """Apply a JSON merge patch (RFC 7396, the document `body`) to the owner's compacted JSON-LD form,
        then replace. Raises UnparseableInput for a body that is no JSON (or nests too deeply), plus
        replace's errors."""
        patch = read_patch(body, self.limits.max_depth)
        iri = self.iri(passport_id)
        record = self._live(iri)
        organisation = self._require_owner(user, record)
        snapshot = self.registry.store.get(iri, ALL_GROUPS)
        document = compact(snapshot.triples, iri, self.registry.context, CONTEXT_URL)
        patched = merge_patch(document, patch)
        if not isinstance(patched, dict):
            raise UnprocessableInput("A merge patch of a passport must be a JSON object.")
        patched.setdefault("@context", CONTEXT_URL)
        body = json.dumps(patched).encode("utf-8")
        triples = rooted(self.parse(body, JSON_LD), iri, adopt_other_iri=False)
        version = snapshot.version if expected_version is None else expected_version
        return self._replace(record, triples, organisation, version)

    def _replace(
        self, record: PassportRecord, triples: list[Triple], organisation: str, expected: int | None
    ) -> PassportRecord:
        self._check_status_change(record, triples, record.iri)
        self.validate(triples)
        current = self.registry.store.get(record.iri, ALL_GROUPS).triples
        kept = frozenset(operator_identifiers(current, record.iri))
        self._check_operator(triples, record.iri, organisation, kept)
        version = record.version if expected is None else expected
        return self.registry.store.replace(record.iri, triples, version, by=organisation)

    def delete(
        self, passport_id: str, user: User, expected_version: int | None, *, recycled: bool = False
    ) -> PassportRecord:
        """End the passport (owner only): deleted, or ceased when the battery was recycled. Its history
        is kept; later reads answer Gone with when and by whom."""
        iri = self.iri(passport_id)
        record = self._live(iri)
        organisation = self._require_owner(user, record)
        return self.registry.store.delete(
            iri,
            by=organisation,
            expected_version=expected_version,
            status=Status.CEASED if recycled else Status.DELETED,
        )

    def create_successor(self, original_id: str, user: User, body: bytes, media_type: str) -> PassportRecord:
        """A new passport for a repurposed, re-used or remanufactured battery (Art. 77(7)).

        Any economic operator may call it for a live passport: the new passport is owned by the caller's
        organisation, names the original's passport identifier as `predecessor` (added when missing),
        and must have battery status repurposed, re-used or remanufactured. The original is not
        written: it shows the new passport as its successor once its owner consents
        (`services/links.py`). Raises Forbidden, NotFound, Gone, UnprocessableInput, ShapeViolation,
        Conflict.
        """
        organisation = self.operator(user)
        original = self._live(self.iri(original_id))
        iri = self.mint()
        triples = rooted(self.parse(body, media_type), iri, adopt_other_iri=True)
        status = battery_status(triples, iri)
        if status not in DERIVED_STATUSES:
            raise UnprocessableInput(
                "A successor passport needs battery status repurposed, re-used or remanufactured.",
                batteryStatus=None if status is None else status.value,
            )
        link = original.facts.passport_identifier or identifier_of(
            self.registry.store.get(original.iri, {AccessGroup.PUBLIC}).triples, original.iri
        )
        if not any(
            t.subject == iri and t.predicate == BPR_predecessor
            for t in triples
            if t.object in (link, original.iri)
        ):
            triples.append(Triple(iri, BPR_predecessor, link))
        self.validate(triples)
        self._check_operator(triples, iri, organisation)
        return self.registry.store.create(iri, organisation, triples)

    def transfer(
        self, passport_id: str, user: User, organisation: str, expected_version: int | None
    ) -> PassportRecord:
        """The battery became waste (Art. 77(8)): its status becomes waste and responsibility (ownership)
        moves to `organisation` (a producer, producer responsibility organisation or waste management
        operator) in one write. Owner only; the new owner updates operatorInformation on its next write."""
        organisation = organisation.strip()
        if not organisation:
            raise UnprocessableInput("Name the organisation that takes responsibility.")
        iri = self.iri(passport_id)
        record = self._live(iri)
        current_owner = self._require_owner(user, record)
        snapshot = self.registry.store.get(iri, ALL_GROUPS)
        triples = [t for t in snapshot.triples if not (t.subject == iri and t.predicate == BPR_batteryStatus)]
        triples.append(Triple(iri, BPR_batteryStatus, STATUS_WASTE))
        self.validate(triples)
        version = snapshot.version if expected_version is None else expected_version
        return self.registry.store.replace(iri, triples, version, by=current_owner, owner=organisation)

    @staticmethod
    def _check_status_change(record: PassportRecord, triples: list[Triple], iri: NamedNode) -> None:
        new = battery_status(triples, iri)
        old = record.facts.battery_status
        if new == old or new is None:
            return
        if new in DERIVED_STATUSES:
            raise UnprocessableInput(
                f"A {new.value.removeprefix(STATUS_VOCAB)} battery gets a new passport linked to this one: "
                f"POST /passports/{{id}}/successors with the new passport.",
                batteryStatus=new.value,
            )
        if new == STATUS_WASTE:
            raise UnprocessableInput(
                "A battery becomes waste through POST /passports/{id}/transfer, which moves responsibility.",
                batteryStatus=new.value,
            )

    # -- reads ----------------------------------------------------------------------------------

    def record(self, passport_id: str) -> PassportRecord:
        """The registry metadata of a passport (tombstones too). Raises NotFound."""
        return self.registry.store.record(self.iri(passport_id))

    def _live(self, iri: NamedNode) -> PassportRecord:
        return self.registry.store.record(iri).live()

    def read(
        self,
        passport_id: str,
        user: User | None,
        *,
        version: int | None = None,
        at: datetime | None = None,
    ) -> View:
        """The caller's view of the current version, of `version`, or of the version current at `at`.

        Raises NotFound, Gone (ended: `status`, `ended_at`, `ended_by`).
        """
        iri = self.iri(passport_id)
        record = self.registry.store.record(iri)
        groups = self.groups_for(user, record)
        history = (version is not None or at is not None) and self.may_read_history(user, record)
        snapshot = self.registry.store.get(iri, groups, version=version, at=at, include_ended=history)
        return View(snapshot, groups, self.is_owner(user, record))

    def versions(self, passport_id: str, user: User | None) -> list[VersionInfo]:
        """Every version of a passport, oldest first. Raises NotFound, and Gone for an ended passport
        unless `user` may read its history."""
        iri = self.iri(passport_id)
        record = self.registry.store.record(iri)
        return self.registry.store.versions(iri, include_ended=self.may_read_history(user, record))

    def may_read_history(self, user: User | None, record: PassportRecord) -> bool:
        """Whether `user` reads the history of the passport even after it ended: its owner, and the
        notified bodies, market surveillance authorities and Commission (who check it)."""
        return self.is_owner(user, record) or is_authority(user)

    def list_owned(self, user: User, *, cursor: str | None, limit: int, filters: ListFilters) -> Page:
        """The caller organisation's passports, a page at a time. Raises Forbidden, BadRequest."""
        return self.registry.store.list_owned(
            self.operator(user), cursor=cursor, limit=limit, filters=filters
        )

    def resolve(self, passport_identifier: str) -> NamedNode:
        """The live passport here whose `batteryPassportIdentifier` (or IRI) is `passport_identifier`."""
        if passport_identifier.startswith(self.prefix):
            try:
                iri = NamedNode(passport_identifier)
            except ValueError:  # no IRI at all: no passport could have it
                raise NotFound(f"no live passport has the identifier {passport_identifier!r}") from None
            return self.registry.store.record(iri).iri
        found = self.registry.store.find(passport_identifier)
        if found is None:
            raise NotFound(f"no live passport has the identifier {passport_identifier!r}")
        return found

    def locate(self, identifier: str) -> NamedNode:
        """The live passport here that `identifier` names, in any form the passports carry: a passport
        IRI of this registry, a `batteryPassportIdentifier`, or a battery identifier
        (`productIdentifier`, e.g. the GS1 element string `(01)04012345000016(21)VX77NMC0004711`).
        Raises NotFound, and Gone for a passport IRI whose passport ended."""
        if identifier.startswith(self.prefix):
            return self._live(self.iri(identifier.removeprefix(self.prefix))).iri
        found = self.registry.store.find(identifier) or self.registry.store.find_product(identifier)
        if found is None:
            raise NotFound(f"no live passport has the passport or battery identifier {identifier!r}")
        return found

    def links(self, view: View) -> Links:
        """Predecessors and successors of the viewed passport, resolved to this registry's IRIs where
        they are passports here (identifiers of passports elsewhere are given as they are). The
        successors are those its owner consented to (`services/links.py`)."""
        record = view.snapshot.record
        predecessors = []
        for p in record.facts.predecessors:
            local = p if p.value.startswith(self.prefix) else self.registry.store.find(p.value)
            predecessors.append((local or p).value)
        names = list(record.names)
        if (named := identifier_of(view.snapshot.triples, view.iri)) not in names:
            names.append(named)
        successors = [s.value for s in shown_successors(self.registry.store, record, names)]
        return Links(predecessors, successors)


def operator_identifiers(triples: list[Triple], root: NamedNode) -> set[str]:
    """The `identifier`s of the root's `operatorInformation` nodes."""
    operators = {t.object for t in triples if t.subject == root and t.predicate == BPR_operatorInformation}
    return {
        t.object.value
        for t in triples
        if t.subject in operators and t.predicate == BPR_identifier and isinstance(t.object, Literal)
    }
