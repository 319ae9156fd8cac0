"""Translate a SHACL Core shapes graph into JSON Schema keywords for JSON written with a JSON-LD context.

`SchemaGenerator` walks the shapes with rdflib: one `$defs` entry per named node shape, one `properties` entry
per path, and a `$comment` (collected in `notes`) wherever a constraint has no JSON Schema equivalent.
This module holds the node shapes (`$defs`, the root, closed shapes); the keyword families it builds on are
`values.py` (one value: datatype, node kind, ranges, patterns, logical shapes), `properties.py` (counts,
arrays, qualified shapes, sequence paths) and `shapes.py` (look-ups in the shapes graph).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from passport_registry.errors import UnprocessableInput
from passport_registry.json_schema.context import JsonLdContext, TermDefinition
from passport_registry.json_schema.keywords import Schema, merge_schemas, regex_literal, type_includes
from passport_registry.json_schema.properties import PropertyKeywords
from passport_registry.json_schema.shapes import (
    PAIRWISE,
    SH,
    RDF_type,
    RDFS_comment,
    RDFS_label,
    SH_NodeShape,
    local_name,
    node_key,
    sh,
)
from passport_registry.vocabulary.terms import CONTEXT_PATH, CONTEXT_URL, BPR_BatteryPassport

SCHEMA_ID = "https://w3id.org/passport-registry/schemas/battery-passport.schema.json"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# Every SHACL predicate the generator reads or may safely ignore (annotations, SPARQL noted where used).
_KNOWN_PARAMETERS = frozenset(
    {
        *PAIRWISE,
        *("path", "property", "node", "class", "datatype", "nodeKind", "in", "hasValue", "closed"),
        *("minCount", "maxCount", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive"),
        *("minLength", "maxLength", "pattern", "flags", "languageIn", "uniqueLang", "ignoredProperties"),
        *("or", "and", "xone", "not", "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount"),
        *("qualifiedValueShapesDisjoint", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"),
        *("target", "deactivated", "sparql", "expression", "rule"),
        *("name", "description", "message", "severity", "order", "group", "defaultValue", "declare"),
        *("prefixes", "prefix", "namespace", "shapesGraph", "suggestedShapesGraph", "entailment"),
    }
)


class SchemaGenerator(PropertyKeywords):
    """Translates one shapes graph under one context; `generate()` returns the whole schema as a dict.

    The generator keeps the `$defs` it has built and the notes on what it could not express; make a new one
    per schema.
    """

    def __init__(
        self,
        shapes: Graph,
        context: JsonLdContext,
        *,
        root_class: str = BPR_BatteryPassport.value,
        schema_id: str = SCHEMA_ID,
    ) -> None:
        self.graph = shapes
        self.context = context
        self.root_class = URIRef(root_class)
        self.schema_id = schema_id
        self.defs: dict[str, Schema] = {}
        self.def_names: dict[Node, str] = {}
        self.notes: set[str] = set()
        self._building: set[Node] = set()
        self._iri_keys: Schema = {}

    # --- the schema ---------------------------------------------------------------------------------

    def generate(self) -> Schema:
        """The whole schema: `$defs` per named node shape, the root refers to the shapes of the root class."""
        node_shapes = set(self.graph.subjects(RDF_type, SH_NodeShape))
        node_shapes |= set(self.graph.subjects(sh("targetClass"), None))
        node_shapes |= {o for o in self.graph.objects(None, sh("node")) if isinstance(o, URIRef)}
        named = sorted((s for s in node_shapes if isinstance(s, URIRef)), key=node_key)
        taken: dict[str, int] = {}
        for shape in named:
            taken[local_name(str(shape))] = taken.get(local_name(str(shape)), 0) + 1
        for shape in named:
            name = local_name(str(shape))
            self.def_names[shape] = name if taken[name] == 1 else self.context.compact(str(shape))
        self._iri_keys = self._iri_key_guard()
        for shape in named:
            self._define(shape)
        for predicate in sorted({str(p) for p in self.graph.predicates() if str(p).startswith(SH)}):
            if predicate[len(SH) :] not in _KNOWN_PARAMETERS:
                self.notes.add(f"sh:{predicate[len(SH) :]} is not translated")
        for subject, severity in self.graph.subject_objects(sh("severity")):
            if severity != sh("Violation"):
                local = str(severity).removeprefix(SH)
                self._note(self._label(subject), f"sh:severity sh:{local} is checked as a violation")
        declared = set(self.graph.objects(None, sh("path")))
        for shape in named:
            for local in ("targetNode", "target"):
                if self._objects(shape, local):
                    self._note(self._label(shape), f"sh:{local} targets are not translated")
            for path in self._objects(shape, "targetObjectsOf"):
                if path not in declared:  # else applied to that key's values, see property_schema
                    self._note(self._label(shape), f"sh:targetObjectsOf {path} is on no declared key")
        roots = self.shapes_targeting(self.root_class)
        if not roots:
            raise UnprocessableInput(f"no shape targets the root class <{self.root_class}>")
        root_rules: list[Schema] = [{"$ref": f"#/$defs/{self.def_names[s]}"} for s in roots]
        for shape in named:
            if self._objects(shape, "targetSubjectsOf") and self._is_active(shape):
                root_rules.append(self._subjects_of_rule(shape, named, roots))
        type_keys = self.context.keys_for("@type")
        root: Schema = {
            "$schema": DRAFT_2020_12,
            "$id": self.schema_id,
            "title": "Battery passport (plain JSON with the battery passport JSON-LD context)",
            "description": (
                "Generated from the SHACL shapes and the JSON-LD context; do not edit by hand. Values use "
                "the JSON keys of the context; controlled values are short codes; multi-valued keys whose "
                "context term is a @set are arrays."
            ),
            "type": "object",
            "properties": {
                "@context": {
                    "description": (
                        f"The JSON-LD context: {CONTEXT_URL!r}, or the URL where a registry "
                        f"serves it ({{base_url}}{CONTEXT_PATH})."
                    )
                },
                "@id": {"type": "string"},
                **{k: type_includes(self.context.spellings_of(str(self.root_class))) for k in type_keys},
            },
            "allOf": root_rules,
            **self._iri_keys,
            "$defs": {k: self.defs[k] for k in sorted(self.defs)},
        }
        if len(type_keys) == 1:
            root["required"] = type_keys
        else:
            root["anyOf"] = [{"required": [k]} for k in type_keys]
        if self.notes:
            root["$comment"] = "Not expressible in JSON Schema (accepted here, checked by the registry): " + (
                "; ".join(sorted(self.notes))
            )
        return root

    def _subjects_of_rule(self, shape: URIRef, named: list[URIRef], roots: list[Node]) -> Schema:
        """`sh:targetSubjectsOf`: at the root, "if any of these keys is present, the shape applies".

        Nested objects are covered too when every other object shape is closed and declares none of the
        keys (a nested object then cannot carry them); otherwise the gap is noted.
        """
        paths = [p for p in self._objects(shape, "targetSubjectsOf") if isinstance(p, URIRef)]
        keys = sorted({self.context.term_for_property(str(p)).key for p in paths})
        for other in named:
            if other == shape or other in roots or self._objects(other, "targetSubjectsOf"):
                continue
            closed = self._one(other, "closed")
            own = {self._one(prop, "path") for prop in self._objects(other, "property")}
            if not (isinstance(closed, Literal) and closed.toPython() is True) or own & set(paths):
                self._note(
                    self._label(shape), f"sh:targetSubjectsOf is applied to the root object only ({other})"
                )
                break
        condition = {"anyOf": [{"required": [k]} for k in keys]} if len(keys) > 1 else {"required": keys}
        return {"if": condition, "then": {"$ref": f"#/$defs/{self._define(shape)}"}}

    def _iri_key_guard(self) -> Schema:
        """Refuse keys written as compact or full IRIs in the namespaces of constrained properties.

        Such a key reaches the shapes like its context term does, but the schema only knows the term: without
        this guard `"bpr:ratedCapacity": "x"` would slip past the schema while the shapes reject it.
        """
        paths = {str(p) for p in self.graph.objects(None, sh("path")) if isinstance(p, URIRef)}
        prefixes: set[str] = set()
        for term in self.context.terms.values():
            if term.prefix and any(path.startswith(term.iri) for path in paths):
                prefixes.update({regex_literal(term.key + ":"), regex_literal(term.iri)})
        if not prefixes:
            return {}
        return {"propertyNames": {"not": {"pattern": "^(" + "|".join(sorted(prefixes)) + ")"}}}

    def _define(self, shape: Node) -> str:
        name = self.def_names[shape]
        if name not in self.defs and shape not in self._building:
            self._building.add(shape)
            closed = self._one(shape, "closed")
            guard = {} if isinstance(closed, Literal) and closed.toPython() is True else self._iri_keys
            schema = merge_schemas([{"type": "object"}, guard, self.shape_schema(shape, self.context, None)])
            title = self._text(shape, RDFS_label) or self._text(shape, sh("name"))
            description = self._text(shape, RDFS_comment) or self._text(shape, sh("description"))
            if title:
                schema["title"] = title
            if description:
                schema["description"] = description
            self.defs[name] = schema
            self._building.discard(shape)
        return name

    def shape_schema(self, shape: Node, ctx: JsonLdContext, term: TermDefinition | None) -> Schema:
        """Schema of a JSON value (under `term`, or a node object when None) that conforms to `shape`."""
        if not self._is_active(shape):
            return {}
        if self._one(shape, "path") is not None:
            return self.property_schema([shape], ctx)
        where = self._label(shape)
        fragments = [self.value_schema(shape, ctx, term, where)]
        by_path: dict[str, list[Node]] = {}
        for prop in self._objects(shape, "property"):
            if self._is_active(prop):
                by_path.setdefault(self._path_key(prop), []).append(prop)
        for props in by_path.values():
            fragments.append(self.property_schema(props, ctx))
        closed = self._one(shape, "closed")
        if isinstance(closed, Literal) and closed.toPython() is True:
            fragments.append(self._closed(shape, ctx))
        return merge_schemas(fragments)

    def _closed(self, shape: Node, ctx: JsonLdContext) -> Schema:
        """`sh:closed`: only declared keys, `@context` and `@id`; `@type` only when rdf:type is allowed."""
        allowed = {"@context", *ctx.keys_for("@id")}
        iris = {self._one(prop, "path") for prop in self._objects(shape, "property")}
        for ignored_list in self._objects(shape, "ignoredProperties"):
            iris.update(self._list(ignored_list))
        for iri in iris:
            if iri == RDF_type:
                allowed.update(ctx.keys_for("@type"))
            elif isinstance(iri, URIRef):
                allowed.add(ctx.term_for_property(str(iri)).key)
        return {"propertyNames": {"enum": sorted(allowed)}}

    def _ref_or_inline(self, target: Node, ctx: JsonLdContext, term: TermDefinition | None) -> Schema:
        """A `$ref` to a named shape if values are node objects in the root context, else the shape inline."""
        objects_in_root_context = term is None or (term.type is None and term.scoped_context is None)
        if isinstance(target, URIRef) and target in self.def_names and objects_in_root_context:
            return {"$ref": f"#/$defs/{self._define(target)}", "type": "object"}
        if target in self._building:
            return self._note(self._label(target), "recursive shape under a scoped context is not checked")
        self._building.add(target)
        try:
            if term is None or term.type is None:
                return merge_schemas([{"type": "object"}, self.shape_schema(target, ctx, term)])
            # A coerced key holds a string: the shape's value constraints apply to it, but a property of a
            # referenced IRI is not in the document (the shapes would see no value at all).
            fragments = [self.shape_schema(target, ctx, term)]
            if self._objects(target, "property"):
                where = f"{term.key} -> {self._label(target)}"
                fragments.append(self._note(where, "properties of a node given by its IRI are not checked"))
            return merge_schemas(fragments)
        finally:
            self._building.discard(target)
