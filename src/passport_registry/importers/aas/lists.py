"""IDTA-02035 lists of collections <-> our lists of nodes and our recycled shares, both ways.

Two shapes that `mapping.ROWS` (one value, one element) cannot say:

- `NODE_LISTS`: a SubmodelElementList of collections is our list of nodes, member for member
  (IDTA-02035-6 `BatteryMaterials` is our `batteryMaterials`). A list goes to IDTA only when every member
  of every node has an element there; otherwise it stays whole in the extension submodel.
- IDTA-02035-7 `RecycledContentInformation` (one collection per material, with its pre- and
  post-consumer shares) is our eight `pre|postConsumerRecycled<Material>Share` attributes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aas_core3 import types as aas

from passport_registry.importers.aas.conversions import converted
from passport_registry.importers.aas.elements import reference
from passport_registry.importers.values import Converter, pointer

__all__ = ["NODE_LISTS", "RECYCLED", "Found", "Member", "NodeList", "aas_items", "json_items"]

_MC = "urn:samm:io.admin-shell.idta.batterypass.material_composition:1.0.1#"
_CI = "urn:samm:io.admin-shell.idta.batterypass.circularity:1.0.0#"


@dataclass(frozen=True)
class Member:
    """One member of our node at an idShort path inside the IDTA item collection."""

    member: str
    path: tuple[str, ...]
    conversion: str  # "text", "decimal", "boolean" or "code"
    value_type: aas.DataTypeDefXSD
    semantic_id: str
    scheme: str | None = None


@dataclass(frozen=True)
class NodeList:
    """Our list `key` as the IDTA list `id_short` (top level of `submodel`) of item collections."""

    submodel: str
    id_short: str
    key: str
    list_semantic_id: str
    item_semantic_id: str
    members: tuple[Member, ...]
    #: semanticIds of the collections inside an item, by idShort.
    collections: Mapping[str, str]


NODE_LISTS: tuple[NodeList, ...] = (
    NodeList(
        "MaterialComposition",
        "BatteryMaterials",
        "batteryMaterials",
        _MC + "batteryMaterials",
        _MC + "BatteryMaterial",
        (
            Member(
                "batteryMaterialLocation",
                ("BatteryMaterialLocation", "ComponentName"),
                "code",
                aas.DataTypeDefXSD.STRING,
                _MC + "componentName",
                "component",
            ),
            Member(
                "batteryMaterialIdentifier",
                ("BatteryMaterialIdentifier",),
                "text",
                aas.DataTypeDefXSD.STRING,
                _MC + "batteryMaterialIdentifier",
            ),
            Member(
                "batteryMaterialName",
                ("BatteryMaterialName",),
                "text",
                aas.DataTypeDefXSD.STRING,
                _MC + "batteryMaterialName",
            ),
            Member(
                "batteryMaterialMass",
                ("BatteryMaterialMass",),
                "decimal",
                aas.DataTypeDefXSD.FLOAT,
                _MC + "batteryMaterialMass",
            ),
            Member(
                "isCriticalRawMaterial",
                ("IsCriticalRawMaterial",),
                "boolean",
                aas.DataTypeDefXSD.BOOLEAN,
                _MC + "isCriticalRawMaterial",
            ),
        ),
        {"BatteryMaterialLocation": _MC + "batteryMaterialLocation"},
    ),
)

#: IDTA-02035-7 recycled content: list, item, members (idShort, semanticId) and our four materials.
RECYCLED = NodeList(
    "Circularity",
    "RecycledContentInformation",
    "",
    _CI + "recycledContent",
    _CI + "RecycledContent",
    (
        Member("pre", ("PreConsumerShare",), "decimal", aas.DataTypeDefXSD.FLOAT, _CI + "preConsumerShare"),
        Member(
            "material", ("RecycledMaterial",), "text", aas.DataTypeDefXSD.STRING, _CI + "recycledMaterial"
        ),
        Member(
            "post", ("PostConsumerShare",), "decimal", aas.DataTypeDefXSD.FLOAT, _CI + "postConsumerShare"
        ),
    ),
    {},
)
MATERIALS = ("Nickel", "Cobalt", "Lithium", "Lead")


def recycled_key(stage: str, material: str) -> str:
    """Our attribute for the `stage` ("pre" or "post") consumer share of `material` ("Nickel", ...)."""
    return f"{stage}ConsumerRecycled{material}Share"


# -- writing ---------------------------------------------------------------------------------------


def node_list_element(spec: NodeList, nodes: Any) -> aas.SubmodelElementList | None:
    """Our `nodes` as the IDTA list, or None when a node has a member (or a value) IDTA cannot hold."""
    if not isinstance(nodes, list) or not nodes:
        return None
    by_member = {m.member: m for m in spec.members}
    items: list[aas.SubmodelElement] = []
    for node in nodes:
        if not isinstance(node, Mapping) or not set(node) <= set(by_member):
            return None
        values: list[tuple[Member, str]] = []
        for name, value in node.items():
            text = _text(value, by_member[name])
            if text is None:
                return None
            values.append((by_member[name], text))
        items.append(_item(spec, values))
    return _list(spec, items)


def recycled_element(passport: Mapping[str, Any]) -> tuple[aas.SubmodelElementList | None, list[str]]:
    """Our recycled shares as the IDTA list, and the keys it took."""
    items: list[aas.SubmodelElement] = []
    taken: list[str] = []
    pre, material, post = RECYCLED.members
    for name in MATERIALS:
        values = [(material, name)]
        for stage, member in (("pre", pre), ("post", post)):
            value = passport.get(recycled_key(stage, name))
            if isinstance(value, str):
                values.append((member, value))
                taken.append(recycled_key(stage, name))
        if len(values) > 1:
            items.append(_item(RECYCLED, values))
    return (_list(RECYCLED, items) if items else None), taken


def _text(value: Any, member: Member) -> str | None:
    if member.conversion == "boolean":
        return ("true" if value else "false") if isinstance(value, bool) else None
    return value if isinstance(value, str) else None


def _item(spec: NodeList, values: list[tuple[Member, str]]) -> aas.SubmodelElementCollection:
    children: list[aas.SubmodelElement] = []
    for member, text in values:
        level = children
        for name in member.path[:-1]:
            found = next((e for e in level if e.id_short == name), None)
            if not isinstance(found, aas.SubmodelElementCollection):
                found = aas.SubmodelElementCollection(
                    id_short=name, semantic_id=reference(spec.collections[name]), value=[]
                )
                level.append(found)
            assert found.value is not None
            level = found.value
        level.append(
            aas.Property(
                member.value_type,
                id_short=member.path[-1],
                semantic_id=reference(member.semantic_id),
                value=text,
            )
        )
    return aas.SubmodelElementCollection(semantic_id=reference(spec.item_semantic_id), value=children)


def _list(spec: NodeList, items: list[aas.SubmodelElement]) -> aas.SubmodelElementList:
    return aas.SubmodelElementList(
        aas.AASSubmodelElements.SUBMODEL_ELEMENT_COLLECTION,
        id_short=spec.id_short,
        semantic_id=reference(spec.list_semantic_id),
        order_relevant=True,
        semantic_id_list_element=reference(spec.item_semantic_id),
        value=items,
    )


# -- reading ---------------------------------------------------------------------------------------

#: One item: its pointer, and each leaf (idShort path in the item -> pointer, value).
Found = tuple[str, dict[tuple[str, ...], tuple[str, Any]]]


def aas_items(element: aas.SubmodelElement, at: str) -> Iterator[Found]:
    """The items of an AAS list (or of a collection given instead of a list) with their leaves."""
    items = element.value if isinstance(element, aas.SubmodelElementList) else [element]
    for index, item in enumerate(items or ()):
        here = at + pointer("value", index) if isinstance(element, aas.SubmodelElementList) else at
        leaves: dict[tuple[str, ...], tuple[str, Any]] = {}
        _aas_leaves(
            item.value if isinstance(item, aas.SubmodelElementCollection) else [item], here, (), leaves
        )
        yield here, leaves


def _aas_leaves(
    elements: Any, at: str, path: tuple[str, ...], leaves: dict[tuple[str, ...], tuple[str, Any]]
) -> None:
    for index, element in enumerate(elements or ()):
        here = at + pointer("value", index)
        name = (*path, (element.id_short or "[]").casefold())
        if isinstance(element, aas.SubmodelElementCollection):
            _aas_leaves(element.value, here, name, leaves)
        elif isinstance(element, aas.Property):
            leaves[name] = (here + "/value", element.value)
        else:
            leaves[name] = (here, {"modelType": element.__class__.__name__})


def json_items(value: Any, at: str) -> Iterator[Found]:
    """The items of a SAMM payload's list with their leaves."""
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        here = at + pointer(index) if isinstance(value, list) else at
        leaves: dict[tuple[str, ...], tuple[str, Any]] = {}
        _json_leaves(item, here, (), leaves)
        yield here, leaves


def _json_leaves(
    value: Any, at: str, path: tuple[str, ...], leaves: dict[tuple[str, ...], tuple[str, Any]]
) -> None:
    if isinstance(value, Mapping) and not _language_map(value):
        for key, item in value.items():
            _json_leaves(item, at + pointer(key), (*path, key.casefold()), leaves)
    else:
        leaves[path] = (at, value)


def _language_map(value: Mapping[str, Any]) -> bool:
    return bool(value) and all(isinstance(k, str) and len(k) == 2 for k in value)


def read_nodes(conv: Converter, spec: NodeList, items: Iterator[Found]) -> list[dict[str, Any]]:
    """Our nodes from the items; leaves without a member, or that do not convert, are reported."""
    by_path = {tuple(p.casefold() for p in m.path): m for m in spec.members}
    nodes = []
    for _at, leaves in items:
        node: dict[str, Any] = {}
        for path, (where, value) in leaves.items():
            if value is None:
                continue
            member = by_path.get(path)
            if member is None:
                conv.unmapped(
                    where, value, f"no attribute in our model for {spec.id_short} item {'/'.join(path)}"
                )
                continue
            found = converted(conv, where, member.conversion, member.scheme, value)
            if found is not None:
                node[member.member] = found
        if node:
            nodes.append(node)
    return nodes


_STAGES: dict[tuple[str, ...], str] = {("preconsumershare",): "pre", ("postconsumershare",): "post"}


def read_recycled(conv: Converter, items: Iterator[Found]) -> list[tuple[str, str, Any]]:
    """(pointer, our key, value) for each share of the recycled-content items; an item of a material
    we have no attribute for, or a leaf that is neither share nor material, is reported."""
    found = []
    for _at, leaves in items:
        where, material = leaves.get(("recycledmaterial",), ("", None))
        name = next(
            (m for m in MATERIALS if isinstance(material, str) and material.casefold() == m.casefold()), None
        )
        for path, (here, value) in leaves.items():
            if value is None or path == ("recycledmaterial",):
                continue
            stage = _STAGES.get(path)
            if stage is None or name is None:
                what = "a material" if name is None and stage is not None else "an element"
                conv.unmapped(
                    here, value, f"RecycledContent: {what} our recycled shares do not cover ({material!r})"
                )
                continue
            member = RECYCLED.members[0] if stage == "pre" else RECYCLED.members[2]
            share = converted(conv, here, member.conversion, member.scheme, value)
            if share is not None:
                found.append((here, recycled_key(stage, name), share))
        if (
            name is None
            and material is not None
            and not any(v is not None for p, (_h, v) in leaves.items() if p != ("recycledmaterial",))
        ):
            conv.unmapped(where, material, "RecycledContent: a material our recycled shares do not cover")
    return found
