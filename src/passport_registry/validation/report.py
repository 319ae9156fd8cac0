"""What a validation found, engine-neutral: violations as RDF terms, as JSON, and as a SHACL report graph."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Triple

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
SH_VIOLATION = NamedNode(SH + "Violation")
SH_NODE_CONSTRAINT = NamedNode(SH + "NodeConstraintComponent")

Subject = NamedNode | BlankNode
Term = NamedNode | BlankNode | Literal


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result (SHACL §3.6.2): which node, which property, what is wrong, and why.

    `focus_node` is a node, or a literal where a value stands where a node is expected (a shape that
    targets the objects of a property validates them whatever they are). `path` is the predicate IRI for
    a simple path, or None for a node-level constraint. `value` is the
    offending value when the constraint names one. `severity` is the full `sh:` IRI.
    """

    focus_node: Term
    path: NamedNode | None
    message: str | None
    severity: NamedNode
    source_shape: Subject | None
    constraint_component: NamedNode
    value: Term | None = None

    @property
    def key(self) -> tuple[str, str | None, str]:
        """(focus node, path, constraint component) as strings: what two engines must agree on.

        A blank focus node is written `_:` whatever its label: engines may relabel blank nodes (`shacl`
        does), and blank node labels mean nothing outside the document that holds them.
        """
        return (
            "_:" if isinstance(self.focus_node, BlankNode) else self.focus_node.value,
            None if self.path is None else self.path.value,
            self.constraint_component.value,
        )

    def to_json(self) -> dict[str, Any]:
        """Plain JSON: IRIs as strings, blank nodes as `_:label`, literal values as their lexical form."""
        return {
            "focusNode": _plain(self.focus_node),
            "path": None if self.path is None else self.path.value,
            "message": self.message,
            "severity": self.severity.value.removeprefix(SH),
            "sourceShape": None if self.source_shape is None else _plain(self.source_shape),
            "constraintComponent": self.constraint_component.value,
            "value": None if self.value is None else _plain(self.value),
        }


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of validating one data graph: `conforms` is true when no violation was found.

    Only results of severity `sh:Violation` make a graph non-conforming; warnings and infos are kept.
    `violations` are the engine's results as they are; `explained`, when the validator sets it, is what a
    partner reads (`validation.messages`): one entry per problem, consequences of other problems left out.
    """

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    explained: list[Violation] | None = None

    def __bool__(self) -> bool:
        return self.conforms

    def primary_violations(self) -> list[Violation]:
        """The violations without `sh:node` results that only repeat one reported on the nested node.

        When every nested node shape also targets its nodes (as the passport shapes do), one bad value
        yields its own result plus a `sh:NodeConstraintComponent` result on every node above it; those
        wrappers are dropped here. A wrapper whose nested node has no result of its own is kept.
        """
        focused = {v.focus_node for v in self.violations}
        return [
            v
            for v in self.violations
            if not (v.constraint_component == SH_NODE_CONSTRAINT and v.value in focused)
        ]

    @property
    def problems(self) -> list[Violation]:
        """What the report tells a partner: `explained` when set, else the primary violations."""
        return self.explained if self.explained is not None else self.primary_violations()

    def to_json(self) -> dict[str, Any]:
        """`{"conforms": bool, "violations": [...]}`: each of the `problems` as `Violation.to_json`, with
        its `focusPath`."""
        return {
            "conforms": self.conforms,
            "violations": [
                {**v.to_json(), "focusPath": [p.value for p in self.focus_path(v)]} for v in self.problems
            ],
        }

    def focus_path(self, violation: Violation) -> list[NamedNode]:
        """The properties that lead from the top node to `violation`'s focus node, as far as the report
        shows them: each step is an `sh:node` result whose value is the next node ([] at the root).

        Blank nodes have no name a reader could look up; this path says where the node sits.
        """
        parents = {
            v.value: v
            for v in self.violations
            if v.constraint_component == SH_NODE_CONSTRAINT and v.value is not None and v.path is not None
        }
        steps: list[NamedNode] = []
        node: Term = violation.focus_node
        while node in parents and len(steps) < len(parents):
            parent = parents[node]
            assert parent.path is not None
            steps.append(parent.path)
            node = parent.focus_node
        return steps[::-1]

    def triples(self) -> Iterator[Triple]:
        """The W3C SHACL validation report graph (SHACL §3.6): one `sh:ValidationReport` with its results
        (the `problems`, as in `to_json`)."""
        report = BlankNode()
        yield Triple(report, RDF_TYPE, NamedNode(SH + "ValidationReport"))
        yield Triple(
            report, NamedNode(SH + "conforms"), Literal(str(self.conforms).lower(), datatype=XSD_BOOLEAN)
        )
        for violation in self.problems:
            result = BlankNode()
            yield Triple(report, NamedNode(SH + "result"), result)
            yield Triple(result, RDF_TYPE, NamedNode(SH + "ValidationResult"))
            yield Triple(result, NamedNode(SH + "focusNode"), violation.focus_node)
            yield Triple(result, NamedNode(SH + "resultSeverity"), violation.severity)
            yield Triple(result, NamedNode(SH + "sourceConstraintComponent"), violation.constraint_component)
            if violation.path is not None:
                yield Triple(result, NamedNode(SH + "resultPath"), violation.path)
            if violation.source_shape is not None:
                yield Triple(result, NamedNode(SH + "sourceShape"), violation.source_shape)
            if violation.value is not None:
                yield Triple(result, NamedNode(SH + "value"), violation.value)
            if violation.message is not None:
                yield Triple(result, NamedNode(SH + "resultMessage"), Literal(violation.message))

    def to_turtle(self) -> str:
        """The report graph as Turtle, with the `sh:` prefix."""
        out = pyoxigraph.serialize(
            (Quad(t.subject, t.predicate, t.object) for t in self.triples()),
            format=pyoxigraph.RdfFormat.TURTLE,
            prefixes={"sh": SH},
        )
        assert out is not None
        return out.decode()


def _plain(term: Term) -> str:
    if isinstance(term, BlankNode):
        return str(term)
    return term.value
