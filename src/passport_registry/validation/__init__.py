"""SHACL validation of passports: shapes compiled once into a `Validator`; `validate(triples)` -> report.

The validator is built once (at start-up, from the shapes, the ontology and the SKOS vocabularies) and
shared; it holds no per-call state. The fast engine does the work; pySHACL is the reference it is tested
against.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from pyoxigraph import Quad, Triple

from passport_registry.validation.engines import ENGINES, Engine, term
from passport_registry.validation.report import ValidationReport, Violation

__all__ = ["DEFAULT_ENGINE", "ValidationReport", "Validator", "Violation", "term"]

#: The engine the registry validates with, chosen by measurement (see bench/README.md).
DEFAULT_ENGINE = "shacl"


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
