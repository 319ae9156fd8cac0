"""Reference-library oracle for tests: pyld reads JSON-LD (our bundled context only), pySHACL judges it.

`results` lists the top-level results of a pySHACL report (sh:result of the report node; the sh:detail
results that pySHACL nests under an sh:node result are not counted again).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyshacl
import rdflib
from rdflib.collection import Collection

from passport_graphs import graph_with_pyld
from passport_registry import resources

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
PASSPORT = rdflib.URIRef(resources.BPR + "BatteryPassport")


@cache
def shapes_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.shapes_bytes(), format="turtle")


@dataclass(frozen=True)
class Result:
    """One top-level validation result, reduced to what tests compare."""

    path: str | None  # the property IRI of sh:resultPath; None without a path; "a / b" for a sequence path
    constraint: str  # the sh:sourceConstraintComponent IRI
    focus: str  # "root" (the passport node) or "nested"
    focus_node: rdflib.term.Node
    value: rdflib.term.Node | None
    severity: str

    @property
    def key(self) -> tuple[str | None, str, str]:
        return (self.path, self.constraint, self.focus)


def results(document: Mapping[str, Any]) -> tuple[rdflib.Graph, list[Result]]:
    """The data graph of `document` and every top-level result pySHACL reports for it."""
    data = graph_with_pyld(dict(document))
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none")
    roots = set(data.subjects(rdflib.RDF.type, PASSPORT))
    found = []
    for report_node in report.subjects(rdflib.RDF.type, SH.ValidationReport):
        for result in report.objects(report_node, SH.result):
            path = report.value(result, SH.resultPath)
            focus = report.value(result, SH.focusNode)
            assert focus is not None
            found.append(
                Result(
                    path=_path(report, path),
                    constraint=str(report.value(result, SH.sourceConstraintComponent)),
                    focus="root" if focus in roots else "nested",
                    focus_node=focus,
                    value=report.value(result, SH.value),
                    severity=str(report.value(result, SH.resultSeverity)),
                )
            )
    return data, found


def _path(report: rdflib.Graph, path: rdflib.term.Node | None) -> str | None:
    if path is None or isinstance(path, rdflib.URIRef):
        return None if path is None else str(path)
    steps = list(Collection(report, path))
    assert steps and all(isinstance(step, rdflib.URIRef) for step in steps), f"unexpected path {path!r}"
    return " / ".join(str(step) for step in steps)


def node_chain(
    data: rdflib.Graph, node: rdflib.term.Node
) -> list[tuple[rdflib.term.Node, str, rdflib.term.Node]]:
    """The (parent, property IRI, child) edges from the passport root down to `node` (empty for the root)."""
    chain = []
    seen = {node}
    while (node, rdflib.RDF.type, PASSPORT) not in data:
        edges = [(s, p) for s, p in data.subject_predicates(node) if p != rdflib.RDF.type]
        assert len(edges) == 1, f"{node} is reached through {len(edges)} edges, expected one"
        parent, predicate = edges[0]
        chain.append((parent, str(predicate), node))
        assert parent not in seen, "cycle"
        seen.add(parent)
        node = parent
    return list(reversed(chain))


def node_constraint_chain(
    data: rdflib.Graph, leaf: Result
) -> set[tuple[rdflib.term.Node, str, rdflib.term.Node]]:
    """The sh:node results that SHACL's sh:node adds above a nested fault: one per edge root -> leaf focus."""
    return set(node_chain(data, leaf.focus_node))
