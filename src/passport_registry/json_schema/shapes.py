"""Reading a SHACL shapes graph for the JSON Schema generator: SHACL names, value look-ups, labels, notes.

`ShapeReader` is the base of the generator's keyword families (`values.py`, `properties.py`, `generator.py`):
it holds the state they share and declares the two entry points they call back into.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from passport_registry.json_schema.context import JsonLdContext, TermDefinition
from passport_registry.json_schema.keywords import Schema

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_type = URIRef(RDF + "type")
RDF_langString = RDF + "langString"
RDFS_Class = URIRef(RDFS + "Class")
RDFS_label = URIRef(RDFS + "label")
RDFS_comment = URIRef(RDFS + "comment")
SH_NodeShape = URIRef(SH + "NodeShape")

PAIRWISE = ("equals", "disjoint", "lessThan", "lessThanOrEquals")


def sh(local: str) -> URIRef:
    """The SHACL IRI `sh:local`."""
    return URIRef(SH + local)


def local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def node_key(node: Node) -> tuple[int, str]:
    """A sort key that orders IRIs and literals by their text and puts blank nodes last."""
    return (isinstance(node, BNode), str(node) if not isinstance(node, BNode) else "")


class ShapeReader(ABC):
    """Look-ups in the shapes graph and the state one schema's translation shares (see `SchemaGenerator`)."""

    graph: Graph
    context: JsonLdContext
    defs: dict[str, Schema]
    def_names: dict[Node, str]
    notes: set[str]
    _building: set[Node]

    def _objects(self, node: Node, local: str) -> list[Node]:
        return sorted(self.graph.objects(node, sh(local)), key=node_key)

    def _one(self, node: Node, local: str) -> Node | None:
        values = self._objects(node, local)
        return values[0] if values else None

    def _int(self, node: Node, local: str) -> int | None:
        value = self._one(node, local)
        return int(value.toPython()) if isinstance(value, Literal) else None

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.graph, node))

    def _text(self, node: Node, predicate: URIRef) -> str | None:
        values = [v for v in self.graph.objects(node, predicate) if isinstance(v, Literal)]
        values.sort(key=lambda v: (v.language not in (None, "en"), v.language or "", str(v)))
        return str(values[0]) if values else None

    def _is_active(self, shape: Node) -> bool:
        flag = self._one(shape, "deactivated")
        return not (isinstance(flag, Literal) and flag.toPython() is True)

    def _label(self, shape: Node) -> str:
        if isinstance(shape, URIRef):
            return self.def_names.get(shape) or local_name(str(shape))
        path = self._one(shape, "path")
        return f"[{self.context.term_for_property(str(path)).key}]" if path is not None else "[anonymous]"

    def _note(self, where: str, text: str) -> Schema:
        self.notes.add(f"{where}: {text}")
        return {"$comment": text}

    def shapes_targeting(self, cls: Node) -> list[Node]:
        """Active shapes whose targets include every instance of `cls` (explicit or implicit class target)."""
        found = set(self.graph.subjects(sh("targetClass"), cls))
        if (cls, RDF_type, SH_NodeShape) in self.graph and (cls, RDF_type, RDFS_Class) in self.graph:
            found.add(cls)
        return sorted((s for s in found if self._is_active(s)), key=node_key)

    def _path_key(self, prop: Node) -> str:
        path = self._one(prop, "path")
        if isinstance(path, URIRef):
            return str(path)
        steps = self._sequence(path)
        return " / ".join(str(step) for step in steps) if steps else f"complex {prop}"

    def _sequence(self, path: Node | None) -> list[URIRef] | None:
        """The predicates of a sequence path of plain predicates (a one-step path too), else None."""
        if isinstance(path, URIRef):
            return [path]
        if path is None or (path, URIRef(RDF + "first"), None) not in self.graph:
            return None
        steps = self._list(path)
        return (
            [s for s in steps if isinstance(s, URIRef)] if all(isinstance(s, URIRef) for s in steps) else None
        )

    # --- implemented by SchemaGenerator, called by every keyword family ------------------------------

    @abstractmethod
    def shape_schema(self, shape: Node, ctx: JsonLdContext, term: TermDefinition | None) -> Schema:
        """Schema of a JSON value (under `term`, or a node object when None) that conforms to `shape`."""

    @abstractmethod
    def _ref_or_inline(self, target: Node, ctx: JsonLdContext, term: TermDefinition | None) -> Schema:
        """A `$ref` to a named shape if values are node objects in the root context, else the shape inline."""
