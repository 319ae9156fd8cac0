"""The one reading of a JSON-LD context: term definitions, and the views parsing, output and the schema need.

The slice of JSON-LD 1.1 context processing (section 4.1) our context uses: prefixes, `@vocab`, term
definitions with `@id`, `@type` coercion, `@container`, `@language` and property-scoped contexts. An
`ActiveContext` answers, for a property IRI, which plain-JSON key carries it and how its values are written
(`@type` coercion, `@container`), and, for a concept IRI given as an `@type: @vocab` value, which short code
expands to it; `ContextIndex` is its reverse view for compaction (IRI -> terms). Only local contexts are read:
a remote context (a string URL) is refused, never fetched.

>>> ctx = ActiveContext.from_document({"@context": {
...     "ex": "https://example.org/",
...     "colour": {"@id": "ex:colour", "@type": "@vocab"},
...     "red": "ex:colours/red"}})
>>> ctx.term_for_property("https://example.org/colour").key
'colour'
>>> ctx.code_for("https://example.org/colours/red")
'red'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from passport_registry.errors import UnprocessableInput

JSONLD_KEYWORD_PREFIX = "@"
GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")


@dataclass(frozen=True)
class TermDefinition:
    """One context term: its JSON key, the IRI it expands to, and how its values are written."""

    key: str
    iri: str
    type: str | None = None  # "@id", "@vocab", "@json", a datatype IRI, or None (native JSON values)
    container: frozenset[str] = frozenset()
    language: str | None = None
    scoped_context: Any = None  # the raw property-scoped "@context", applied to this term's values
    reverse: bool = False
    prefix: bool = False
    simple: bool = False  # defined by a bare string ("Label": "bpr:Label"): may name a class or a value
    vocab: str | None = None  # the scoped context's `@vocab`, expanded: what `@type: @vocab` codes are under

    @property
    def name(self) -> str:
        """The JSON key (the name compaction writes)."""
        return self.key

    @property
    def coercion(self) -> str | None:
        """The `@type` coercion: "@id", "@vocab", a datatype IRI, or None."""
        return self.type

    @property
    def is_set(self) -> bool:
        """Whether compacted JSON always writes this term's values as an array."""
        return bool(self.container & {"@set", "@list"})

    @property
    def is_language_map(self) -> bool:
        """Whether the term's values are a language map (`"@container": "@language"`)."""
        return "@language" in self.container


@dataclass(frozen=True)
class ActiveContext:
    """An active context built from local context definitions; immutable, derive scoped ones with `scoped`."""

    terms: Mapping[str, TermDefinition] = field(default_factory=dict)
    vocab: str | None = None
    keyword_aliases: Mapping[str, str] = field(default_factory=dict)  # alias -> keyword

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> ActiveContext:
        """The active context of a context document (`{"@context": ...}`); raises on remote contexts."""
        if "@context" not in document:
            raise UnprocessableInput("a JSON-LD context document needs a top-level '@context'")
        return cls().scoped(document["@context"])

    def scoped(self, local: Any) -> ActiveContext:
        """This context with `local` (a dict, a list of dicts, or None) processed on top of it."""
        if local is None:
            return self
        if isinstance(local, list):
            result = self
            for item in local:
                result = result.scoped(item)
            return result
        if isinstance(local, str):
            raise UnprocessableInput(f"remote JSON-LD context {local!r} is not fetched; inline it")
        if not isinstance(local, Mapping):
            raise UnprocessableInput(f"a JSON-LD context must be an object, got {type(local).__name__}")
        terms = dict(self.terms)
        aliases = dict(self.keyword_aliases)
        vocab = self.vocab
        if "@vocab" in local:
            vocab = None if local["@vocab"] is None else self._expand(local["@vocab"], terms, vocab)
        # Prefix definitions first, so that compact IRIs in other terms expand whatever the key order.
        pending = [(k, v) for k, v in local.items() if not k.startswith(JSONLD_KEYWORD_PREFIX)]
        pending.sort(key=lambda kv: not (isinstance(kv[1], str) and kv[1].endswith(GEN_DELIMS)))
        for key, value in pending:
            if value is None:
                terms.pop(key, None)
                continue
            raw = {"@id": value} if isinstance(value, str) else dict(value)
            target = raw.get("@id", raw.get("@reverse"))
            if isinstance(target, str) and target.startswith(JSONLD_KEYWORD_PREFIX):
                aliases[key] = target
                continue
            iri = self._expand(target if isinstance(target, str) else key, terms, vocab)
            coercion = raw.get("@type")
            if isinstance(coercion, str) and not coercion.startswith(JSONLD_KEYWORD_PREFIX):
                coercion = self._expand(coercion, terms, vocab)
            container = raw.get("@container", [])
            scoped = raw.get("@context")
            scoped_vocab = scoped.get("@vocab") if isinstance(scoped, Mapping) else None
            terms[key] = TermDefinition(
                key=key,
                iri=iri,
                type=coercion,
                container=frozenset([container] if isinstance(container, str) else container),
                language=raw.get("@language"),
                scoped_context=raw.get("@context"),
                reverse="@reverse" in raw,
                prefix=bool(raw.get("@prefix", isinstance(value, str) and iri.endswith(GEN_DELIMS))),
                simple=isinstance(value, str),
                vocab=self._expand(scoped_vocab, terms, vocab) if isinstance(scoped_vocab, str) else None,
            )
        return ActiveContext(terms=terms, vocab=vocab, keyword_aliases=aliases)

    @staticmethod
    def _expand(value: str, terms: Mapping[str, TermDefinition], vocab: str | None) -> str:
        if value in terms:
            return terms[value].iri
        prefix, sep, suffix = value.partition(":")
        if sep and not suffix.startswith("//") and prefix in terms:
            return terms[prefix].iri + suffix
        if sep:
            return value
        return (vocab or "") + value

    def expand(self, value: str) -> str:
        """The IRI a key or vocabulary-relative value expands to in this context."""
        return self._expand(value, self.terms, self.vocab)

    def term_for_property(self, iri: str) -> TermDefinition:
        """The term that carries property `iri`; the compact or full IRI as key when no term maps it.

        When several terms map the same IRI, the one without coercion-free ambiguity is taken in a stable
        order: a term with a type coercion or container first, then the shortest key, then alphabetical.
        """
        candidates = [t for t in self.terms.values() if t.iri == iri and not t.reverse and not t.prefix]
        if candidates:
            candidates.sort(key=lambda t: (t.type is None and not t.container, len(t.key), t.key))
            return candidates[0]
        return TermDefinition(key=self.compact(iri), iri=iri)

    def compact(self, iri: str) -> str:
        """`iri` as the shortest compact IRI this context can expand, else the IRI itself."""
        options = [
            f"{t.key}:{iri[len(t.iri) :]}"
            for t in self.terms.values()
            if t.prefix and iri.startswith(t.iri) and len(iri) > len(t.iri)
        ]
        return min(options, key=lambda s: (len(s), s)) if options else iri

    def code_for(self, iri: str) -> str:
        """The shortest string that expands back to `iri` as an `@type: @vocab` value in this context.

        Tries a term mapped to `iri`, then the `@vocab`-relative form, then a compact IRI, then `iri`.
        """
        named = sorted((t.key for t in self.terms.values() if t.iri == iri and not t.reverse), key=len)
        if named:
            return named[0]
        if self.vocab and iri.startswith(self.vocab):
            suffix = iri[len(self.vocab) :]
            if suffix and ":" not in suffix and suffix not in self.terms:
                return suffix
        return self.compact(iri)

    def spellings_of(self, iri: str) -> list[str]:
        """Every `@type` value this context expands to `iri`: terms, compact IRIs and the IRI, sorted."""
        found = {t.key for t in self.terms.values() if t.iri == iri and not t.reverse}
        found.update(
            f"{t.key}:{iri[len(t.iri) :]}"
            for t in self.terms.values()
            if t.prefix and iri.startswith(t.iri) and len(iri) > len(t.iri)
        )
        if self.vocab and iri.startswith(self.vocab):
            suffix = iri[len(self.vocab) :]
            if suffix and ":" not in suffix and suffix not in self.terms:
                found.add(suffix)
        found.add(iri)
        return sorted(found)

    def keys_for(self, keyword: str) -> list[str]:
        """The JSON keys that stand for `keyword` (e.g. "@type"): the keyword and its aliases, sorted."""
        return sorted({keyword, *(alias for alias, kw in self.keyword_aliases.items() if kw == keyword)})


class ContextIndex:
    """The reverse view of an active context that compaction needs: IRI -> terms, and prefixes.

    Built once from an `ActiveContext` (or a context document); immutable afterwards, so one instance
    serves every request.

    >>> index = ContextIndex({"@context": {"ex": "https://example.org/", "Thing": "ex:Thing"}})
    >>> index.compact_iri("https://example.org/Thing"), index.compact_iri("https://example.org/Other")
    ('Thing', 'ex:Other')
    """

    def __init__(self, context: ActiveContext | Mapping[str, Any]) -> None:
        """`context` is an active context, a context document (`{"@context": ...}`) or a bare context."""
        if not isinstance(context, ActiveContext):
            context = ActiveContext().scoped(context.get("@context", context))
        self.active = context
        self.vocab: str | None = context.vocab
        self.prefixes: dict[str, str] = {
            t.key: t.iri for t in context.terms.values() if t.simple and t.iri.endswith(("#", "/"))
        }
        self._defined = set(context.terms) | set(context.keyword_aliases)
        self._by_iri: dict[str, list[TermDefinition]] = {}
        self._class_terms: dict[str, str] = {}
        self._by_name: dict[str, TermDefinition] = {}
        for term in context.terms.values():
            if term.key in self.prefixes or term.reverse:
                continue
            if term.simple:
                # A bare string definition may name a class or a controlled value as well as a property.
                self._class_terms.setdefault(term.iri, term.key)
            self._by_iri.setdefault(term.iri, []).append(term)
        for terms in self._by_iri.values():
            for term in terms:
                self._by_name.setdefault(term.key, term)

    def term_named(self, name: str) -> TermDefinition | None:
        """The term the context defines under `name`, if any."""
        return self._by_name.get(name)

    def terms_for(self, iri: str) -> list[TermDefinition]:
        """Every term that expands to `iri`, in the context's order."""
        return self._by_iri.get(iri, [])

    def key_for(self, iri: str) -> str:
        """The key of a property no term defines: vocabulary-relative under `@vocab`, else the full IRI."""
        if self.vocab and iri.startswith(self.vocab):
            local = iri[len(self.vocab) :]
            if local and ":" not in local and "/" not in local and local not in self._defined:
                return local
        return iri

    def compact_iri(self, iri: str) -> str:
        """A class or type IRI as its term, else as a CURIE, else unchanged."""
        term = self._class_terms.get(iri)
        if term is not None:
            return term
        for prefix, namespace in self.prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri
