"""The bundled JSON-LD context, prepared once so that parsing a passport does not pay for its scoped contexts.

The passport context writes controlled values as short codes (`"batteryCategory": "lmt"`) through terms
with `"@type": "@vocab"` and a property-scoped context `{"@vocab": <scheme IRI>}`. pyoxigraph processes
such a scoped context again at every use, which made a passport parse several times slower than the same
document without them. So for documents that use only our context, the codes are expanded to IRIs here
(exactly as JSON-LD's vocabulary-relative IRI expansion would) and the document is parsed with a flat
copy of the context in which those terms are plain `"@type": "@id"` terms. Anything unusual (another
context anywhere, a code that is itself a term) takes the ordinary path with the full context.

The same walk keeps what JSON-LD would silently drop. A code that is no IRI (`"Raw material
extraction"`, a label with spaces where a code is expected), or a link that is no IRI under an `@id`
term, vanishes in JSON-LD's IRI expansion, and the validator would then say the value is missing. Such a
value is written as a value object instead, so it reaches the validator as the literal the partner wrote
and is reported as a wrong value (`validation.messages` names the codes). A key that would expand to no
IRI (`"battery mass"`) has its offending characters percent-encoded, so the closed shapes report it by
name. A valid document is read exactly as JSON-LD reads it; an invalid one can never conform either way.

The context also knows the URLs that name it: the stable `CONTEXT_URL` always, and the URL a registry
serves it at (`named_also`). A document naming any of them is read with this context, never fetched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from pyoxigraph import NamedNode

from passport_registry.errors import UnparseableInput
from passport_registry.vocabulary.context import ActiveContext
from passport_registry.vocabulary.terms import CONTEXT_URL

# Stands in for the document's base when checking a relative reference: only its characters matter.
_ANY_BASE = "http://example.org/"


@dataclass(frozen=True, slots=True)
class JsonLdContext:
    """A context (the value of `@context`) and its flat variant for the fast path; immutable once built.

    `code_terms` maps each term whose values are codes to the IRI the codes are relative to, `link_terms`
    are the terms whose values are IRIs (`"@type": "@id"`), `vocab` is the context's `@vocab` (what an
    unknown key expands under); `urls` are the URLs that name this context (always `CONTEXT_URL`).
    """

    context: Mapping[str, Any]
    flat: Mapping[str, Any]
    code_terms: Mapping[str, str]
    urls: frozenset[str] = frozenset({CONTEXT_URL})
    link_terms: frozenset[str] = frozenset()
    vocab: str | None = None

    def named_also(self, urls: Iterable[str]) -> JsonLdContext:
        """This context, also read for documents that name it by any of `urls`."""
        return dataclasses.replace(self, urls=self.urls | frozenset(urls))

    def names(self, value: Any) -> bool:
        """Whether `value` (an `@context` entry) is one of the URLs of this context."""
        return isinstance(value, str) and value in self.urls

    @classmethod
    def prepare(cls, context: Mapping[str, Any], active: ActiveContext | None = None) -> JsonLdContext:
        """Find the code terms of `context` (`@type: @vocab` with a scoped context holding only `@vocab`).

        The terms are read by `vocabulary.context.ActiveContext` (`active`, when the caller already has
        it for this `context`); only the flat copy is made here.
        """
        if active is None:
            active = ActiveContext().scoped(context)
        codes: dict[str, str] = {}
        for term in active.terms.values():
            scoped = term.scoped_context
            if (
                term.type == "@vocab"
                and isinstance(scoped, Mapping)
                and set(scoped) == {"@vocab"}
                and isinstance(scoped["@vocab"], str)
            ):
                codes[term.key] = scoped["@vocab"]
        flat = {
            key: {**{k: v for k, v in definition.items() if k != "@context"}, "@type": "@id"}
            if key in codes
            else definition
            for key, definition in context.items()
        }
        vocab = context.get("@vocab")
        return cls(
            context=context,
            flat=flat,
            code_terms=codes,
            link_terms=frozenset(t.key for t in active.terms.values() if t.type == "@id" and not t.simple),
            vocab=vocab if isinstance(vocab, str) else None,
        )

    def expand_codes(self, body: Mapping[str, Any]) -> dict[str, Any] | None:
        """`body` (a document without its top-level `@context`) with every code written as its IRI, or
        None when the fast path does not apply (a nested `@context`, or a code that is also a term)."""
        try:
            expanded = self._node(body)
        except _NotFast:
            return None
        assert isinstance(expanded, dict)
        return expanded

    def _node(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._node(item) for item in value]
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "@context":
                raise _NotFast
            if key == "@value":
                out[key] = item
            elif key == "@id" and isinstance(item, str) and not _reference(item):
                raise UnparseableInput(
                    f'{item!r} is not an IRI, so it cannot name a node ("@id"): '
                    "leave @id out, or write an IRI without spaces."
                )
            elif key in self.code_terms:
                out[key] = self._codes(item, self.code_terms[key])
            elif key in self.link_terms:
                out[key] = self._links(item)
            elif key in self.context or key.startswith("@"):
                out[key] = self._node(item)
            else:
                out[self._unknown_key(key)] = self._node(item)
        return out

    def _codes(self, value: Any, vocab: str) -> Any:
        if isinstance(value, list):
            return [self._codes(item, vocab) for item in value]
        if isinstance(value, str):
            if value in self.context:
                raise _NotFast  # JSON-LD would expand the term, not the code
            if value.startswith("@"):
                return value  # a keyword: same under @id
            if ":" in value:  # absolute or compact IRI, or blank node: same under @id
                return (
                    value
                    if value.split(":", 1)[0] in self.context or _reference(value)
                    else {"@value": value}
                )
            return vocab + value if _reference(vocab + value) else {"@value": value}
        return self._node(value)

    def _links(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self._links(item) for item in value]
        if isinstance(value, str) and not (value.split(":", 1)[0] in self.context or _reference(value)):
            return {"@value": value}
        return self._node(value)

    def _unknown_key(self, key: str) -> str:
        """`key` as JSON-LD reads it under `@vocab`, its characters made IRI-safe if it would be dropped."""
        if ":" in key or self.vocab is None or _reference(self.vocab + key):
            return key
        return quote(key, safe="")


def _reference(text: str) -> bool:
    """Whether `text` is an IRI, or a reference that resolves to one against any base (no spaces, no
    characters IRIs exclude): what JSON-LD keeps rather than drops."""
    if text.startswith("_:"):
        return True
    try:
        NamedNode(text if ":" in text.split("/", 1)[0] else _ANY_BASE + text)
    except ValueError:
        return False
    return True


class _NotFast(Exception):
    """The document needs the full context."""
