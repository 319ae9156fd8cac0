"""Compacted JSON-LD built straight from a passport's triples, driven by our one bundled context.

Framing with pyld at request time costs ~11 ms a passport; walking the triples once costs well under 1 ms.
The builder understands the subset of JSON-LD 1.1 our context uses (prefixes, `@vocab`, term definitions with
`@id`, `@type` coercion to `@id`, `@vocab` or a datatype, `@container: @set`, property-scoped `@vocab` for
controlled values). Its guarantee, checked in the tests with pyld as the oracle: expanding the output with our
context gives back exactly the input triples, every literal in the lexical form it has in the store.

Numbers follow one convention (docs/model.md): a value coerced to `xsd:decimal` (or any datatype but
`xsd:integer` and `xsd:boolean`) is written as its lexical form, a JSON string. A JSON number would not
survive: JSON-LD 1.1 (API, Object to RDF Conversion) writes a number with a fraction, or any number of
10^21 or more, in the canonical *double* form, so `0.031` under an `xsd:decimal` coercion becomes the
ill-typed `"3.1E-2"^^xsd:decimal` in every conformant processor. Integers below 10^21 stay JSON numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from passport_registry.vocabulary.context import ContextIndex
from passport_registry.vocabulary.context import TermDefinition as Term

__all__ = ["ContextIndex", "Term", "compact", "json_integer"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_BOOLEAN = XSD + "boolean"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class _Builder:
    def __init__(self, triples: Iterable[Triple], index: ContextIndex) -> None:
        self.index = index
        self.by_subject: dict[str, list[Triple]] = defaultdict(list)
        for triple in triples:
            self.by_subject[_node_key(triple.subject)].append(triple)
        self.emitted: set[str] = set()

    def node(self, subject: NamedNode | BlankNode) -> dict[str, Any]:
        key = _node_key(subject)
        self.emitted.add(key)
        out: dict[str, Any] = {"@id": _node_id(subject)}
        types: list[str] = []
        values: dict[str, list[Any]] = defaultdict(list)
        set_keys: set[str] = set()
        language_maps: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for triple in self.by_subject.get(key, []):
            predicate = triple.predicate.value
            if predicate == RDF_TYPE and isinstance(triple.object, NamedNode):
                types.append(self.index.compact_iri(triple.object.value))
                continue
            map_term = self._language_map_term(predicate, triple.object)
            if map_term is not None:
                assert isinstance(triple.object, Literal) and triple.object.language is not None
                language_maps[map_term][triple.object.language].append(triple.object.value)
                continue
            name, value, is_set = self.value(predicate, triple.object)
            values[name].append(value)
            if is_set:
                set_keys.add(name)
        if types:
            out["@type"] = types[0] if len(types) == 1 else sorted(types)
        for name in sorted(values):
            items = values[name]
            out[name] = items if (len(items) > 1 or name in set_keys) else items[0]
        for name, by_language in sorted(language_maps.items()):
            out[name] = {
                language: texts[0] if len(texts) == 1 else sorted(texts)
                for language, texts in sorted(by_language.items())
            }
        return out

    def _language_map_term(self, predicate: str, obj: Any) -> str | None:
        if not isinstance(obj, Literal) or obj.language is None:
            return None
        for term in self.index.terms_for(predicate):
            if term.is_language_map:
                return term.name
        return None

    def value(self, predicate: str, obj: Any) -> tuple[str, Any, bool]:
        terms = self.index.terms_for(predicate)
        if isinstance(obj, NamedNode | BlankNode):
            key = _node_key(obj)
            embeddable = key in self.by_subject and key not in self.emitted
            for term in terms:
                if embeddable and term.coercion in (None, "@id"):
                    return term.name, self.node(obj), term.is_set
                if not embeddable and isinstance(obj, NamedNode):
                    if term.coercion == "@id":
                        return term.name, obj.value, term.is_set
                    if term.coercion == "@vocab":
                        return term.name, self._vocab_value(term, obj.value), term.is_set
            target = self.node(obj) if embeddable else {"@id": _node_id(obj)}
            return self.index.key_for(predicate), target, False
        assert isinstance(obj, Literal)
        datatype = obj.datatype.value
        for term in terms:
            if term.coercion == datatype and obj.language is None:
                return term.name, _native(obj.value, datatype), term.is_set
        for term in terms:
            if term.coercion is None:
                return term.name, _uncoerced(obj, self.index), term.is_set
        return self.index.key_for(predicate), _uncoerced(obj, self.index), False

    def _vocab_value(self, term: Term, iri: str) -> str:
        if term.vocab and iri.startswith(term.vocab) and len(iri) > len(term.vocab):
            return iri[len(term.vocab) :]
        return iri


def _node_key(node: Any) -> str:
    return f"_:{node.value}" if isinstance(node, BlankNode) else str(node.value)


def _node_id(node: NamedNode | BlankNode) -> str:
    return f"_:{node.value}" if isinstance(node, BlankNode) else node.value


#: From this magnitude on, JSON-LD writes a JSON number in double notation even when it has no fraction.
_DOUBLE_FROM = 10**21


def _native(lexical: str, datatype: str) -> Any:
    """The JSON value of a literal under a term coerced to its `datatype`: JSON-LD must turn it back into
    exactly `lexical`, so only integers and booleans become JSON numbers and booleans."""
    if datatype == XSD_INTEGER:
        return json_integer(lexical)
    if datatype == XSD_BOOLEAN and lexical in ("true", "false"):
        return lexical == "true"
    return lexical


def json_integer(lexical: str) -> int | str:
    """The JSON value of xsd:integer `lexical`: a JSON number when JSON-LD reads that number back as
    exactly `lexical` (below 10^21, canonical form), else the string itself.

    >>> json_integer("96"), json_integer("1" + "0" * 21), json_integer("+5")
    (96, '1000000000000000000000', '+5')
    """
    try:
        number = int(lexical)
    except ValueError:
        return lexical  # ill-formed in the store already: keep it as it is
    return number if abs(number) < _DOUBLE_FROM and str(number) == lexical else lexical


def _uncoerced(literal: Literal, index: ContextIndex) -> Any:
    datatype = literal.datatype.value
    if literal.language is not None:
        return {"@value": literal.value, "@language": literal.language}
    if datatype == XSD_STRING:
        return literal.value
    if datatype == XSD_BOOLEAN and literal.value in ("true", "false"):
        return literal.value == "true"
    if datatype == XSD_INTEGER:
        number = json_integer(literal.value)
        if isinstance(number, int):
            return number
    return _expanded_literal(literal, index)


def _expanded_literal(literal: Literal, index: ContextIndex) -> dict[str, Any]:
    if literal.language is not None:
        return {"@value": literal.value, "@language": literal.language}
    return {"@value": literal.value, "@type": index.compact_iri(literal.datatype.value)}


def compact(
    triples: Iterable[Triple], root: NamedNode | BlankNode, index: ContextIndex, context_url: str
) -> dict[str, Any]:
    """The compacted JSON-LD document of the graph `triples` seen from `root`.

    Nodes reached from the root are embedded where first met; nodes not reachable from the root (none,
    in a well-formed passport) follow in `@included` so nothing is lost.
    """
    builder = _Builder(triples, index)
    document = {"@context": context_url, **builder.node(root)}
    leftovers = [key for key in builder.by_subject if key not in builder.emitted]
    if leftovers:
        included = []
        for key in leftovers:
            if key in builder.emitted:
                continue
            subject = builder.by_subject[key][0].subject
            assert isinstance(subject, NamedNode | BlankNode)
            included.append(builder.node(subject))
        document["@included"] = included
    return document
