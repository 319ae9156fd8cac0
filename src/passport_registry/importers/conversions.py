"""Conversions built from tables and from other conversions, for the rules of `importers.tables`.

Each returns a `tables.Convert`: (converter, JSON Pointer, value) -> our value, or None with the issue
recorded. `Converter`'s own methods (`Converter.text`, `Converter.decimal`, ...) are conversions as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.importers.document import compact
from passport_registry.importers.tables import Convert, Node, Section, walk
from passport_registry.importers.values import Converter, pointer

__all__ = ["BY_NAME", "code", "document", "each", "node", "objects", "one_or_each", "wrap"]


def code(scheme: str, what: str) -> Convert:
    """Our code in concept scheme `scheme` for an upstream label (`what` names it in a report)."""
    return lambda conv, at, value: conv.code(at, value, scheme, what)


def node(section: Section, not_object: str = "not an object") -> Convert:
    """A nested node whose members `section` maps; a value that is no object is invalid (`not_object`)."""

    def convert(conv: Converter, at: str, value: Any) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            conv.issue(at, value, not_object)
            return None
        found = Node()
        walk(conv, found, at, value, section)
        return compact(found)

    return convert


def objects(one: Convert | Section, *, keep_empty: bool = True) -> Convert:
    """A list of nodes, each object of the source list converted by `one` (a section: `node`); an item
    that is not an object is invalid and skipped, and so is an empty node unless `keep_empty`."""
    convert = node(one) if isinstance(one, Section) else one

    def convert_all(conv: Converter, at: str, value: Any) -> list[Any]:
        found = []
        for index, item in enumerate(conv.listed(at, value)):
            here = at + pointer(index)
            if not isinstance(item, Mapping):
                conv.issue(here, item, "not an object")
                continue
            converted = convert(conv, here, item)
            if converted or keep_empty:
                found.append(converted)
        return found

    return convert_all


def each(convert: Convert) -> Convert:
    """The converted items of a source list (a value that is no list is invalid); failures left out."""

    def convert_all(conv: Converter, at: str, value: Any) -> list[Any]:
        found = (convert(conv, at + pointer(i), item) for i, item in enumerate(conv.listed(at, value)))
        return [item for item in found if item is not None]

    return convert_all


def one_or_each(convert: Convert) -> Convert:
    """`each`, where the source may give a single value for a list of one."""

    def convert_all(conv: Converter, at: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            found = [convert(conv, at, value)]
        else:
            found = [convert(conv, at + pointer(i), item) for i, item in enumerate(value)]
        return [item for item in found if item is not None]

    return convert_all


def wrap(member: str, convert: Convert, **fixed: str) -> Convert:
    """A node whose `member` is the converted value, and whose other members are `fixed` (an
    organisation known by its identifier; a document of a given type from its link)."""

    def wrapped(conv: Converter, at: str, value: Any) -> dict[str, Any] | None:
        found = convert(conv, at, value)
        return None if found is None else {member: found, **fixed}

    return wrapped


def document(kind: str) -> Convert:
    """Our document of type `kind` (a code of the document-type scheme) from its link."""
    return wrap("documentURL", Converter.iri, documentType=kind)


#: The conversions a table may name in words (the AAS rows of `aas.mapping` do).
BY_NAME: Mapping[str, Convert] = {
    "text": Converter.text,
    "decimal": Converter.decimal,
    "integer": Converter.integer,
    "date": Converter.date,
    "datetime": Converter.datetime,
    "boolean": Converter.boolean,
    "iri": Converter.iri,
}
