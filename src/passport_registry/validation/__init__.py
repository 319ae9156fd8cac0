"""SHACL validation of passports: shapes compiled once into a `Validator`; `validate(triples)` -> report.

The validator is built once (at start-up, from the shapes, the ontology and the SKOS vocabularies) and
shared; it holds no per-call state. The fast engine does the work; pySHACL is the reference it is tested
against.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, NamedNode, Quad, Triple

from passport_registry.validation.engines import ENGINES, Engine, term
from passport_registry.validation.report import SH, Subject, Term, ValidationReport, Violation

__all__ = ["DEFAULT_ENGINE", "ValidationReport", "Validator", "Violation", "term"]

#: The engine the registry validates with, chosen by measurement (see bench/README.md).
DEFAULT_ENGINE = "shacl"

#: Blank nodes travel to the engine as these IRIs (RDF 1.1 §3.5 skolem IRIs) and come back as blank
#: nodes, so every engine reports the very nodes it was given, whatever it does with labels.
GENID = "https://w3id.org/passport-registry/.well-known/genid/"
_SUBJECT_BNODE = re.compile(r"^_:(\S+) ", re.MULTILINE)
_OBJECT_BNODE = re.compile(r" _:(\S+) \.$", re.MULTILINE)
_GENID_IN_TEXT = re.compile(rf"<?{re.escape(GENID)}([^\s>]+)>?")
# Node kinds that tell blank nodes from IRIs: with these in the shapes, skolemising would change results.
_NODE_KINDS_SEEING_BNODES = tuple(
    f"<{SH}{kind}>" for kind in ("BlankNode", "BlankNodeOrLiteral", "IRI", "IRIOrLiteral")
)


class Validator:
    """A shapes graph compiled once, plus the ontology and vocabulary triples that `sh:class` needs.

    Thread-safe: engines that keep session state are used under a lock.
    """

    def __init__(
        self, shapes_turtle: str, support_ntriples: str = "", *, engine: str = DEFAULT_ENGINE
    ) -> None:
        try:
            engine_class = ENGINES[engine]
        except KeyError:
            raise ValueError(f"unknown SHACL engine {engine!r}; known: {', '.join(ENGINES)}") from None
        self.engine: Engine = engine_class(shapes_turtle)
        self._support = (
            support_ntriples
            if not support_ntriples or support_ntriples.endswith("\n")
            else support_ntriples + "\n"
        )
        shapes_nt = _ntriples(pyoxigraph.parse(shapes_turtle, pyoxigraph.RdfFormat.TURTLE))
        self._skolemise = not any(kind in shapes_nt for kind in _NODE_KINDS_SEEING_BNODES)
        self._lock = threading.Lock() if engine == "pyrudof" else None

    @classmethod
    def from_files(cls, shapes: Path, *support: Path, engine: str = DEFAULT_ENGINE) -> Validator:
        """A validator for the shapes file, with the triples of `support` files (ontology, vocabularies)
        added to every data graph."""
        support_quads = [q for path in support for q in pyoxigraph.parse(path=path, rename_blank_nodes=True)]
        return cls(shapes.read_text(encoding="utf-8"), _ntriples(support_quads), engine=engine)

    @classmethod
    def from_resources(cls, engine: str = DEFAULT_ENGINE) -> Validator:
        """The validator for the passport shapes, ontology and vocabularies bundled with the package."""
        resources = importlib.import_module("passport_registry.resources")  # written on the vocab branch

        return cls.from_files(resources.SHAPES, resources.ONTOLOGY, *resources.VOCABULARIES, engine=engine)

    def validate(self, data: Iterable[Quad | Triple]) -> ValidationReport:
        """Validate the union of the graphs in `data` (named graphs are merged) against the shapes."""
        text = _ntriples(data)
        if self._skolemise:
            text = _OBJECT_BNODE.sub(rf" <{GENID}\1> .", _SUBJECT_BNODE.sub(rf"<{GENID}\1> ", text))
        if self._lock is None:
            report = self.engine.validate(text + self._support)
        else:
            with self._lock:
                report = self.engine.validate(text + self._support)
        return _unskolemise(report) if self._skolemise else report


def _ntriples(data: Iterable[Quad | Triple]) -> str:
    triples = (q.triple if isinstance(q, Quad) else q for q in data)
    out = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert out is not None
    return out.decode()


def _unskolemise(report: ValidationReport) -> ValidationReport:
    if GENID not in repr(report):
        return report
    return ValidationReport(
        conforms=report.conforms,
        violations=[
            Violation(
                focus_node=_subject(v.focus_node),
                path=v.path,
                message=None if v.message is None else _GENID_IN_TEXT.sub(r"_:\1", v.message),
                severity=v.severity,
                source_shape=v.source_shape,
                constraint_component=v.constraint_component,
                value=None if v.value is None else _node(v.value),
            )
            for v in report.violations
        ],
    )


def _subject(node: Subject) -> Subject:
    if isinstance(node, NamedNode) and node.value.startswith(GENID):
        return BlankNode(node.value.removeprefix(GENID))
    return node


def _node(node: Term) -> Term:
    return node if not isinstance(node, NamedNode) else _subject(node)
