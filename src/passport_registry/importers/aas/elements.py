"""Plain JSON values <-> AAS submodel elements (aas-core3.0 metamodel), both ways, losslessly.

Used for the registry's extension submodel (attributes IDTA-02035 has no element for) and for reading any
submodel as a tree of idShorts. The encoding: a string is a Property of xs:string, an integer one of
xs:integer, a boolean one of xs:boolean, a JSON number with a fraction one of xs:double; a language map
(a term with `@container: @language`) is a MultiLanguageProperty; any other object is a
SubmodelElementCollection of its members and a list a SubmodelElementList (order kept). JSON-LD keywords
and keys that are not valid idShorts keep their key in a `JsonKey` qualifier.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aas_core3 import types as aas

from passport_registry.jsonld import ContextIndex, json_integer

__all__ = ["JSON_KEY", "Leaf", "decode", "encode", "reference", "tree"]

#: Qualifier type that carries a JSON key that is not a valid idShort (`@id`, `@type`, a full IRI).
JSON_KEY = "JsonKey"
_ID_SHORT = re.compile(r"^[a-zA-Z][a-zA-Z0-9_-]*[a-zA-Z0-9_]+$")
_JSONLD = "http://www.w3.org/ns/json-ld#"


def reference(value: str, *, model: aas.KeyTypes | None = None) -> aas.Reference:
    """An external reference (a semanticId) to `value`, or a model reference when `model` is given."""
    if model is not None:
        return aas.Reference(aas.ReferenceTypes.MODEL_REFERENCE, [aas.Key(model, value)])
    return aas.Reference(
        aas.ReferenceTypes.EXTERNAL_REFERENCE, [aas.Key(aas.KeyTypes.GLOBAL_REFERENCE, value)]
    )


def encode(key: str | None, value: Any, context: ContextIndex) -> aas.SubmodelElement:
    """`value` (the JSON value of `key`; None inside a list) as a submodel element."""
    id_short: str | None = None
    qualifiers: list[aas.Qualifier] | None = None
    semantic: aas.Reference | None = None
    term = None
    if key is not None:
        if _ID_SHORT.match(key):
            id_short = key
        else:
            id_short = "jsonKey" + "".join(c for c in key if c.isalnum())[:60]
            qualifiers = [aas.Qualifier(JSON_KEY, aas.DataTypeDefXSD.STRING, value=key)]
        term = context.term_named(key)
        iri = term.iri if term is not None else _JSONLD + key[1:] if key.startswith("@") else key
        if ":" in iri:
            semantic = reference(iri)
    common: dict[str, Any] = {"id_short": id_short, "semantic_id": semantic, "qualifiers": qualifiers}
    if term is not None and term.is_language_map and isinstance(value, Mapping):
        texts = [
            aas.LangStringTextType(language, text)
            for language, texts in value.items()
            for text in (texts if isinstance(texts, list) else [texts])
        ]
        return aas.MultiLanguageProperty(value=texts, **common)
    if isinstance(value, Mapping):
        children = [encode(k, v, context) for k, v in value.items()]
        return aas.SubmodelElementCollection(value=children or None, **common)
    if isinstance(value, list):
        items = [encode(None, item, context) for item in value]
        kinds = {type(item) for item in items}
        item_kind = _KIND_OF[kinds.pop()] if len(kinds) == 1 else aas.AASSubmodelElements.SUBMODEL_ELEMENT
        value_type = None
        if item_kind is aas.AASSubmodelElements.PROPERTY:
            types = {item.value_type for item in items if isinstance(item, aas.Property)}
            if len(types) != 1:  # mixed value types: wrap each in a collection of one
                items = [aas.SubmodelElementCollection(value=[_with_id_short(i, "item")]) for i in items]
                item_kind = aas.AASSubmodelElements.SUBMODEL_ELEMENT_COLLECTION
            else:
                value_type = types.pop()
        return aas.SubmodelElementList(
            item_kind, value=items or None, order_relevant=True, value_type_list_element=value_type, **common
        )
    value_type, text = _property_value(value)
    return aas.Property(value_type, value=text, **common)


_KIND_OF: dict[type, aas.AASSubmodelElements] = {
    aas.Property: aas.AASSubmodelElements.PROPERTY,
    aas.MultiLanguageProperty: aas.AASSubmodelElements.MULTI_LANGUAGE_PROPERTY,
    aas.SubmodelElementCollection: aas.AASSubmodelElements.SUBMODEL_ELEMENT_COLLECTION,
    aas.SubmodelElementList: aas.AASSubmodelElements.SUBMODEL_ELEMENT_LIST,
}


def _with_id_short(element: aas.SubmodelElement, id_short: str) -> aas.SubmodelElement:
    element.id_short = id_short
    return element


def _property_value(value: Any) -> tuple[aas.DataTypeDefXSD, str | None]:
    if isinstance(value, bool):
        return aas.DataTypeDefXSD.BOOLEAN, "true" if value else "false"
    if isinstance(value, int):
        return aas.DataTypeDefXSD.INTEGER, str(value)
    if isinstance(value, float):
        return aas.DataTypeDefXSD.DOUBLE, repr(value)
    if value is None:
        return aas.DataTypeDefXSD.STRING, None
    return aas.DataTypeDefXSD.STRING, str(value)


def json_key(element: aas.SubmodelElement) -> str | None:
    """The JSON key an element stands for: its `JsonKey` qualifier, else its idShort."""
    for qualifier in element.qualifiers or ():
        if qualifier.type == JSON_KEY and qualifier.value is not None:
            return qualifier.value
    return element.id_short


def decode(element: aas.SubmodelElement) -> Any:
    """The JSON value an element encodes (the inverse of `encode` for what it writes)."""
    if isinstance(element, aas.Property):
        return _json_value(element.value, element.value_type)
    if isinstance(element, aas.MultiLanguageProperty):
        texts: dict[str, Any] = {}
        for lang in element.value or ():
            found = texts.get(lang.language)
            texts[lang.language] = (
                lang.text if found is None else [*(found if isinstance(found, list) else [found]), lang.text]
            )
        return texts
    if isinstance(element, aas.SubmodelElementCollection):
        children = list(element.value or ())
        if len(children) == 1 and children[0].id_short == "item" and not children[0].qualifiers:
            return decode(children[0])
        return {json_key(child) or "": decode(child) for child in children}
    if isinstance(element, aas.SubmodelElementList):
        return [decode(item) for item in element.value or ()]
    return Leaf(element.__class__.__name__, _other_value(element))


def _json_value(text: str | None, value_type: aas.DataTypeDefXSD) -> Any:
    if text is None:
        return None
    if value_type is aas.DataTypeDefXSD.BOOLEAN:
        return text.strip() in ("true", "1")
    if value_type is aas.DataTypeDefXSD.INTEGER:
        return json_integer(text.strip())
    if value_type is aas.DataTypeDefXSD.DOUBLE:
        return float(text)
    return text


@dataclass(frozen=True)
class Leaf:
    """An element that is not a Property, MultiLanguageProperty, collection or list (a File, a Range, a
    ReferenceElement, ...), as its model type and a JSON form of its value, for the import report."""

    model_type: str
    value: Any


def _other_value(element: aas.SubmodelElement) -> Any:
    if isinstance(element, aas.File):
        return (
            None if element.value is None else {"value": element.value, "contentType": element.content_type}
        )
    if isinstance(element, aas.Range):
        return (
            None if element.min is None and element.max is None else {"min": element.min, "max": element.max}
        )
    if isinstance(element, aas.ReferenceElement):
        return None if element.value is None else [key.value for key in element.value.keys]
    if isinstance(element, aas.Entity):
        statements = {json_key(s) or "": decode(s) for s in element.statements or ()}
        return {"globalAssetId": element.global_asset_id, "statements": statements} if statements else None
    return element.__class__.__name__


def tree(elements: list[aas.SubmodelElement] | None) -> dict[str, Any]:
    """A submodel's elements as nested JSON keyed by idShort: collections are objects, lists arrays,
    Properties their text (None when empty), MultiLanguageProperties language maps, others `Leaf`s."""
    found: dict[str, Any] = {}
    for element in elements or ():
        found[element.id_short or ""] = _tree_value(element)
    return found


def _tree_value(element: aas.SubmodelElement) -> Any:
    if isinstance(element, aas.Property):
        return element.value
    if isinstance(element, aas.SubmodelElementCollection):
        return tree(element.value)
    if isinstance(element, aas.SubmodelElementList):
        return [_tree_value(item) for item in element.value or ()]
    if isinstance(element, aas.MultiLanguageProperty):
        return Leaf("MultiLanguageProperty", decode(element) or None)
    return decode(element)
