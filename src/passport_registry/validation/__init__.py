"""SHACL validation of passports: shapes compiled once into a `Validator`; `validate(triples)` -> report.

The validator is built once (at start-up, from the shapes, the ontology and the SKOS vocabularies) and
shared; it holds no per-call state. The fast engine does the work; pySHACL is the reference it is tested
against.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import pyoxigraph
from pyoxigraph import NamedNode, Quad, Triple

from passport_registry import resources
from passport_registry.validation.engines import ENGINES, Engine
from passport_registry.validation.report import RDF_TYPE, SH, ValidationReport, Violation

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

__all__ = ["DEFAULT_ENGINE", "ValidationReport", "Validator", "Violation"]

#: The engine the registry validates with, chosen by measurement (see bench/README.md).
DEFAULT_ENGINE = "shacl"


class Validator:
    """A shapes graph compiled once, plus the few ontology and vocabulary triples the shapes can read.

    Thread-safe: engines that keep session state are used under a lock.
    """

    def __init__(
        self, shapes_turtle: str, support: Iterable[Quad | Triple] = (), *, engine: str = DEFAULT_ENGINE
    ) -> None:
        try:
            engine_class = ENGINES[engine]
        except KeyError:
            raise ValueError(f"unknown SHACL engine {engine!r}; known: {', '.join(ENGINES)}") from None
        self.engine: Engine = engine_class(shapes_turtle)
        self._support = _ntriples(support)
        self._lock = None if self.engine.thread_safe else threading.Lock()

    @classmethod
    def from_documents(cls, shapes: bytes, *support: bytes, engine: str = DEFAULT_ENGINE) -> Validator:
        """A validator for the shapes (Turtle), with what it needs of the `support` documents (Turtle:
        ontology, vocabularies) added to every data graph.

        Only triples a SHACL Core engine reads outside the data are kept: `rdfs:subClassOf` (class
        targets and `sh:class`) and, when the shapes use `sh:class`, the `rdf:type` of individuals such as
        SKOS concepts. The rest of the ontology would cost time on every call and could even be targeted.
        """
        shapes_turtle = shapes.decode("utf-8")
        shapes_use_class = any(
            q.predicate == SH_CLASS for q in pyoxigraph.parse(shapes_turtle, pyoxigraph.RdfFormat.TURTLE)
        )
        kept = []
        for document in support:
            for quad in pyoxigraph.parse(document, pyoxigraph.RdfFormat.TURTLE, rename_blank_nodes=True):
                if quad.predicate == RDFS_SUBCLASS_OF or (
                    shapes_use_class and quad.predicate == RDF_TYPE and quad.object.value not in _META_CLASSES
                ):
                    kept.append(quad)
        return cls(shapes_turtle, kept, engine=engine)

    @classmethod
    def from_resources(cls, engine: str = DEFAULT_ENGINE) -> Validator:
        """The validator for the passport shapes, ontology and vocabularies bundled with the package."""
        return cls.from_documents(
            resources.shapes_bytes(),
            resources.ontology_bytes(),
            resources.vocabularies_bytes(),
            engine=engine,
        )

    def validate(self, data: Iterable[Quad | Triple]) -> ValidationReport:
        """Validate the union of the graphs in `data` (named graphs are merged) against the shapes."""
        text = _ntriples(data) + self._support
        if self._lock is None:
            return self.engine.validate(text)
        with self._lock:
            return self.engine.validate(text)


def _ntriples(data: Iterable[Quad | Triple]) -> str:
    triples = (q.triple if isinstance(q, Quad) else q for q in data)
    out = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert out is not None
    return out.decode()
