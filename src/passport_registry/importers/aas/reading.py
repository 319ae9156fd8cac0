"""IDTA-02035 AAS JSON (environments, submodels) and IDTA SAMM JSON payloads -> a passport in our JSON-LD.

Every element with a value is either carried (its row in `mapping.ROWS`, or the registry's extension
submodel) or reported: "unmapped" when our model has no attribute for it, "invalid" when the value
does not convert. Elements without a value (a template's empty slots) carry nothing and are not
reported. Several documents (the parts of one passport) make one passport; a value given twice with
different values is reported, never overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from aas_core3 import jsonization
from aas_core3 import types as aas

from passport_registry.errors import UnprocessableInput
from passport_registry.importers.aas import lists
from passport_registry.importers.aas.conversions import converted
from passport_registry.importers.aas.elements import Leaf, decode, json_key
from passport_registry.importers.aas.mapping import EXTENSION, ROWS, SUBMODELS, Row, SubmodelKind
from passport_registry.importers.document import CONTEXT_URL
from passport_registry.importers.report import ImportResult
from passport_registry.importers.supplement import supplemented
from passport_registry.importers.values import Converter, pointer

__all__ = ["AAS_SUPPORTED", "SOURCE", "convert"]

SOURCE = "IDTA-02035"
AAS_SUPPORTED = (
    "IDTA-02035 (Digital Battery Passport 1.0) AAS V3 JSON environments or submodels, the IDTA SAMM JSON "
    "payloads of its parts and of IDTA-02099 DPP metadata, and this registry's AAS view"
)
_ROWS: dict[tuple[str, tuple[str, ...]], Row] = {
    (row.submodel, tuple(p.casefold() for p in row.path) + (("[]",) if row.list_semantic_id else ())): row
    for row in ROWS
}
_KINDS = {kind.semantic_id: kind for kind in (*SUBMODELS, EXTENSION)}
_BY_ID_SHORT = {kind.id_short.casefold(): kind for kind in (*SUBMODELS, EXTENSION)}
LIST_ITEM = "[]"


class _Passport:
    """The passport being assembled: root attributes, and members of nodes several rows fill."""

    def __init__(self, conv: Converter) -> None:
        self.conv = conv
        self.root: dict[str, Any] = {}

    def set(self, at: str, key: str, member: str | None, value: Any, *, append: bool = False) -> None:
        if value is None:
            return
        if append:
            held = self.root.setdefault(key, [])
            if isinstance(held, list):
                held.append(value)
            else:
                self.conv.issue(at, value, f"{key} was already given a value that is not a list")
        elif member is None:
            self.merge(at, key, value)
        else:
            self.merge(at, key, {member: value})

    def merge(self, at: str, key: str, value: Any) -> None:
        """Add `value` under `key`; nodes merge member by member; a different value is an issue."""
        held = self.root.get(key)
        if held is None:
            self.root[key] = value
        elif isinstance(held, dict) and isinstance(value, Mapping):
            for member, item in value.items():
                if member in held and held[member] != item:
                    self.conv.issue(at, item, f"{key}.{member} was already given a different value")
                else:
                    held[member] = item
        elif held != value:
            self.conv.issue(at, value, f"{key} was already given a different value by another element")


def convert(documents: Sequence[Any], *, supplement: Mapping[str, Any] | None = None) -> ImportResult:
    """One passport from AAS documents (see `AAS_SUPPORTED`), and the issues met on the way.

    Raises UnprocessableInput (with `payload`, the index of the document at fault) when a document is none
    of those. Issue paths are JSON Pointers into the document; `source` is "IDTA-02035" (with `#n` for
    the n-th document when there are several).
    """
    issues = []
    root: dict[str, Any] = {}
    for index, document in enumerate(documents):
        conv = Converter(SOURCE if len(documents) == 1 else f"{SOURCE}#{index}")
        passport = _Passport(conv)
        passport.root = root
        try:
            _read(document, conv, passport)
        except UnprocessableInput as exc:
            raise UnprocessableInput(exc.detail, payload=index) from exc
        issues.extend(conv.issues)
    root_type = root.pop("@type", "BatteryPassport")
    result = {"@context": CONTEXT_URL, "@type": root_type, **root}
    return ImportResult(supplemented(result, supplement), issues)


def _read(document: Any, conv: Converter, passport: _Passport) -> None:
    if not isinstance(document, Mapping):
        raise UnprocessableInput(
            f"This is not an AAS document: a JSON object is expected. Supported: {AAS_SUPPORTED}."
        )
    if "submodels" in document or "assetAdministrationShells" in document:
        try:
            env = jsonization.environment_from_jsonable(document)
        except jsonization.DeserializationException as exc:
            raise UnprocessableInput(
                f"This is not a valid AAS V3 environment: {exc.path}: {exc.cause}"
            ) from exc
        for i, shell in enumerate(env.asset_administration_shells or ()):
            _shell(conv, passport, pointer("assetAdministrationShells", i), shell)
        for i, submodel in enumerate(env.submodels or ()):
            _submodel(conv, passport, pointer("submodels", i), submodel)
        return  # concept descriptions define terms; they hold no passport values
    if document.get("modelType") == "Submodel" or "submodelElements" in document:
        try:
            submodel = jsonization.submodel_from_jsonable(document)
        except jsonization.DeserializationException as exc:
            raise UnprocessableInput(f"This is not a valid AAS V3 submodel: {exc.path}: {exc.cause}") from exc
        _submodel(conv, passport, "", submodel)
        return
    kind = _payload_kind(document)
    if kind is None:
        given = ", ".join(sorted(document)[:5]) or "no keys"
        raise UnprocessableInput(
            f"This is not an AAS environment, submodel or IDTA-02035 payload (it has {given}). "
            f"Supported: {AAS_SUPPORTED}."
        )
    for key, value in document.items():
        if _read_list(conv, passport, kind, key, lists.json_items(value, pointer(key))):
            continue
        for at, path, leaf in _json_leaves(value, pointer(key), (key,)):
            _leaf(conv, passport, kind, at, path, leaf)


def _read_list(
    conv: Converter,
    passport: _Passport,
    kind: SubmodelKind,
    id_short: str | None,
    items: Iterator[lists.Found],
) -> bool:
    """Read a top-level list that `lists` maps (True), or leave it to the element walk (False)."""
    name = (id_short or "").casefold()
    for spec in lists.NODE_LISTS:
        if spec.submodel == kind.id_short and spec.id_short.casefold() == name:
            for node in lists.read_nodes(conv, spec, items):
                passport.set("", spec.key, None, node, append=True)
            return True
    spec = lists.RECYCLED
    if spec.submodel == kind.id_short and spec.id_short.casefold() == name:
        for where, key, value in lists.read_recycled(conv, items):
            passport.set(where, key, None, value)
        return True
    return False


def _payload_kind(document: Mapping[str, Any]) -> SubmodelKind | None:
    keys = set(document)
    found = [kind for kind in SUBMODELS if kind.markers & keys]
    return found[0] if len(found) == 1 else None


def _shell(conv: Converter, passport: _Passport, at: str, shell: aas.AssetAdministrationShell) -> None:
    info = shell.asset_information
    for i, specific in enumerate(info.specific_asset_ids or ()):
        here = at + pointer("assetInformation", "specificAssetIds", i)
        if specific.name == "productIdentifier":
            passport.set(here, "productIdentifier", None, conv.text(here + "/value", specific.value))
        else:
            conv.unmapped(here, {"name": specific.name, "value": specific.value})
    if info.global_asset_id is not None:
        conv.unmapped(
            at + "/assetInformation/globalAssetId",
            info.global_asset_id,
            "the asset's id; the passport is named by its batteryPassportIdentifier",
        )


def _submodel(conv: Converter, passport: _Passport, at: str, submodel: aas.Submodel) -> None:
    semantic = _first_key(submodel.semantic_id)
    kind = _KINDS.get(semantic or "") or _BY_ID_SHORT.get((submodel.id_short or "").casefold())
    elements = list(submodel.submodel_elements or ())
    if kind is EXTENSION:
        for i, element in enumerate(elements):
            key = json_key(element)
            here = at + pointer("submodelElements", i)
            if key is None:
                conv.issue(here, None, "an extension element without an idShort")
                continue
            value = decode(element)
            if key == "@type" and value == "BatteryPassport":
                continue
            passport.merge(here, key, value)
        return
    for i, element in enumerate(elements):
        here = at + pointer("submodelElements", i)
        if kind is not None and _read_list(
            conv, passport, kind, element.id_short, lists.aas_items(element, here)
        ):
            continue
        for where, path, value in _element_leaves(element, here, ()):
            if kind is None:
                if value is not None:
                    conv.unmapped(
                        where,
                        _jsonable(value),
                        f"submodel {semantic or submodel.id_short} is not part of IDTA-02035",
                    )
                continue
            _leaf(conv, passport, kind, where, path, value)


def _first_key(ref: aas.Reference | None) -> str | None:
    return ref.keys[0].value if ref is not None and ref.keys else None


def _element_leaves(
    element: aas.SubmodelElement, at: str, path: tuple[str, ...], *, item: bool = False
) -> Iterator[tuple[str, tuple[str, ...], Any]]:
    here = path if item else (*path, element.id_short or LIST_ITEM)
    if isinstance(element, aas.SubmodelElementCollection | aas.SubmodelElementList):
        for i, child in enumerate(element.value or ()):
            if isinstance(element, aas.SubmodelElementList):  # an item's idShort (if any) is not its path
                child_path: tuple[str, ...] = (*here, LIST_ITEM)
                yield from _element_leaves(child, at + pointer("value", i), child_path, item=True)
            else:
                yield from _element_leaves(child, at + pointer("value", i), here)
        return
    if isinstance(element, aas.Property):
        yield at + "/value", here, element.value
        return
    value = decode(element)
    if isinstance(value, Leaf):
        yield at, here, None if value.value is None else value
    else:
        yield at + "/value", here, Leaf(element.__class__.__name__, value) if value else None


def _json_leaves(value: Any, at: str, path: tuple[str, ...]) -> Iterator[tuple[str, tuple[str, ...], Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _json_leaves(item, at + pointer(key), (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _json_leaves(item, at + pointer(i), (*path, LIST_ITEM))
    else:
        yield at, path, value


def _leaf(
    conv: Converter, passport: _Passport, kind: SubmodelKind, at: str, path: tuple[str, ...], value: Any
) -> None:
    if value is None:
        return
    row = _ROWS.get((kind.id_short, tuple(p.casefold() for p in path)))
    if row is None or isinstance(value, Leaf):
        conv.unmapped(at, _jsonable(value), f"no attribute in our model for {kind.id_short} {'/'.join(path)}")
        return
    passport.set(
        at, row.key, row.member, converted(conv, at, row.conversion, row.scheme, value), append=row.our_list
    )


def _jsonable(value: Any) -> Any:
    return {"modelType": value.model_type, "value": value.value} if isinstance(value, Leaf) else value
