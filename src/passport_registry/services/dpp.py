"""The EN 18222 Life Cycle operations over our passports: every one goes through `PassportService`, so
the same accounts, ownership, access views, validation, versions and tombstones apply.

A DPP identifier (`dppId`) is the passport's `batteryPassportIdentifier` (what `digitalProductPassportId`
shows), its registry IRI, or the last segment of that IRI. Writes take compressed documents only
(`services/dpp_documents.py`); an update sets `lastUpdate` to the time of the write unless it sets it
itself, as EN 18222 asks. A passport ends here only as EN 18222 and Art. 77(9) allow: a battery that
became waste may be deleted (recycled: the passport *ceases*, its history kept); any other is a Conflict.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from passport_registry.accounts.models import User
from passport_registry.clock import utc_now
from passport_registry.errors import BadRequest, Conflict, Forbidden, NotFound
from passport_registry.jsonld import compact
from passport_registry.rdf.formats import JSON_LD
from passport_registry.services import element_paths
from passport_registry.services.dpp_documents import DppDocuments
from passport_registry.services.merge_patch import merge_patch
from passport_registry.services.passports import STATUS_WASTE, PassportService, View
from passport_registry.store import PassportRecord
from passport_registry.vocabulary.terms import CONTEXT_URL

Representation = Literal["compressed", "full"]


@dataclass(frozen=True)
class IdPage:
    """One page of `ids_by_product_ids`; `cursor` is None on the last page."""

    items: list[str]
    cursor: str | None


class DppService:
    """EN 18222 operations; stateless apart from the passport service, one instance for every request."""

    def __init__(self, passports: PassportService, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.passports = passports
        registry = passports.registry
        self.documents = DppDocuments(registry.catalogue, registry.context, CONTEXT_URL)
        self.clock = clock

    # -- identifiers ----------------------------------------------------------------------------

    def passport_id(self, dpp_id: str) -> str:
        """The registry id of the passport a DPP identifier names. Raises NotFound."""
        passports = self.passports
        if dpp_id.startswith(passports.prefix):
            return dpp_id[len(passports.prefix) :]
        if ":" not in dpp_id:
            return dpp_id  # a registry id; `PassportService.iri` refuses what it could not be
        found = passports.registry.store.find(dpp_id)
        if found is None:
            raise NotFound(f"no live passport has the DPP identifier {dpp_id!r}")
        return passports.id_of(found)

    def dpp_id_of(self, record: PassportRecord) -> str:
        """The `digitalProductPassportId` of a passport: its identifier, else its registry IRI."""
        named = record.facts.passport_identifier
        return (named or record.iri).value

    # -- reads ----------------------------------------------------------------------------------

    def document(self, view: View) -> dict[str, Any]:
        """The compressed document of a view."""
        compacted = compact(view.snapshot.triples, view.iri, self.passports.registry.context, CONTEXT_URL)
        issued = view.snapshot.issued.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return self.documents.to_dpp(compacted, fallback_id=view.iri.value, issued=issued)

    def represent(self, view: View, representation: Representation) -> dict[str, Any]:
        document = self.document(view)
        return self.documents.full(document) if representation == "full" else document

    def read(
        self, dpp_id: str, user: User | None, representation: Representation, *, at: datetime | None = None
    ) -> tuple[View, dict[str, Any]]:
        """ReadDPPById and ReadDPPVersionByIdAndDate: the caller's view. Raises NotFound, Gone."""
        view = self.passports.read(self.passport_id(dpp_id), user, at=at)
        return view, self.represent(view, representation)

    def read_by_product(
        self, product_id: str, user: User | None, representation: Representation
    ) -> tuple[View, dict[str, Any]]:
        """ReadDPPByProductId: the live passport of the battery `product_id`. Raises NotFound."""
        found = self.passports.registry.store.find_product(product_id)
        if found is None:
            raise NotFound(f"no live passport for the product {product_id!r}")
        view = self.passports.read(self.passports.id_of(found), user)
        return view, self.represent(view, representation)

    def ids_by_product_ids(self, product_ids: list[str], limit: int, cursor: str | None) -> IdPage:
        """ReadDPPIdsByProductIds: the DPP identifiers of the live passports of `product_ids` (those with
        none are left out), in the order asked. `cursor` (opaque) is the position in `product_ids` to go
        on from; it belongs to that same list. Raises BadRequest on a cursor this list did not issue."""
        start = _decode_cursor(cursor, len(product_ids))
        items: list[str] = []
        position = start
        store = self.passports.registry.store
        while position < len(product_ids) and len(items) < limit:
            found = store.find_product(product_ids[position])
            position += 1
            if found is not None:
                items.append(self.dpp_id_of(store.record(found)))
        more = any(store.find_product(p) is not None for p in product_ids[position:])
        return IdPage(items, _encode_cursor(position) if more else None)

    def read_element(
        self, dpp_id: str, path: str, user: User | None, representation: Representation
    ) -> tuple[View, Any]:
        """ReadDataElement: the value at an RFC 9535 normalized path of the caller's compressed document
        (or its DataElement). Raises BadRequest, NotFound."""
        steps = element_paths.parse(path)
        view = self.passports.read(self.passport_id(dpp_id), user)
        value = element_paths.select(self.document(view), steps)
        if representation == "full":
            name = next((s for s in reversed(steps) if isinstance(s, str)), "$")
            return view, self.documents.element(name, value)
        return view, value

    # -- writes ---------------------------------------------------------------------------------

    def create(self, user: User, document: Any) -> tuple[PassportRecord, str]:
        """CreateDPP: a new passport from a compressed document, owned by the caller's organisation.

        Raises Forbidden, BadRequest, ShapeViolation, Conflict (the passport identifier or the battery
        already has a live passport). Nothing is stored on any error.
        """
        self.passports.operator(user)
        passport = self.documents.to_jsonld(document)
        identifier = passport.get("batteryPassportIdentifier")
        if isinstance(identifier, str) and self.passports.registry.store.find(identifier) is not None:
            raise Conflict(
                f"{identifier!r} already names a live passport.", digitalProductPassportId=identifier
            )
        record = self.passports.create(user, json.dumps(passport).encode("utf-8"), JSON_LD)
        return record, self.dpp_id_of(record)

    def update(
        self, dpp_id: str, user: User, patch: Any, expected_version: int | None
    ) -> tuple[View, dict[str, Any]]:
        """UpdateDPPById: a JSON merge patch (RFC 7396) of the compressed document, stored as a new
        version. `expected_version` None: the version the patch was applied to. Raises Forbidden,
        NotFound, Gone, BadRequest, ShapeViolation, PreconditionFailed, UnprocessableInput."""
        view = self._owned(dpp_id, user)
        current = self.document(view)
        patched = merge_patch(current, patch)
        if not isinstance(patched, dict):
            raise BadRequest("A merge patch of a DPP is a JSON object.")
        return self._write(view, user, current, patched, expected_version)

    def update_element(
        self, dpp_id: str, path: str, user: User, value: Any, expected_version: int | None
    ) -> tuple[View, Any]:
        """UpdateDataElement: set the element at `path` to `value` (null removes a member); answers its
        stored value. Raises what `update` raises."""
        steps = element_paths.parse(path)
        view = self._owned(dpp_id, user)
        current = self.document(view)
        patched = element_paths.replaced(current, steps, value)
        written, stored = self._write(view, user, current, patched, expected_version)
        try:
            return written, element_paths.select(stored, steps)
        except NotFound:
            return written, None

    def delete(self, dpp_id: str, user: User, expected_version: int | None) -> None:
        """DeleteDPPById: only for a battery that became waste (it was recycled, Art. 77(9)): the passport
        ceases, its history kept. Raises Forbidden, NotFound, Gone, Conflict (any other battery: the
        regulation keeps its passport), PreconditionFailed."""
        passport_id = self.passport_id(dpp_id)
        view = self.passports.read(passport_id, user)
        if not view.is_owner:
            raise Forbidden(f"{view.iri.value} belongs to another economic operator.")
        status = view.snapshot.record.facts.battery_status
        if status != STATUS_WASTE:
            code = None if status is None else status.value.rsplit("/", 1)[-1]
            raise Conflict(
                "The regulation keeps a battery passport until the battery is recycled (Art. 77(9)): "
                f"this battery's status is {code or 'not given'}, not waste. A passport issued in error "
                "is withdrawn with DELETE /passports/{id}.",
                batteryStatus=code,
            )
        version = view.snapshot.version if expected_version is None else expected_version
        self.passports.delete(passport_id, user, version, recycled=True)

    def _owned(self, dpp_id: str, user: User) -> View:
        self.passports.operator(user)
        view = self.passports.read(self.passport_id(dpp_id), user)
        if not view.is_owner:
            raise Forbidden(f"{view.iri.value} belongs to another economic operator.")
        return view

    def _write(
        self,
        view: View,
        user: User,
        current: dict[str, Any],
        patched: dict[str, Any],
        expected_version: int | None,
    ) -> tuple[View, dict[str, Any]]:
        if patched.get("lastUpdate") == current.get("lastUpdate"):
            patched["lastUpdate"] = self.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        passport = self.documents.to_jsonld(patched)
        version = view.snapshot.version if expected_version is None else expected_version
        body = json.dumps(passport).encode("utf-8")
        passport_id = self.passports.id_of(view.iri)
        self.passports.replace(passport_id, user, body, JSON_LD, version)
        written = self.passports.read(passport_id, user)
        return written, self.document(written)


def _encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"p{position}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None, size: int) -> int:
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        position = int(text[1:]) if text.startswith("p") and text[1:].isdigit() else -1
    except (binascii.Error, ValueError, UnicodeDecodeError):
        position = -1
    if not 0 < position <= size:
        raise BadRequest("The cursor is not one this list of product identifiers was given.")
    return position
