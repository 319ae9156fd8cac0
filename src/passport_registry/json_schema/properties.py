"""JSON Schema keywords for the values of one property: counts, `sh:hasValue`, qualified shapes, arrays,
language maps and sequence paths.
"""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node

from passport_registry.json_schema.context import JsonLdContext, TermDefinition
from passport_registry.json_schema.keywords import Schema, canonical, excludes_arrays, merge_schemas
from passport_registry.json_schema.shapes import PAIRWISE, node_key, sh
from passport_registry.json_schema.values import ValueKeywords


class PropertyKeywords(ValueKeywords):
    """The property shapes of one path, translated into the key's entry under `properties` and `required`."""

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
            for local in PAIRWISE:
                for other in self._objects(prop, local):
                    other_key = ctx.term_for_property(str(other)).key
                    fragments.append(self._note(where, f"sh:{local} {other_key} compares two properties"))
        for shape in sorted(self.graph.subjects(sh("targetObjectsOf"), path), key=node_key):
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
            for local in ("minCount", "maxCount", "hasValue", "qualifiedValueShape", *PAIRWISE):
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
