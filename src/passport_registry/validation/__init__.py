"""SHACL validation of passports: shapes compiled once into a `Validator`; `validate(triples)` -> report.

The validator is built once (at start-up, from the shapes, the ontology, the SKOS vocabularies and the
JSON-LD context) and shared; it holds no per-call state. The fast engine does the work; pySHACL is the
reference it is tested against. Decimals the fast engine cannot hold (more than 18 digits after the
point, or beyond about 1.7E20) reach it as stand-ins of the same order (`validation.decimals`), so every
xsd:decimal lexical form is judged as the value it denotes. Each report carries its `problems` worded
for partners (`validation.messages`).
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Quad, Triple

from passport_registry.validation.decimals import BOUNDS, StandIns
from passport_registry.validation.engines import ENGINES, Engine
from passport_registry.validation.messages import Explainer
from passport_registry.validation.report import RDF_TYPE, SH, ValidationReport, Violation
from passport_registry.vocabulary import ActiveContext, Catalogue, Vocabulary

SH_CLASS = NamedNode(SH + "class")
RDFS_SUBCLASS_OF = NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
# Types of ontology terms themselves, not of individuals a data graph may point at.
_META_CLASSES = frozenset(
    {
        "http://www.w3.org/2002/07/owl#" + name
        for name in ("Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "Ontology")
    }
    | {"http://www.w3.org/2000/01/rdf-schema#Class", "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"}
)

__all__ = ["DEFAULT_ENGINE", "Explainer", "ValidationReport", "Validator", "Violation"]

#: The engine the registry validates with, chosen by measurement (see bench/README.md).
DEFAULT_ENGINE = "shacl"


class Validator:
    """A shapes graph compiled once, plus the few ontology and vocabulary triples the shapes can read.

    Thread-safe: engines that keep session state are used under a lock.
    """

    def __init__(
        self,
        shapes_turtle: str,
        support: Iterable[Quad | Triple] = (),
        *,
        engine: str = DEFAULT_ENGINE,
        explainer: Explainer | None = None,
    ) -> None:
        """`explainer` words the problems (default: from the shapes alone, without labels or keys)."""
        try:
            engine_class = ENGINES[engine]
        except KeyError:
            raise ValueError(f"unknown SHACL engine {engine!r}; known: {', '.join(ENGINES)}") from None
        self.engine: Engine = engine_class(shapes_turtle)
        self._support = _ntriples(support)
        self._lock = None if self.engine.thread_safe else threading.Lock()
        shape_quads = list(pyoxigraph.parse(shapes_turtle, pyoxigraph.RdfFormat.TURTLE))
        self._stand_ins = StandIns(
            q.object
            for q in shape_quads
            if q.predicate in BOUNDS and isinstance(q.object, pyoxigraph.Literal)
        )
        if explainer is None:
            explainer = (
                Explainer(pyoxigraph.parse(shapes_turtle, pyoxigraph.RdfFormat.TURTLE))
                if shapes_turtle
                else None
            )
        self.explainer = explainer

    @classmethod
    def from_documents(
        cls,
        shapes: bytes,
        *support: bytes,
        engine: str = DEFAULT_ENGINE,
        context: Mapping[str, Any] | None = None,
    ) -> Validator:
        """A validator for the shapes (Turtle), with what it needs of the `support` documents (Turtle:
        ontology, vocabularies) added to every data graph.

        Only triples a SHACL Core engine reads outside the data are kept: `rdfs:subClassOf` (class
        targets and `sh:class`) and, when the shapes use `sh:class`, the `rdf:type` of individuals such as
        SKOS concepts. The rest of the ontology would cost time on every call and could even be targeted.
        The problems are worded with the labels of the SKOS concepts in `support` and the keys of
        `context` (the value of a JSON-LD `@context`).
        """
        every = [
            quad
            for document in support
            for quad in pyoxigraph.parse(document, pyoxigraph.RdfFormat.TURTLE, rename_blank_nodes=True)
        ]
        return cls._compiled(
            shapes.decode("utf-8"), every, engine, ActiveContext().scoped(context or {}), Catalogue(every)
        )

    @classmethod
    def from_vocabulary(cls, vocabulary: Vocabulary, engine: str = DEFAULT_ENGINE) -> Validator:
        """The validator of a registry's vocabulary: its shapes, with what they need of its ontology and
        code lists (as `from_documents`), its problems worded with its labels and context keys."""
        return cls._compiled(
            vocabulary.files.shapes.decode("utf-8"),
            vocabulary.triples,
            engine,
            vocabulary.context,
            vocabulary.catalogue,
        )

    @classmethod
    def from_resources(cls, engine: str = DEFAULT_ENGINE) -> Validator:
        """The validator for the passport shapes, ontology and vocabularies bundled with the package."""
        return cls.from_vocabulary(Vocabulary.bundled(), engine)

    @classmethod
    def _compiled(
        cls,
        shapes_turtle: str,
        every: Iterable[Quad | Triple],
        engine: str,
        context: ActiveContext,
        catalogue: Catalogue,
    ) -> Validator:
        shape_quads = list(pyoxigraph.parse(shapes_turtle, pyoxigraph.RdfFormat.TURTLE))
        shapes_use_class = any(q.predicate == SH_CLASS for q in shape_quads)
        every = list(every)
        kept = [
            quad
            for quad in every
            if quad.predicate == RDFS_SUBCLASS_OF
            or (
                shapes_use_class
                and quad.predicate == RDF_TYPE
                and isinstance(quad.object, NamedNode)
                and quad.object.value not in _META_CLASSES
            )
        ]
        explainer = Explainer(shape_quads, catalogue, _context_keys(context))
        return cls(shapes_turtle, kept, engine=engine, explainer=explainer)

    def validate(self, data: Iterable[Quad | Triple]) -> ValidationReport:
        """Validate the union of the graphs in `data` (named graphs are merged) against the shapes.

        The report's `problems` are worded for partners. Decimals the engine cannot hold are judged
        through stand-ins and reported as given (`validation.decimals`).
        """
        text = _ntriples(data) + self._support
        back: Mapping[Literal, Literal] = {}
        if not self.engine.exact_decimals:
            text, back = self._stand_ins.replace(text)
        if self._lock is None:
            report = self.engine.validate(text)
        else:
            with self._lock:
                report = self.engine.validate(text)
        if back:
            report = dataclasses.replace(
                report,
                violations=[
                    dataclasses.replace(v, value=back.get(v.value, v.value))  # type: ignore[arg-type]
                    for v in report.violations
                ],
            )
        if self.explainer is None or not report.violations:
            return report
        return dataclasses.replace(report, explained=self.explainer.explain(report))


def _context_keys(context: ActiveContext) -> dict[str, str]:
    """Property IRI -> the JSON key a partner writes for it: the context's first term for the IRI."""
    keys: dict[str, str] = {}
    for term in context.terms.values():
        if not term.prefix and not term.reverse:
            keys.setdefault(term.iri, term.key)
    return keys


def _ntriples(data: Iterable[Quad | Triple]) -> str:
    triples = (q.triple if isinstance(q, Quad) else q for q in data)
    out = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert out is not None
    return out.decode()
