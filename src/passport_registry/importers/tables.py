"""Mapping tables, and the one walker that applies them to a source document.

A source model's sections are data. A `Section` maps each source key to a `Rule`: where the value goes in
our passport (`To` sets one attribute, `Add` appends to a multi-valued one, `ToEach` sets one from a
list), a nested object whose keys fill the same place (`Within`), or why it is not carried (`Unmapped`,
`Invalid`, `Skip`). A rule converts its value with a `Convert`: a `values.Converter` method such as
`Converter.decimal`, or one built in `importers.conversions` (`code`, `node`, `objects`, ...). `walk`
applies a section to one object and reports every key without a rule as unmapped, with the section's
reason; `Custom` keeps code for the few fields that need judgement.

Guarantee: every source value reaches exactly one rule (or the section's `otherwise`), so it is carried
or reported. To map a new source field, add a row to its section.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from passport_registry.importers.document import compact
from passport_registry.importers.values import NO_ATTRIBUTE, Converter, pointer

__all__ = [
    "Add",
    "Convert",
    "Custom",
    "EachWithin",
    "Invalid",
    "Node",
    "Section",
    "Sink",
    "Skip",
    "To",
    "ToEach",
    "Unmapped",
    "Within",
    "alike",
    "compact",
    "every_object",
    "walk",
]

#: (converter, JSON Pointer of the value, value) -> our value, or None with the issue recorded.
Convert = Callable[[Converter, str, Any], Any]


class Sink(Protocol):
    """Where a section's values go: the passport's root (`document.PassportDocument`) or a `Node`."""

    def set(self, converter: Converter, path: str, key: str, value: Any) -> None: ...

    def extend(self, key: str, values: list[Any]) -> None: ...

    def __contains__(self, key: str) -> bool: ...


class Node(dict[str, Any]):
    """A nested node being filled: a member is set as converted (None, already reported, is dropped by
    `compact`); the last of two source keys for one member wins."""

    def set(self, converter: Converter, path: str, key: str, value: Any) -> None:
        self[key] = value

    def extend(self, key: str, values: list[Any]) -> None:
        self.setdefault(key, []).extend(values)


@dataclass(frozen=True)
class Rule:
    """What to do with the value of one source key; `objects_only`: a value that is not a JSON object
    is reported unmapped (with the section's reason) instead."""

    objects_only: bool = field(default=False, kw_only=True)

    def accepts(self, value: Any) -> bool:
        return not self.objects_only or isinstance(value, Mapping)

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class To(Rule):
    """The converted value is our attribute `term` (at the root, a second, different value is an issue)."""

    term: str
    convert: Convert

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        sink.set(conv, at, self.term, self.convert(conv, at, value))


@dataclass(frozen=True)
class Add(Rule):
    """The converted value (one item, or a list of them) is added to our multi-valued `term`."""

    term: str
    convert: Convert

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        found = self.convert(conv, at, value)
        sink.extend(self.term, found if isinstance(found, list) else [] if found is None else [found])


@dataclass(frozen=True)
class ToEach(Rule):
    """Each value of the converted list is set as our single-valued `term` (so two that differ are an
    issue): a source list where our model holds one value."""

    term: str
    convert: Convert

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        for item in self.convert(conv, at, value):
            sink.set(conv, at, self.term, item)


@dataclass(frozen=True)
class Within(Rule):
    """The value is an object whose keys `section` maps into the same sink. `whole`: unless one of its
    keys has a rule, the object is reported unmapped as one value."""

    section: Section
    whole: bool = False

    def accepts(self, value: Any) -> bool:
        if not isinstance(value, Mapping):
            return False
        return not self.whole or any(key in self.section.rules for key in value)

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        walk(conv, sink, at, value, self.section)


@dataclass(frozen=True)
class EachWithin(Rule):
    """The value is a list of objects whose keys `section` maps into the same sink; an item that is
    not an object is invalid."""

    section: Section

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        for index, item in enumerate(conv.listed(at, value)):
            here = at + pointer(index)
            if isinstance(item, Mapping):
                walk(conv, sink, here, item, self.section)
            else:
                conv.issue(here, item, "not an object")


@dataclass(frozen=True)
class Unmapped(Rule):
    """Our model has no place for the value, for the reason given."""

    reason: str = NO_ATTRIBUTE

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        conv.unmapped(at, value, self.reason)


@dataclass(frozen=True)
class Invalid(Rule):
    """Our model has a place for the value, but the source does not give what it needs (the reason)."""

    reason: str

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        conv.issue(at, value, self.reason)


@dataclass(frozen=True)
class Skip(Rule):
    """The value is read elsewhere (a document's version, a unit read with its number)."""

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        return None


@dataclass(frozen=True)
class Custom(Rule):
    """Code for a value that needs judgement: `handle(converter, sink, pointer, value)`."""

    handle: Handler

    def apply(self, conv: Converter, sink: Sink, at: str, value: Any) -> None:
        self.handle(conv, sink, at, value)


@dataclass(frozen=True)
class Section:
    """The rules for the keys of one source object; a key without one is unmapped for `otherwise`."""

    rules: Mapping[str, Rule]
    otherwise: str = NO_ATTRIBUTE


def alike(convert: Convert, *keys: str) -> dict[str, Rule]:
    """Rows for source keys that are our terms as they are, each value converted by `convert`."""
    return {key: To(key, convert) for key in keys}


def walk(conv: Converter, sink: Sink, at: str, value: Mapping[str, Any], section: Section) -> None:
    """Apply `section` to each key of `value` (the object at pointer `at`), in the source's order."""
    for key, item in value.items():
        here = at + pointer(key)
        rule = section.rules.get(key)
        if rule is None or not rule.accepts(item):
            conv.unmapped(here, item, section.otherwise)
        else:
            rule.apply(conv, sink, here, item)


#: (converter, sink, JSON Pointer of the value, value): code for a value that needs judgement.
Handler = Callable[[Converter, Sink, str, Any], None]


def every_object(handle: Handler) -> Handler:
    """`handle` applied to each object of a source list (a value that is no list, or an item that is no
    object, is invalid)."""

    def handle_all(conv: Converter, sink: Sink, at: str, value: Any) -> None:
        for index, item in enumerate(conv.listed(at, value)):
            if isinstance(item, Mapping):
                handle(conv, sink, at + pointer(index), item)
            else:
                conv.issue(at + pointer(index), item, "not an object")

    return handle_all
