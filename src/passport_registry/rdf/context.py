"""The bundled JSON-LD context, prepared once so that parsing a passport does not pay for its scoped contexts.

The passport context writes controlled values as short codes (`"batteryCategory": "lmt"`) through terms
with `"@type": "@vocab"` and a property-scoped context `{"@vocab": <scheme IRI>}`. pyoxigraph processes
such a scoped context again at every use, which made a passport parse several times slower than the same
document without them. So for documents that use only our context, the codes are expanded to IRIs here
(exactly as JSON-LD's vocabulary-relative IRI expansion would) and the document is parsed with a flat
copy of the context in which those terms are plain `"@type": "@id"` terms. Anything unusual (another
context anywhere, a code that is itself a term) takes the ordinary path with the full context.

The context also knows the URLs that name it: the stable `CONTEXT_URL` always, and the URL a registry
serves it at (`named_also`). A document naming any of them is read with this context, never fetched.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from passport_registry.resources import CONTEXT_URL


@dataclass(frozen=True, slots=True)
class JsonLdContext:
    """A context (the value of `@context`) and its flat variant for the fast path; immutable once built.

    `code_terms` maps each term whose values are codes to the IRI the codes are relative to; `urls` are
    the URLs that name this context (always including `CONTEXT_URL`).
    """

    context: Mapping[str, Any]
    flat: Mapping[str, Any]
    code_terms: Mapping[str, str]
    urls: frozenset[str] = frozenset({CONTEXT_URL})

    def named_also(self, urls: Iterable[str]) -> JsonLdContext:
        """This context, also read for documents that name it by any of `urls`."""
        return dataclasses.replace(self, urls=self.urls | frozenset(urls))

    def names(self, value: Any) -> bool:
        """Whether `value` (an `@context` entry) is one of the URLs of this context."""
        return isinstance(value, str) and value in self.urls

    @classmethod
    def prepare(cls, context: Mapping[str, Any]) -> JsonLdContext:
        """Find the code terms of `context` (`@type: @vocab` with a scoped context holding only `@vocab`)."""
        flat: dict[str, Any] = {}
        codes: dict[str, str] = {}
        for term, definition in context.items():
            scoped = definition.get("@context") if isinstance(definition, dict) else None
            if (
                isinstance(scoped, dict)
                and set(scoped) == {"@vocab"}
                and isinstance(scoped["@vocab"], str)
                and definition.get("@type") == "@vocab"
                and not term.startswith("@")
            ):
                codes[term] = scoped["@vocab"]
                flat[term] = {**{k: v for k, v in definition.items() if k != "@context"}, "@type": "@id"}
            else:
                flat[term] = definition
        return cls(context=context, flat=flat, code_terms=codes)

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
            elif key in self.code_terms:
                out[key] = self._codes(item, self.code_terms[key])
            else:
                out[key] = self._node(item)
        return out

    def _codes(self, value: Any, vocab: str) -> Any:
        if isinstance(value, list):
            return [self._codes(item, vocab) for item in value]
        if isinstance(value, str):
            if value in self.context:
                raise _NotFast  # JSON-LD would expand the term, not the code
            if ":" in value or value.startswith("@"):
                return value  # absolute or compact IRI, blank node or keyword: same under @id
            return vocab + value
        return self._node(value)


class _NotFast(Exception):
    """The document needs the full context."""
