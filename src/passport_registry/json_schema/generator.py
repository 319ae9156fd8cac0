"""Translate a SHACL Core shapes graph into JSON Schema keywords for JSON written with a JSON-LD context.

`SchemaGenerator` walks the shapes with rdflib: one `$defs` entry per named node shape, one `properties` entry
per path, and a `$comment` (collected in `notes`) wherever a constraint has no JSON Schema equivalent.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from passport_registry.errors import UnprocessableInput
from passport_registry.json_schema.context import JsonLdContext, TermDefinition
from passport_registry.json_schema.decimals import bound_pattern, canonical_decimal
from passport_registry.json_schema.keywords import (
    DATATYPES,
    NATIVE_DATATYPES,
    STRING_NUMBERS,
    Schema,
    canonical,
    excludes_arrays,
    json_number,
    merge_schemas,
    regex_literal,
    type_includes,
)
from passport_registry.vocabulary.terms import CONTEXT_PATH, CONTEXT_URL, BPR_BatteryPassport

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF_type = URIRef(RDF + "type")
RDF_langString = RDF + "langString"
RDFS_Class = URIRef(RDFS + "Class")
RDFS_label = URIRef(RDFS + "label")
RDFS_comment = URIRef(RDFS + "comment")
SH_NodeShape = URIRef(SH + "NodeShape")

SCHEMA_ID = "https://w3id.org/passport-registry/schemas/battery-passport.schema.json"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

_PAIRWISE = ("equals", "disjoint", "lessThan", "lessThanOrEquals")
# Every SHACL predicate the generator reads or may safely ignore (annotations, SPARQL noted where used).
_KNOWN_PARAMETERS = frozenset(
    {
        *_PAIRWISE,
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


def sh(local: str) -> URIRef:
    """The SHACL IRI `sh:local`."""
    return URIRef(SH + local)


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class SchemaGenerator:
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

    # --- reading the shapes graph -------------------------------------------------------------------

    def _objects(self, node: Node, local: str) -> list[Node]:
        return sorted(self.graph.objects(node, sh(local)), key=_node_key)

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
            return self.def_names.get(shape) or _local_name(str(shape))
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
        return sorted((s for s in found if self._is_active(s)), key=_node_key)

    # --- the schema ---------------------------------------------------------------------------------

    def generate(self) -> Schema:
        """The whole schema: `$defs` per named node shape, the root refers to the shapes of the root class."""
        node_shapes = set(self.graph.subjects(RDF_type, SH_NodeShape))
        node_shapes |= set(self.graph.subjects(sh("targetClass"), None))
        node_shapes |= {o for o in self.graph.objects(None, sh("node")) if isinstance(o, URIRef)}
        named = sorted((s for s in node_shapes if isinstance(s, URIRef)), key=_node_key)
        taken: dict[str, int] = {}
        for shape in named:
            taken[_local_name(str(shape))] = taken.get(_local_name(str(shape)), 0) + 1
        for shape in named:
            name = _local_name(str(shape))
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

    # --- constraints on the values of a property ------------------------------------------------------

    def property_schema(self, props: list[Node], ctx: JsonLdContext) -> Schema:
        """The object-level schema of the property shapes of one path: its key under `properties`, `required`.

        Several shapes on one path hold together: the largest sh:minCount, the smallest sh:maxCount, and every
        value constraint of each applies to each value.
        """
        steps = self._sequence(self._one(props[0], "path"))
        if steps is None:
            return self._note(self._label(props[0]), "complex property paths are not translated")
        if len(steps) > 1:
            return self._sequence_schema(props, steps, ctx)
        path = steps[0]
        term = ctx.term_for_property(str(path))
        where = term.key
        value_ctx = ctx.scoped(term.scoped_context)
        fragments = [self.value_schema(prop, value_ctx, term, where) for prop in props]
        for local in ("name", "description"):
            texts = [t for t in (self._text(prop, sh(local)) for prop in props) if t]
            if texts:
                fragments.append({"title" if local == "name" else "description": texts[0]})
        for prop in props:
            for local in _PAIRWISE:
                for other in self._objects(prop, local):
                    other_key = ctx.term_for_property(str(other)).key
                    fragments.append(self._note(where, f"sh:{local} {other_key} compares two properties"))
        for shape in sorted(self.graph.subjects(sh("targetObjectsOf"), path), key=_node_key):
            if self._is_active(shape) and isinstance(shape, URIRef) and shape in self.def_names:
                fragments.append(self._ref_or_inline(shape, value_ctx, term))
        item = merge_schemas(fragments)
        min_counts = [n for n in (self._int(prop, "minCount") for prop in props) if n is not None]
        max_counts = [n for n in (self._int(prop, "maxCount") for prop in props) if n is not None]
        min_count = max(min_counts, default=0)
        max_count = min(max_counts, default=None)
        if max_count == 0:
            return {"properties": {term.key: False}}
        consts = [
            self.json_value(v, value_ctx, term) for prop in props for v in self._objects(prop, "hasValue")
        ]
        contains: list[Schema] = [{"contains": {"const": c}} for c in consts]
        single: list[Schema] = [{"const": c} for c in consts]
        needs_a_value = min_count >= 1 or bool(consts)  # sh:hasValue fails when there is no value at all
        for prop in props:
            qualified = self._one(prop, "qualifiedValueShape")
            if qualified is None:
                continue
            q_schema = self.shape_schema(qualified, value_ctx, term)
            q_min = self._int(prop, "qualifiedMinCount") or 0
            q_max = self._int(prop, "qualifiedMaxCount")
            clause: Schema = {"contains": q_schema, "minContains": q_min}
            if q_max is not None:
                clause["maxContains"] = q_max
            contains.append(clause)
            # One value: "at least n >= 1 conform" means it conforms; "at most 0 conform" means it does not.
            needs_a_value = needs_a_value or q_min >= 1
            if q_min >= 2:
                single.append({"not": {}})
            elif q_min == 1:
                single.append(q_schema)
            elif q_max == 0:
                single.append({"not": q_schema})
            disjoint = self._one(prop, "qualifiedValueShapesDisjoint")
            if isinstance(disjoint, Literal) and disjoint.toPython() is True:
                item = merge_schemas([item, self._note(where, "sh:qualifiedValueShapesDisjoint")])
        if "@language" in term.container:
            value = self._language_map(props, where, min_count, max_count)
        elif term.is_set or min_count >= 2:
            value = self._array(item, min_count, max_count, contains)
        elif max_count == 1:
            value = merge_schemas([item, *single])
        else:
            value = self._single_or_array(
                merge_schemas([item, *single]), item, min_count, max_count, contains
            )
        fragment: Schema = {"properties": {term.key: value}}
        if needs_a_value:
            fragment["required"] = [term.key]
        return fragment

    def _sequence_schema(self, props: list[Node], steps: list[URIRef], ctx: JsonLdContext) -> Schema:
        """Value constraints along a sequence path, nested key by key; counts along it are not expressible."""
        terms: list[TermDefinition] = []
        contexts: list[JsonLdContext] = []
        for step in steps:
            terms.append(ctx.term_for_property(str(step)))
            ctx = ctx.scoped(terms[-1].scoped_context)
            contexts.append(ctx)
        where = "/".join(t.key for t in terms)
        fragments = [self.value_schema(prop, contexts[-1], terms[-1], where) for prop in props]
        for prop in props:
            for local in ("minCount", "maxCount", "hasValue", "qualifiedValueShape", *_PAIRWISE):
                if self._objects(prop, local):
                    fragments.append(self._note(where, f"sh:{local} along a sequence path"))
        value = merge_schemas(fragments)
        for term in reversed(terms):
            wrapped = {"type": "array", "items": value} if term.is_set else None
            value = wrapped or self._single_or_array(value, value, 0, None, [])
            value = {"properties": {term.key: value}}
        return value

    def _single_or_array(
        self, one: Schema, item: Schema, min_count: int, max_count: int | None, contains: list[Schema]
    ) -> Schema:
        """A key that may hold one value or an array of values (a term without @set in the context)."""
        if not excludes_arrays(one):
            one = merge_schemas([one, {"not": {"type": "array"}}])
        return {"anyOf": [one, self._array(item, min_count, max_count, contains)]}

    @staticmethod
    def _array(item: Schema, min_count: int, max_count: int | None, contains: list[Schema]) -> Schema:
        array: Schema = {"type": "array", "items": item}
        if min_count:
            array["minItems"] = min_count
        if max_count is not None:
            array["maxItems"] = max_count
        if len(contains) == 1:
            array.update(contains[0])
        elif contains:
            array["allOf"] = sorted(contains, key=canonical)
        return array

    def _language_map(self, props: list[Node], where: str, min_count: int, max_count: int | None) -> Schema:
        text: Schema = {"type": "string"}
        value: Schema = {
            "type": "object",
            "additionalProperties": {"anyOf": [text, {"type": "array", "items": text}]},
        }
        for prop in props:
            for languages in self._objects(prop, "languageIn"):
                value["propertyNames"] = {"enum": sorted(str(x) for x in self._list(languages))}
            unique = self._one(prop, "uniqueLang")
            if isinstance(unique, Literal) and unique.toPython() is True:
                value["additionalProperties"] = text
        if min_count:
            value["minProperties"] = min_count
        if max_count is not None:
            value = merge_schemas([value, self._note(where, "sh:maxCount on a language map counts strings")])
        return value

    def value_schema(
        self, shape: Node, ctx: JsonLdContext, term: TermDefinition | None, where: str
    ) -> Schema:
        """Schema of one value node, written as JSON under `term`, for the value constraints of `shape`."""
        fragments: list[Schema] = []
        coercion = term.type if term is not None else None
        for datatype in self._objects(shape, "datatype"):
            fragments.append(self._datatype(str(datatype), term, where))
        for kind in self._objects(shape, "nodeKind"):
            fragments.append(self._node_kind(str(kind), coercion, where))
        for values in self._objects(shape, "in"):
            members = self._list(values)
            fragments.append({"enum": [self.json_value(v, ctx, term) for v in members]})
        if self._one(shape, "path") is None:
            for value in self._objects(shape, "hasValue"):
                fragments.append({"const": self.json_value(value, ctx, term)})
        for local, keyword, lower, inclusive in (
            ("minInclusive", "minimum", True, True),
            ("maxInclusive", "maximum", False, True),
            ("minExclusive", "exclusiveMinimum", True, False),
            ("maxExclusive", "exclusiveMaximum", False, False),
        ):
            for bound in self._objects(shape, local):
                number = json_number(bound)
                if number is None:
                    fragments.append(self._note(where, f"sh:{local} {bound} on a non-numeric value"))
                elif coercion in STRING_NUMBERS:  # written as a string: the bound is a pattern
                    limit = Decimal(str(bound))
                    fragments.append({"pattern": bound_pattern(limit, lower=lower, inclusive=inclusive)})
                else:
                    fragments.append({keyword: number})
        iri_valued = coercion in ("@id", "@vocab")
        for local, keyword in (("minLength", "minLength"), ("maxLength", "maxLength")):
            length = self._int(shape, local)
            if length is not None:
                if iri_valued:
                    fragments.append(self._note(where, f"sh:{local} applies to the expanded IRI"))
                else:
                    fragments.append({keyword: length})
        for pattern in self._objects(shape, "pattern"):
            flags = self._one(shape, "flags")
            if iri_valued:
                fragments.append(self._note(where, f"sh:pattern {pattern} applies to the expanded IRI"))
            elif flags is not None and str(flags) != "":
                fragments.append({"pattern": str(pattern)})
                fragments.append(self._note(where, f"sh:flags {flags!s} on sh:pattern are not applied"))
            else:
                fragments.append({"pattern": str(pattern)})
        for cls in self._objects(shape, "class"):
            fragments.append(self._class(cls, ctx, term, where))
        for target in self._objects(shape, "node"):
            fragments.append(self._ref_or_inline(target, ctx, term))
        for local, keyword in (("or", "anyOf"), ("xone", "oneOf"), ("and", "allOf")):
            for member_list in self._objects(shape, local):
                parts = [self.shape_schema(m, ctx, term) for m in self._list(member_list)]
                fragments.append(self._logical(keyword, parts))
        for negated in self._objects(shape, "not"):
            fragments.append({"not": self.shape_schema(negated, ctx, term)})
        for local in ("languageIn", "uniqueLang"):
            if self._objects(shape, local) and not (term and "@language" in term.container):
                fragments.append(self._note(where, f"sh:{local} needs language-tagged strings"))
        for local in ("sparql", "expression", "rule"):
            if self._objects(shape, local):
                fragments.append(self._note(where, f"sh:{local} is not SHACL Core"))
        return merge_schemas(fragments)

    @staticmethod
    def _logical(keyword: str, parts: list[Schema]) -> Schema:
        # sh:or (sh:not A, B) means "if A then B", which reads better.
        if keyword == "anyOf" and len(parts) == 2:
            for negated, other in ((parts[0], parts[1]), (parts[1], parts[0])):
                if set(negated) == {"not"}:
                    return {"if": negated["not"], "then": other}
            # sh:or (A, B) where only B requires keys: "if A holds, fine; else B".
            for condition, other in ((parts[0], parts[1]), (parts[1], parts[0])):
                if "required" not in condition and "required" in other:
                    return {"if": condition, "else": other}
        return {keyword: parts}

    def _datatype(self, datatype: str, term: TermDefinition | None, where: str) -> Schema:
        coercion = term.type if term is not None else None
        if datatype == RDF_langString:
            if term is not None and (term.language or "@language" in term.container):
                return {"type": "string"}
            return self._note(where, "rdf:langString needs a language (set @language in the context)")
        json_form = dict(DATATYPES.get(datatype, {"type": "string"}))
        if datatype not in DATATYPES:
            json_form.update(self._note(where, f"lexical form of <{datatype}> is not checked"))
        if coercion in ("@id", "@vocab"):
            return merge_schemas(
                [json_form, self._note(where, f"sh:datatype on a key coerced to {coercion}")]
            )
        if coercion is None and datatype not in NATIVE_DATATYPES:
            native = (
                "a JSON number with a fraction is xsd:double, an integer is xsd:integer, a string xsd:string"
            )
            return merge_schemas(
                [json_form, self._note(where, f"key not coerced to <{datatype}> in the context ({native})")]
            )
        if coercion is not None and coercion != datatype:
            return merge_schemas(
                [json_form, self._note(where, f"context coerces to <{coercion}>, shape wants <{datatype}>")]
            )
        return json_form

    def _node_kind(self, kind: str, coercion: str | None, where: str) -> Schema:
        iri_string = coercion in ("@id", "@vocab")
        reference: Schema = {"type": "string"} if iri_string else {"type": "object", "required": ["@id"]}
        blank: Schema = {"type": "object", "not": {"required": ["@id"]}}
        literal: Schema = {"type": ["string", "number", "boolean"]}
        forms: dict[str, list[Schema]] = {
            SH + "IRI": [reference],
            SH + "BlankNode": [blank],
            SH + "Literal": [] if iri_string else [literal],
            SH + "BlankNodeOrIRI": [reference, blank] if iri_string else [{"type": "object"}],
            SH + "BlankNodeOrLiteral": [blank] if iri_string else [blank, literal],
            SH + "IRIOrLiteral": [reference] if iri_string else [reference, literal],
        }
        options = forms.get(kind)
        if options is None:
            return self._note(where, f"unknown sh:nodeKind <{kind}>")
        if not options:
            return {"not": {}}
        return options[0] if len(options) == 1 else {"anyOf": options}

    def _class(self, cls: Node, ctx: JsonLdContext, term: TermDefinition | None, where: str) -> Schema:
        if term is not None and term.type in ("@id", "@vocab"):
            return self._note(where, f"sh:class {ctx.compact(str(cls))}: the type of a referenced IRI")
        typed: Schema = {
            "type": "object",
            "required": ["@type"],
            "properties": {"@type": type_includes(ctx.spellings_of(str(cls)))},
        }
        fragments = [typed]
        for shape in self.shapes_targeting(cls):
            if isinstance(shape, URIRef) and shape in self.def_names and shape not in self._building:
                fragments.append(self._ref_or_inline(shape, ctx, term))
        return merge_schemas(fragments)

    def json_value(self, node: Node, ctx: JsonLdContext, term: TermDefinition | None) -> Any:
        """How RDF term `node` is written as a JSON value under `term` (a short code for @vocab keys)."""
        if isinstance(node, Literal):
            if term is not None and term.type in STRING_NUMBERS and json_number(node) is not None:
                return canonical_decimal(str(node))  # as the registry writes such numbers
            number = json_number(node)
            if number is not None:
                return number
            python = node.toPython()
            return python if isinstance(python, bool | str) else str(node)
        if isinstance(node, URIRef) and term is not None and term.type == "@vocab":
            return ctx.code_for(str(node))
        return str(node)


def _node_key(node: Node) -> tuple[int, str]:
    return (isinstance(node, BNode), str(node) if not isinstance(node, BNode) else "")
