"""Our passports as AAS shells and IDTA-02035 submodels (read-only): the reads behind `/aas` (IDTA-01002).

Every read goes through `PassportService.read`, so a caller sees of a passport exactly the attributes its
access view holds (anonymous callers: the public ones) and the submodels those attributes fill. A shell's
id is the passport's registry IRI; its submodels' ids are that IRI, `/submodels/`, the submodel idShort.
Listings hold the caller organisation's own passports; anyone may find a passport by its asset id
(`assetIds`: the battery's product identifier, or the passport identifier).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from aas_core3 import jsonization
from aas_core3 import types as aas

from passport_registry.accounts.models import User
from passport_registry.errors import BadRequest, NotFound
from passport_registry.importers.aas import ShellIds, environment
from passport_registry.jsonld import compact
from passport_registry.resources import CONTEXT_URL
from passport_registry.roles import Role
from passport_registry.services.passports import PassportService, View
from passport_registry.store import ListFilters

__all__ = ["AasPage", "AasService", "decode_identifier", "value_only"]

#: Passports read a page at a time while listing.
_BATCH = 200


@dataclass(frozen=True)
class AasPage:
    """One page of a listing, as JSON; `cursor` is None on the last page."""

    result: list[Any]
    cursor: str | None

    def as_json(self) -> dict[str, Any]:
        paging = {} if self.cursor is None else {"cursor": self.cursor}
        return {"paging_metadata": paging, "result": self.result}


def decode_identifier(encoded: str) -> str:
    """An identifier from its base64url form (padding optional). Raises BadRequest."""
    try:
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8")
    except (binascii.Error, ValueError) as exc:
        raise BadRequest(f"{encoded!r} is not a base64url-encoded identifier") from exc


class AasService:
    """Builds shells and submodels from the caller's views; stateless apart from the passport service."""

    def __init__(self, passports: PassportService) -> None:
        self.passports = passports

    # -- one passport ---------------------------------------------------------------------------

    def environment(self, view: View) -> aas.Environment:
        """The shell and submodels of one view."""
        context = self.passports.registry.context
        document = compact(view.snapshot.triples, view.iri, context, CONTEXT_URL)
        product = document.get("productIdentifier")
        product = product if isinstance(product, str) else None
        named = view.snapshot.record.facts.passport_identifier
        ids = ShellIds(view.iri.value, product or (named or view.iri).value, product)
        return environment(document, ids, context)

    def view(self, shell_id: str, user: User | None) -> View:
        """The caller's view of the passport whose shell is `shell_id` (its registry IRI, or its passport
        identifier). Raises NotFound, Gone."""
        passports = self.passports
        if shell_id.startswith(passports.prefix):
            passport_id = shell_id[len(passports.prefix) :]
        else:
            found = passports.registry.store.find(shell_id)
            if found is None:
                raise NotFound(f"no shell {shell_id!r}")
            passport_id = passports.id_of(found)
        return passports.read(passport_id, user)

    def shell(self, shell_id: str, user: User | None) -> aas.AssetAdministrationShell:
        shells = self.environment(self.view(shell_id, user)).asset_administration_shells
        assert shells is not None and len(shells) == 1
        return shells[0]

    def submodel(self, submodel_id: str, user: User | None, shell_id: str | None = None) -> aas.Submodel:
        """The submodel `submodel_id` as the caller sees it (of shell `shell_id` when given). Raises NotFound
        when the passport has no such submodel in the caller's view."""
        owner, sep, _name = submodel_id.rpartition("/submodels/")
        if not sep or (shell_id is not None and owner != shell_id):
            raise NotFound(f"no submodel {submodel_id!r}" + (f" in shell {shell_id!r}" if shell_id else ""))
        for submodel in self.environment(self.view(owner, user)).submodels or ():
            if submodel.id == submodel_id:
                return submodel
        raise NotFound(f"no submodel {submodel_id!r} in what the caller may read")

    # -- listings -------------------------------------------------------------------------------

    def shells(
        self,
        user: User | None,
        *,
        limit: int,
        cursor: str | None,
        id_short: str | None = None,
        asset_ids: list[tuple[str, str]] | None = None,
    ) -> AasPage:
        """GetAllAssetAdministrationShells: the caller's shells, those of `asset_ids` (name, value)."""
        items = (
            jsonization.to_jsonable(shell)
            for env in self._environments(user, asset_ids)
            for shell in env.asset_administration_shells or ()
            if id_short is None or shell.id_short == id_short
        )
        return _page(items, limit, cursor)

    def submodels(
        self,
        user: User | None,
        *,
        limit: int,
        cursor: str | None,
        id_short: str | None = None,
        semantic_id: str | None = None,
    ) -> AasPage:
        """GetAllSubmodels: the submodels of the caller's passports, filtered by idShort and semanticId."""
        items = (
            jsonization.to_jsonable(submodel)
            for env in self._environments(user, None)
            for submodel in env.submodels or ()
            if (id_short is None or submodel.id_short == id_short)
            and (semantic_id is None or _first_key(submodel.semantic_id) == semantic_id)
        )
        return _page(items, limit, cursor)

    def submodel_refs(self, shell_id: str, user: User | None, *, limit: int, cursor: str | None) -> AasPage:
        shell = self.shell(shell_id, user)
        return _page((jsonization.to_jsonable(ref) for ref in shell.submodels or ()), limit, cursor)

    def _environments(
        self, user: User | None, asset_ids: list[tuple[str, str]] | None
    ) -> Iterator[aas.Environment]:
        store = self.passports.registry.store
        if asset_ids is not None:
            for _name, value in asset_ids:
                found = store.find_product(value) or store.find(value)
                if found is not None:
                    yield self.environment(self.passports.read(self.passports.id_of(found), user))
            return
        if user is None or Role.ECONOMIC_OPERATOR not in user.roles or not user.organisation:
            return
        cursor: str | None = None
        while True:
            page = self.passports.list_owned(user, cursor=cursor, limit=_BATCH, filters=ListFilters())
            for record in page.items:
                yield self.environment(self.passports.read(self.passports.id_of(record.iri), user))
            if page.next_cursor is None:
                return
            cursor = page.next_cursor


def _first_key(ref: aas.Reference | None) -> str | None:
    return ref.keys[0].value if ref is not None and ref.keys else None


def _page(items: Iterator[Any], limit: int, cursor: str | None) -> AasPage:
    """`limit` items from the position `cursor` names (an opaque base64url position)."""
    start = 0
    if cursor is not None:
        try:
            start = int(decode_identifier(cursor))
        except (BadRequest, ValueError) as exc:
            raise BadRequest(f"{cursor!r} is not a cursor this registry issued") from exc
        if start < 0:
            raise BadRequest(f"{cursor!r} is not a cursor this registry issued")
    result: list[Any] = []
    more = False
    for index, item in enumerate(items):
        if index < start:
            continue
        if len(result) == limit:
            more = True
            break
        result.append(item)
    following = base64.urlsafe_b64encode(str(start + limit).encode()).decode().rstrip("=") if more else None
    return AasPage(result, following)


def value_only(element: aas.Submodel | aas.SubmodelElement) -> Any:
    """The ValueOnly form (IDTA-01002 `$value`) of a submodel or element: collections as objects by
    idShort, lists as arrays, typed Property values as JSON values, language strings as [{lang: text}]."""
    if isinstance(element, aas.Submodel):
        return {e.id_short: value_only(e) for e in element.submodel_elements or ()}
    if isinstance(element, aas.SubmodelElementCollection):
        return {e.id_short: value_only(e) for e in element.value or ()}
    if isinstance(element, aas.SubmodelElementList):
        return [value_only(e) for e in element.value or ()]
    if isinstance(element, aas.MultiLanguageProperty):
        return [{text.language: text.text} for text in element.value or ()]
    if isinstance(element, aas.Property):
        return _typed(element.value, element.value_type)
    if isinstance(element, aas.File):
        return {"contentType": element.content_type, "value": element.value}
    return json.loads(json.dumps(jsonization.to_jsonable(element)))


def _typed(text: str | None, value_type: aas.DataTypeDefXSD) -> Any:
    if text is None:
        return None
    if value_type is aas.DataTypeDefXSD.BOOLEAN:
        return text == "true"
    if value_type in (aas.DataTypeDefXSD.INTEGER, aas.DataTypeDefXSD.UNSIGNED_INT, aas.DataTypeDefXSD.INT):
        return int(text)
    return text
