"""What a partner reads of a validation: one entry per problem, in words that say what to change.

A SHACL report is complete, but read as it is it misleads in three ways, and `Explainer` corrects each:

* **Consequences shown as problems.** A rule that tests a value (an `sh:or` such as "a repurposed
  battery links to its predecessor", which reads `batteryStatus` with `sh:in`; a comparison such as
  `sh:lessThanOrEquals`) fails when that value is itself wrong (`"Original"` is not a code, a date-time
  is no date). Its result follows from the other one and is left out: a rule is never judged on a value
  that is reported wrong. `sh:node` results that only carry a nested
  problem up are left out too (`ValidationReport.primary_violations`).
* **One problem, several entries.** A shape whose constraints share one message (`sh:datatype` and
  `sh:minExclusive`) yields a result per constraint for one bad value; the partner gets one entry per
  focus node, path, value and shape, the most telling constraint kept (`_RANK`).
* **A misspelt key** is reported once, as a key the node does not have, with the key it probably means;
  that key is then not reported missing as well.
* **Codes and keys.** A value that is not a code of its list is named, with the list and, when one is
  close (by the vocabulary's notations and labels), the code it probably means; a key a node does not
  have (`sh:closed`) is named, with the key it probably means.

Everything comes from the shapes, the SKOS vocabulary (the concepts' spellings as `vocabulary.Catalogue`
indexes them) and the JSON-LD context, read once: adding a code or an attribute is a data change.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import unquote

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

from passport_registry.validation.report import SH, SH_NODE_CONSTRAINT, Term, ValidationReport, Violation
from passport_registry.vocabulary import Catalogue

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDF_FIRST, RDF_REST, RDF_NIL = (NamedNode(RDF + n) for n in ("first", "rest", "nil"))
SH_PATH, SH_IN, SH_NAME, SH_PROPERTY, SH_CLOSED = (
    NamedNode(SH + n) for n in ("path", "in", "name", "property", "closed")
)
SH_IN_CONSTRAINT = NamedNode(SH + "InConstraintComponent")
SH_CLOSED_CONSTRAINT = NamedNode(SH + "ClosedConstraintComponent")
SH_MIN_COUNT = NamedNode(SH + "MinCountConstraintComponent")
#: Constraints that test a value (not only count values): a rule using them is judged on the value.
_VALUE_TESTS = frozenset(
    NamedNode(SH + n)
    for n in (
        "in",
        "hasValue",
        "datatype",
        "class",
        "nodeKind",
        "pattern",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "minLength",
        "maxLength",
    )
)
#: Property pair constraints: they compare a value with the values of another property.
_COMPARISONS = tuple(NamedNode(SH + n) for n in ("lessThan", "lessThanOrEquals", "equals", "disjoint"))
#: Results that say a value is wrong (not that one is missing or too many): rules are not judged on it.
_WRONG_VALUE = frozenset(
    NamedNode(SH + n + "ConstraintComponent")
    for n in (
        "In",
        "HasValue",
        "Datatype",
        "Class",
        "NodeKind",
        "Pattern",
        "MinInclusive",
        "MaxInclusive",
        "MinExclusive",
        "MaxExclusive",
        "MinLength",
        "MaxLength",
    )
)
_NESTED = tuple(NamedNode(SH + n) for n in ("node", "qualifiedValueShape"))
_LOGICAL = tuple(NamedNode(SH + n) for n in ("or", "and", "xone"))
SH_NOT = NamedNode(SH + "not")
#: Which result to keep when one shape reports one value several times: the first found here.
_RANK = tuple(
    NamedNode(SH + n + "ConstraintComponent")
    for n in ("In", "Datatype", "NodeKind", "Class", "Pattern", "HasValue")
)
#: Keys listed in full in a message when a node has at most this many.
_LISTED_KEYS = 12

Chain = tuple[NamedNode, ...]


@dataclass(frozen=True, slots=True)
class CodeList:
    """The codes one property shape allows (`sh:in`), in its order, and every label that names them."""

    name: str
    base: str
    codes: tuple[str, ...]
    labels: Mapping[str, str]
    #: "codes" for a list of concepts (IRIs), "values" for a list of literals.
    noun: str = "codes"

    def given(self, value: Term) -> str:
        """What the partner wrote: a code (the IRI under the list's base), a literal's text, or the IRI."""
        if isinstance(value, NamedNode) and value.value.startswith(self.base):
            return value.value[len(self.base) :]
        return value.value if not isinstance(value, BlankNode) else str(value)

    def suggest(self, given: str) -> str | None:
        """The code `given` probably means: one its letters name exactly (case and separators aside),
        else the closest label if it is close; None when nothing is."""
        wanted = _letters(given)
        if wanted in self.labels:
            return self.labels[wanted]
        close = difflib.get_close_matches(wanted, list(self.labels), n=1, cutoff=0.75)
        return self.labels[close[0]] if close else None

    def message(self, value: Term) -> str:
        given = self.given(value)
        text = f"{self.name}: '{given}' is not one of the {self.noun}: {', '.join(self.codes)}"
        suggestion = self.suggest(given)
        return text + (f"; did you mean {suggestion}?" if suggestion and suggestion != given else ".")


@dataclass(frozen=True, slots=True)
class KeySet:
    """The keys of a closed node shape (`sh:closed`) and what the node is called."""

    label: str
    keys: tuple[str, ...]

    def suggest(self, key: str) -> str | None:
        """The key `key` probably means: a close spelling, else the one key that contains it (`email`
        for `emailAddress`); None when there is no such key, or several."""
        folded = {k.casefold(): k for k in self.keys}
        wanted = key.casefold()
        close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.75)
        if close:
            return folded[close[0]]
        containing = [k for f, k in folded.items() if len(wanted) >= 4 and wanted in f]
        return containing[0] if len(containing) == 1 else None

    def message(self, key: str) -> str:
        text = f"{_article(self.label).capitalize()} {self.label} has no key '{key}'"
        suggestion = self.suggest(key)
        if suggestion:
            return text + f"; did you mean {suggestion}?"
        if len(self.keys) <= _LISTED_KEYS:
            return text + f": remove it, or use one of its keys: {', '.join(self.keys)}."
        return text + ": remove it, or use one of the keys of the published JSON Schema."


class Explainer:
    """The shapes, vocabulary and context read once into what `explain` needs; immutable, thread-safe."""

    def __init__(
        self,
        shapes: Iterable[Triple | Quad],
        vocabulary: Catalogue | Iterable[Triple | Quad] = (),
        keys: Mapping[str, str] | None = None,
    ) -> None:
        """`vocabulary` gives the concepts' spellings: a registry's `Catalogue`, or the triples to index
        into one. `keys` maps property IRIs to the JSON keys of the context (else the IRI's local name)."""
        self._keys = dict(keys or {})
        graph = _Graph(shapes)
        concepts = vocabulary if isinstance(vocabulary, Catalogue) else Catalogue(vocabulary)
        code_lists: dict[Term, CodeList] = {}
        key_sets: dict[Term, KeySet] = {}
        reads: dict[Term, frozenset[Chain]] = {}
        for shape in graph.subjects():
            path = graph.one(shape, SH_PATH)
            allowed = graph.one(shape, SH_IN)
            if isinstance(path, NamedNode) and allowed is not None:
                code_lists[shape] = self._code_list(graph, concepts, shape, path, graph.items(allowed))
            if graph.one(shape, SH_CLOSED) == Literal("true", datatype=_XSD_BOOLEAN):
                label = graph.one(shape, RDFS_LABEL)
                paths = [graph.one(p, SH_PATH) for p in graph.objects(shape, SH_PROPERTY)]
                key_sets[shape] = KeySet(
                    label.value if label is not None else "node",
                    tuple(dict.fromkeys(self.key(p) for p in paths if isinstance(p, NamedNode))),
                )
            if isinstance(shape, NamedNode) and any(graph.objects(shape, p) for p in (*_LOGICAL, SH_NOT)):
                reads[shape] = frozenset(_tested_chains(graph, shape, ()))
            compared = [q for c in _COMPARISONS for q in graph.objects(shape, c) if isinstance(q, NamedNode)]
            if isinstance(path, NamedNode) and compared:
                reads[shape] = frozenset({(path,), *((q,) for q in compared)})
        self.code_lists: Mapping[Term, CodeList] = MappingProxyType(code_lists)
        self.key_sets: Mapping[Term, KeySet] = MappingProxyType(key_sets)
        self.reads: Mapping[Term, frozenset[Chain]] = MappingProxyType(reads)

    def key(self, path: NamedNode) -> str:
        """The JSON key of a property IRI: its context term, else the local name as the partner wrote it."""
        known = self._keys.get(path.value)
        if known is not None:
            return known
        local = re.split(r"[#/]", path.value)[-1] or path.value
        return unquote(local)

    def _code_list(
        self, graph: _Graph, concepts: Catalogue, shape: Term, path: NamedNode, allowed: list[Term]
    ) -> CodeList:
        codes: list[str] = []
        labels: dict[str, str] = {}
        iris = [a.value for a in allowed if isinstance(a, NamedNode)]
        base = _common_base(iris)
        for member in allowed:
            concept = concepts.concept(member.value) if isinstance(member, NamedNode) else None
            notation = concept.notation if concept is not None else None
            code = notation if notation is not None else member.value.removeprefix(base)
            codes.append(code)
            labels.setdefault(_letters(code), code)
            for label in concept.names() if concept is not None else ():
                labels.setdefault(_letters(label), code)
        name = graph.one(shape, SH_NAME)
        key = self.key(path)
        title = name.value[:1].upper() + name.value[1:] if name is not None else key
        noun = "codes" if len(iris) == len(allowed) else "values"
        return CodeList(f"{title} ({key})", base, tuple(codes), MappingProxyType(labels), noun)

    def explain(self, report: ValidationReport) -> list[Violation]:
        """The problems of `report` as a partner should read them (see the module docstring); the
        results that remain keep their focus node, path, value, shape and component."""
        primary = report.primary_violations()
        parents = {
            v.value: v
            for v in report.violations
            if v.constraint_component == SH_NODE_CONSTRAINT and v.value is not None and v.path is not None
        }
        wrong = [v for v in primary if v.path is not None and v.constraint_component in _WRONG_VALUE]
        kept: dict[tuple[object, ...], Violation] = {}
        for violation in primary:
            if violation.source_shape in self.reads and self._follows(violation, wrong, parents):
                continue
            violation = self._worded(violation)
            key = (violation.focus_node, violation.path, violation.value, violation.source_shape)
            earlier = kept.get(key)
            if earlier is None or _rank(violation) < _rank(earlier):
                kept[key] = violation
        # A required key reported missing where the partner wrote it misspelt follows from the misspelling.
        meant = {(v.focus_node, s) for v in kept.values() if (s := self._suggested_key(v)) is not None}
        return [
            v
            for v in kept.values()
            if not (
                v.constraint_component == SH_MIN_COUNT
                and v.path is not None
                and (v.focus_node, self.key(v.path)) in meant
            )
        ]

    def _suggested_key(self, violation: Violation) -> str | None:
        if violation.constraint_component != SH_CLOSED_CONSTRAINT or violation.path is None:
            return None
        keys = self.key_sets.get(violation.source_shape) if violation.source_shape is not None else None
        return None if keys is None else keys.suggest(self.key(violation.path))

    def _follows(self, rule: Violation, wrong: list[Violation], parents: Mapping[Term, Violation]) -> bool:
        """Whether `rule` (a logical rule, or a comparison of two properties) tests a value that another
        shape reports wrong."""
        chains = self.reads[rule.source_shape]  # type: ignore[index]
        for other in wrong:
            if other.source_shape == rule.source_shape:
                continue
            assert other.path is not None
            steps = [other.path]
            node: Term = other.focus_node
            while node != rule.focus_node and node in parents and len(steps) <= len(parents):
                parent = parents[node]
                assert parent.path is not None
                steps.append(parent.path)
                node = parent.focus_node
            if node == rule.focus_node and tuple(reversed(steps)) in chains:
                return True
        return False

    def _worded(self, violation: Violation) -> Violation:
        shape = violation.source_shape
        if violation.constraint_component == SH_IN_CONSTRAINT and violation.value is not None:
            codes = self.code_lists.get(shape) if shape is not None else None
            if codes is not None:
                return dataclasses.replace(violation, message=codes.message(violation.value))
        if violation.constraint_component == SH_CLOSED_CONSTRAINT and violation.path is not None:
            keys = self.key_sets.get(shape) if shape is not None else None
            if keys is not None:
                return dataclasses.replace(violation, message=keys.message(self.key(violation.path)))
        return violation


_XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


class _Graph:
    """Triples indexed by subject and predicate: just enough graph to read shapes and concepts."""

    def __init__(self, triples: Iterable[Triple | Quad]) -> None:
        self._index: dict[Term, dict[NamedNode, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            if not isinstance(t.subject, Triple) and not isinstance(t.object, Triple):
                self._index[t.subject][t.predicate].append(t.object)

    def subjects(self) -> list[Term]:
        return list(self._index)

    def objects(self, subject: Term, predicate: NamedNode) -> list[Term]:
        found = self._index.get(subject)
        return list(found.get(predicate, ())) if found is not None else []

    def one(self, subject: Term, predicate: NamedNode) -> Term | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def items(self, head: Term) -> list[Term]:
        """The members of an RDF list."""
        out: list[Term] = []
        node: Term | None = head
        while node is not None and node != RDF_NIL and len(out) < 10_000:
            first = self.one(node, RDF_FIRST)
            if first is not None:
                out.append(first)
            node = self.one(node, RDF_REST)
        return out


def _tested_chains(graph: _Graph, shape: Term, prefix: Chain) -> set[Chain]:
    """The property chains whose values `shape` tests (not only counts), through sh:property, sh:node,
    sh:qualifiedValueShape and the logical constraints."""
    out: set[Chain] = set()
    if len(prefix) > 8:  # shapes nest a few levels; a cycle must not recurse forever
        return out
    for logical in _LOGICAL:
        for head in graph.objects(shape, logical):
            for member in graph.items(head):
                out |= _tested_chains(graph, member, prefix)
    for negated in graph.objects(shape, SH_NOT):
        out |= _tested_chains(graph, negated, prefix)
    for prop in graph.objects(shape, SH_PROPERTY):
        path = graph.one(prop, SH_PATH)
        if not isinstance(path, NamedNode):
            continue
        chain = (*prefix, path)
        if any(graph.objects(prop, test) for test in _VALUE_TESTS):
            out.add(chain)
        for nested in _NESTED:
            for inner in graph.objects(prop, nested):
                out |= _tested_chains(graph, inner, chain)
        out |= _tested_chains(graph, prop, prefix)
    return out


def _rank(violation: Violation) -> int:
    try:
        return _RANK.index(violation.constraint_component)
    except ValueError:
        return len(_RANK)


def _letters(text: str) -> str:
    """`text` case-folded with everything but letters and digits removed: "Raw material-Extraction" and
    "RawMaterialExtraction" read alike."""
    return re.sub(r"[\W_]+", "", text.casefold())


def _common_base(iris: list[str]) -> str:
    """The longest prefix of `iris` that ends at a `/` or `#` (the code list's namespace)."""
    if not iris:
        return ""
    prefix = iris[0]
    for iri in iris[1:]:
        while not iri.startswith(prefix):
            prefix = prefix[:-1]
    cut = max(prefix.rfind("/"), prefix.rfind("#"))
    return prefix[: cut + 1]


def _article(label: str) -> str:
    return "an" if label[:1].lower() in "aeiou" else "a"
