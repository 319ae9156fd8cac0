"""Nested nodes that several Battery Pass aspects share: organisations, postal addresses, lists of objects."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from passport_registry.importers.document import compact
from passport_registry.importers.values import Converter, pointer


def organisation(conv: Converter, at: str, value: Any) -> dict[str, Any] | None:
    """An Organisation node from a Battery Pass contact (identifier, contactName, address, ...)."""
    if not isinstance(value, Mapping):
        conv.issue(at, value, "not an object")
        return None
    node: dict[str, Any] = {}
    for key, item in value.items():
        here = at + pointer(key)
        if key in ("identifier", "name", "contactName", "emailAddress"):
            node[key] = conv.text(here, item)
        elif key == "webAddress":
            node[key] = conv.iri(here, item)
        elif key == "postalAddress":
            node[key] = address(conv, here, item)
        else:
            conv.unmapped(here, item)
    return compact(node)


def address(conv: Converter, at: str, value: Any) -> dict[str, Any] | None:
    """A PostalAddress node; a country name becomes its ISO 3166-1 code."""
    if not isinstance(value, Mapping):
        conv.issue(at, value, "not an object")
        return None
    node: dict[str, Any] = {}
    for key, item in value.items():
        here = at + pointer(key)
        if key in ("streetAddress", "postalCode", "addressLocality"):
            node[key] = conv.text(here, item)
        elif key == "addressCountry":
            node[key] = conv.country(here, item)
        else:
            conv.unmapped(here, item)
    return compact(node)


def objects(
    conv: Converter,
    at: str,
    value: Any,
    one: Callable[[Converter, str, Mapping[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Each object of the list `value` converted by `one`; a non-object item is reported and skipped."""
    nodes = []
    for index, item in enumerate(conv.listed(at, value)):
        here = at + pointer(index)
        if isinstance(item, Mapping):
            nodes.append(one(conv, here, item))
        else:
            conv.issue(here, item, "not an object")
    return nodes
