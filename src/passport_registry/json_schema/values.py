"""JSON Schema keywords for one value node: datatype, node kind, `sh:in`, ranges, lengths, patterns, classes,
nested and logical shapes, and how an RDF term is written as a JSON value.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from passport_registry.json_schema.context import JsonLdContext, TermDefinition
from passport_registry.json_schema.decimals import bound_pattern, canonical_decimal
from passport_registry.json_schema.keywords import (
    DATATYPES,
    NATIVE_DATATYPES,
    STRING_NUMBERS,
    Schema,
    json_number,
    merge_schemas,
    type_includes,
)
from passport_registry.json_schema.shapes import SH, RDF_langString, ShapeReader


class ValueKeywords(ShapeReader):
    """The value constraints of a shape, translated for a value written under one context term."""

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
