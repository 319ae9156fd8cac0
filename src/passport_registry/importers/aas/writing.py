"""A passport (compact JSON-LD, as one caller may see it) -> its AAS shell and IDTA-02035 submodels.

Each value with a row in `mapping.ROWS` goes to that IDTA element; every other attribute, and every member
of a node that a row takes only one member of, goes to the extension submodel. A submodel with no element
is left out, so an anonymous caller's shell lists only the submodels its public attributes fill.
Guarantee (tests/test_aas_round_trip.py): `reading.convert(environment(p))` denotes the same graph as `p`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aas_core3 import types as aas

from passport_registry.importers.aas import lists
from passport_registry.importers.aas.elements import encode, reference
from passport_registry.importers.aas.mapping import EXTENSION, ROWS, SUBMODELS, Row
from passport_registry.jsonld import ContextIndex

__all__ = ["ShellIds", "environment", "submodel_id"]

_ROOT_TYPE = "BatteryPassport"
_KIND_OF_TYPE: dict[str, aas.DataTypeDefXSD] = {t.value: t for t in aas.DataTypeDefXSD}


@dataclass(frozen=True)
class ShellIds:
    """How one passport is named in AAS terms: the shell's id and the prefix of its submodels' ids."""

    shell: str
    global_asset: str
    product: str | None


def submodel_id(shell_id: str, id_short: str) -> str:
    """The id of the passport's submodel `id_short`: the shell id, then `/submodels/` and the idShort."""
    return f"{shell_id}/submodels/{id_short}"


def environment(passport: Mapping[str, Any], ids: ShellIds, context: ContextIndex) -> aas.Environment:
    """The shell and the non-empty submodels that present `passport` (nothing in it is left out)."""
    remaining = {k: copy.deepcopy(v) for k, v in passport.items() if k not in ("@context", "@id")}
    root = passport.get("@id")
    if isinstance(root, str):
        _drop_node_ids(remaining, root + "#")
    if remaining.get("@type") == _ROOT_TYPE:
        del remaining["@type"]
    elements: dict[str, list[aas.SubmodelElement]] = {kind.id_short: [] for kind in SUBMODELS}
    for row in ROWS:
        value = _take(passport, remaining, row)
        if value is not None:
            _place(elements[row.submodel], row, value)
    for spec in lists.NODE_LISTS:
        element = lists.node_list_element(spec, remaining.get(spec.key))
        if element is not None:
            elements[spec.submodel].append(element)
            del remaining[spec.key]
    recycled, taken = lists.recycled_element(remaining)
    if recycled is not None:
        elements[lists.RECYCLED.submodel].append(recycled)
        for key in taken:
            del remaining[key]
    _drop_emptied(remaining)
    submodels = [
        _submodel(ids, kind.id_short, kind.semantic_id, found)
        for kind in SUBMODELS
        if (found := elements[kind.id_short])
    ]
    if remaining:
        extension = [encode(key, value, context) for key, value in remaining.items()]
        submodels.append(_submodel(ids, EXTENSION.id_short, EXTENSION.semantic_id, extension))
    specific = (
        [aas.SpecificAssetID("productIdentifier", ids.product, semantic_id=reference(context_iri(context)))]
        if ids.product
        else None
    )
    granularity = passport.get("granularity")
    shell = aas.AssetAdministrationShell(
        ids.shell,
        aas.AssetInformation(
            aas.AssetKind.TYPE if granularity == "model" else aas.AssetKind.INSTANCE,
            global_asset_id=ids.global_asset,
            specific_asset_ids=specific,
            asset_type="BatteryPassport",
        ),
        id_short="BatteryPassport",
        submodels=[reference(s.id, model=aas.KeyTypes.SUBMODEL) for s in submodels] or None,
    )
    return aas.Environment(asset_administration_shells=[shell], submodels=submodels or None)


def context_iri(context: ContextIndex) -> str:
    term = context.term_named("productIdentifier")
    return term.iri if term is not None else "productIdentifier"


def _take(passport: Mapping[str, Any], remaining: dict[str, Any], row: Row) -> str | list[str] | None:
    """The text of the value `row` carries (removed from `remaining`), or None when it has none or the
    value is not a single plain value (then it stays for the extension)."""
    value = passport.get(row.key)
    if row.member is not None:
        if not isinstance(value, Mapping):
            return None
        value = value.get(row.member)
    text: str | list[str] | None
    if row.list_semantic_id is not None and row.our_list:
        texts = [_text(item, row) for item in value] if isinstance(value, list) else [None]
        text = None if not texts or None in texts else [t for t in texts if t is not None]
    elif row.list_semantic_id is not None:
        single = _text(value, row)
        text = None if single is None else [single]
    else:
        text = _text(value, row)
    if text is None:
        return None
    if row.member is None:
        remaining.pop(row.key, None)
    elif isinstance(remaining.get(row.key), dict):
        remaining[row.key].pop(row.member, None)
    return text


def _text(value: Any, row: Row) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, list | Mapping):
        return None
    if row.conversion == "months":
        return f"P{value}M" if isinstance(value, int) else None
    if row.conversion == "integer":
        return str(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None
    if row.conversion == "decimal" and not isinstance(value, str):
        return None  # a JSON number here would read back as a string: keep it exact in the extension
    return str(value)


def _drop_node_ids(value: Any, scope: str) -> None:
    """Remove the `@id`s the registry gave the passport's own nodes (`<passport>#...`): they name blank
    nodes of the document the passport came from, and a reader gives them new names."""
    if isinstance(value, dict):
        if isinstance(value.get("@id"), str) and value["@id"].startswith(scope):
            del value["@id"]
        for child in value.values():
            _drop_node_ids(child, scope)
    elif isinstance(value, list):
        for child in value:
            _drop_node_ids(child, scope)


def _drop_emptied(remaining: dict[str, Any]) -> None:
    """Nodes whose members all went to IDTA elements  are not repeated."""
    for key in [k for k, v in remaining.items() if isinstance(v, dict) and not v]:
        del remaining[key]


def _place(elements: list[aas.SubmodelElement], row: Row, text: str | list[str]) -> None:
    """Put a Property (or a list of them) for `row` at its idShort path, creating the collections on
    the way."""
    level = elements
    for name in row.path[:-1]:
        found = next((e for e in level if e.id_short == name), None)
        if not isinstance(found, aas.SubmodelElementCollection):
            found = aas.SubmodelElementCollection(id_short=name, value=[])
            level.append(found)
        assert found.value is not None
        level = found.value
    value_type = _KIND_OF_TYPE[row.value_type]
    if isinstance(text, list):
        assert row.list_semantic_id is not None
        items: list[aas.SubmodelElement] = [
            aas.Property(value_type, semantic_id=reference(row.semantic_id), value=item) for item in text
        ]
        level.append(
            aas.SubmodelElementList(
                aas.AASSubmodelElements.PROPERTY,
                id_short=row.path[-1],
                semantic_id=reference(row.list_semantic_id),
                order_relevant=True,
                semantic_id_list_element=reference(row.semantic_id),
                value_type_list_element=value_type,
                value=items,
            )
        )
        return
    level.append(
        aas.Property(value_type, id_short=row.path[-1], semantic_id=reference(row.semantic_id), value=text)
    )


def _submodel(
    ids: ShellIds, id_short: str, semantic_id: str, elements: list[aas.SubmodelElement]
) -> aas.Submodel:
    return aas.Submodel(
        submodel_id(ids.shell, id_short),
        id_short=id_short,
        kind=aas.ModellingKind.INSTANCE,
        semantic_id=reference(semantic_id),
        submodel_elements=elements,
    )
