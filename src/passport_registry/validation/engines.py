"""SHACL engines behind one interface: shapes compiled once, a data graph in N-Triples in, a report out.

Every engine receives the same N-Triples text (the data plus the ontology and vocabulary triples that
`sh:class` checks need) and answers with engine-neutral `Violation`s. `pyshacl` is the reference
implementation: tests assert that the fast engine agrees with it.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Protocol

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat

from passport_registry.rdf.literals import XSD
from passport_registry.validation.report import SH, SH_VIOLATION, Subject, Term, ValidationReport, Violation

#: A real early exit in `shacl`: bounds the time and memory a hostile, systematically wrong graph costs.
MAX_RESULTS = 1000


class Engine(Protocol):
    """A compiled shapes graph that validates N-Triples data graphs."""

    name: str
    #: False when calls share session state and must not overlap.
    thread_safe: bool
    #: False when some valid xsd:decimal lexical forms are ill-typed to the engine (`validation.decimals`).
    exact_decimals: bool

    def validate(self, ntriples: str) -> ValidationReport:
        """Validate the data graph given as N-Triples."""
        ...


class ShaclEngine:
    """The `shacl` package (Rust, PyO3): compiled once, immutable, releases the GIL, thread-safe."""

    name = "shacl"
    thread_safe = True
    # Its decimals are Oxigraph's: 18 places after the point, |value| < 2^127 / 10^18 (validation.decimals).
    exact_decimals = False

    def __init__(self, shapes_turtle: str) -> None:
        import shacl

        self._shapes = shacl.Shapes.from_text(shapes_turtle, format="turtle")
        if len(self._shapes) == 0:
            raise ValueError("the shapes graph declares no shapes")

    def validate(self, ntriples: str) -> ValidationReport:
        report = self._shapes.validate_text(ntriples, format="ntriples", max_results=MAX_RESULTS)
        violations = [
            Violation(
                focus_node=focus(r.focus_node),
                path=_simple_path(r.path),
                message=r.message,
                severity=NamedNode(r.severity_iri),
                source_shape=None if r.source_shape is None else subject(r.source_shape),
                constraint_component=NamedNode(r.component_iri),
                value=None if r.value is None else term(r.value),
            )
            for r in report.results
        ]
        return ValidationReport(conforms=report.conforms, violations=violations)


class _PyshaclApiEngine:
    """An engine with pySHACL's `validate(data_graph, shacl_graph=...)` API over rdflib graphs."""

    name: str
    thread_safe = True
    exact_decimals = True

    def __init__(self, shapes_turtle: str) -> None:
        import rdflib

        self._shapes = rdflib.Graph().parse(data=shapes_turtle, format="turtle")

    def _run(self, data: Any) -> tuple[Any, Any, Any]:
        raise NotImplementedError

    def validate(self, ntriples: str) -> ValidationReport:
        import rdflib

        with warnings.catch_warnings():
            # rdflib warns about every ill-typed numeric literal; the report says it better.
            warnings.simplefilter("ignore", UserWarning)
            data = rdflib.Graph().parse(data=ntriples, format="nt")
            conforms, graph, _ = self._run(data)
            return ValidationReport(conforms=bool(conforms), violations=_from_report_graph(graph))


class PyshaclEngine(_PyshaclApiEngine):
    """pySHACL over rdflib: the reference implementation, slow; used as the oracle in tests and benches."""

    name = "pyshacl"

    def _run(self, data: Any) -> tuple[Any, Any, Any]:
        import pyshacl

        result: tuple[Any, Any, Any] = pyshacl.validate(data, shacl_graph=self._shapes)
        return result


class PyshaclTurboEngine(_PyshaclApiEngine):
    """pyshacl-turbo (Rust core, pySHACL's API). Given an rdflib graph, never a pyoxigraph Store: over a
    Store it compared `"1.1"^^xsd:string` and `"1.1"` in `sh:in` as different and flagged valid data."""

    name = "pyshacl-turbo"

    def _run(self, data: Any) -> tuple[Any, Any, Any]:
        import pyshacl_turbo

        result: tuple[Any, Any, Any] = pyshacl_turbo.validate(data, shacl_graph=self._shapes)
        return result


class PyrudofEngine:
    """pyrudof (rudof, Rust). Its session accumulates data between calls, so each call resets the data
    first; the session is stateful, hence NOT thread-safe (callers serialise)."""

    name = "pyrudof"
    thread_safe = False
    exact_decimals = True

    def __init__(self, shapes_turtle: str) -> None:
        import pyrudof

        self._rudof = pyrudof.Rudof(pyrudof.RudofConfig())
        self._rudof.read_shacl(shapes_turtle)
        self._format = pyrudof.RDFFormat.NTriples

    def validate(self, ntriples: str) -> ValidationReport:
        self._rudof.reset_data()
        self._rudof.read_data(ntriples, format=self._format)
        report = self._rudof.validate_shacl()
        violations = [
            Violation(
                focus_node=focus(v.focus_node),
                path=None if v.path is None else NamedNode(v.path.strip("<>")),
                message=v.message or None,
                severity=NamedNode(v.severity if ":" in v.severity else SH + v.severity),
                source_shape=None if v.source_shape is None else subject(v.source_shape),
                constraint_component=NamedNode(v.constraint_component),
                value=None if v.value is None else _rudof_term(v.value),
            )
            for v in report.violations
        ]
        return ValidationReport(conforms=report.conforms, violations=violations)


class ShaclRustEngine:
    """shacl-rust: no compiled-shapes object, so the shapes text is parsed again on every call."""

    name = "shacl-rust"
    thread_safe = True
    exact_decimals = True

    def __init__(self, shapes_turtle: str) -> None:
        self._shapes = shapes_turtle

    def validate(self, ntriples: str) -> ValidationReport:
        import shacl_rust

        report = shacl_rust.validate(ntriples, self._shapes, data_format="nt")
        violations = [
            Violation(
                focus_node=focus(r["focusNode"]),
                path=_simple_path(r.get("resultPath")),
                message=(r.get("messages") or [None])[0],
                severity=NamedNode(r.get("severity", SH_VIOLATION.value).strip("<>")),
                source_shape=None if r.get("sourceShape") is None else subject(r["sourceShape"]),
                constraint_component=NamedNode(r["sourceConstraintComponent"].strip("<>")),
                value=None if r.get("value") is None else term(r["value"]),
            )
            for r in report["results"]
        ]
        return ValidationReport(conforms=bool(report["conforms"]), violations=violations)


#: Every engine by name; only `shacl` and `pyshacl` are dependencies, the others are benchmarked.
ENGINES: Mapping[
    str, type[ShaclEngine | PyshaclEngine | PyshaclTurboEngine | PyrudofEngine | ShaclRustEngine]
] = MappingProxyType(
    {e.name: e for e in (ShaclEngine, PyshaclEngine, PyshaclTurboEngine, PyrudofEngine, ShaclRustEngine)}
)


def _from_report_graph(graph: object) -> list[Violation]:
    """Violations read from an rdflib SHACL report graph (pySHACL's and pyshacl-turbo's output)."""
    import rdflib

    assert isinstance(graph, rdflib.Graph)
    sh = rdflib.Namespace(SH)
    out = []
    for result in graph.objects(None, sh.result):
        path = graph.value(result, sh.resultPath)
        shape = graph.value(result, sh.sourceShape)
        value = graph.value(result, sh.value)
        message = graph.value(result, sh.resultMessage)
        out.append(
            Violation(
                focus_node=focus(_n3(graph.value(result, sh.focusNode))),
                path=NamedNode(str(path)) if isinstance(path, rdflib.URIRef) else None,
                message=None if message is None else str(message),
                severity=NamedNode(str(graph.value(result, sh.resultSeverity) or SH_VIOLATION.value)),
                source_shape=None if shape is None else subject(shape.n3()),
                constraint_component=NamedNode(str(graph.value(result, sh.sourceConstraintComponent))),
                value=None if value is None else term(value.n3()),
            )
        )
    return out


def _n3(node: object) -> str:
    n3 = getattr(node, "n3", None)
    if n3 is None:
        raise ValueError("a SHACL result without a focus node")
    return str(n3())


def term(ntriples: str) -> Term:
    """An RDF term from its N-Triples form (`<iri>`, `_:label` or a literal)."""
    if ntriples.startswith("<") and ntriples.endswith(">"):
        return NamedNode(ntriples[1:-1])
    if ntriples.startswith("_:"):
        return BlankNode(ntriples[2:])
    quad = next(iter(pyoxigraph.parse(f"<urn:s> <urn:p> {ntriples} .", pyoxigraph.RdfFormat.N_TRIPLES)))
    assert isinstance(quad.object, Literal)
    return quad.object


def subject(ntriples: str) -> Subject:
    """A named or blank node from its N-Triples form; an IRI written bare (some engines do) is accepted."""
    if ntriples.startswith("_:"):
        return BlankNode(ntriples[2:])
    return NamedNode(ntriples[1:-1] if ntriples.startswith("<") else ntriples)


def focus(text: str) -> Term:
    """A focus node from its N-Triples form. Usually a node, but a literal where the data gives a value
    for a property whose shape targets its objects (`"manufacturerInformation": "ACME"`): SHACL
    validates literals as focus nodes too (SHACL 2.1), and the report names them as they are."""
    if text.startswith('"'):
        return _rudof_term(text)
    return subject(text)


def _rudof_term(text: str) -> Term:
    """pyrudof writes IRIs bare and literal datatypes as `xsd:` prefixed names."""
    if text.startswith('"'):
        quad = next(
            iter(pyoxigraph.parse(f"@prefix xsd: <{XSD}> . <urn:s> <urn:p> {text} .", RdfFormat.TURTLE))
        )
        assert isinstance(quad.object, Literal)
        return quad.object
    return subject(text)


def _simple_path(path: str | None) -> NamedNode | None:
    if path is None or not (path.startswith("<") and path.endswith(">")) or " " in path:
        return None
    return NamedNode(path[1:-1])
