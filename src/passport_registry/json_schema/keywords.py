"""JSON Schema building blocks for the generator: merging fragments, XSD datatypes as JSON, literal values."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from rdflib import Literal
from rdflib.term import Node

from passport_registry.json_schema.decimals import DECIMAL_PATTERN

Schema = dict[str, Any]

XSD = "http://www.w3.org/2001/XMLSchema#"

# JSON form of each XSD datatype when the context coerces the key to it (the lexical form is what counts).
# A decimal is a string holding its lexical form: JSON-LD would turn a JSON number with a fraction into the
# double notation ("3.1E-2"), which is no xsd:decimal (docs/model.md, "Numbers").
DATATYPES: Mapping[str, Schema] = {
    XSD + "string": {"type": "string"},
    XSD + "normalizedString": {"type": "string", "pattern": "^[^\\r\\n\\t]*$"},
    XSD + "token": {"type": "string"},
    XSD + "language": {"type": "string", "pattern": "^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$"},
    XSD + "boolean": {"type": "boolean"},
    XSD + "decimal": {"type": "string", "pattern": DECIMAL_PATTERN},
    XSD + "double": {"type": "number"},
    XSD + "float": {"type": "number"},
    XSD + "integer": {"type": "integer"},
    XSD + "int": {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    XSD + "long": {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1},
    XSD + "nonNegativeInteger": {"type": "integer", "minimum": 0},
    XSD + "positiveInteger": {"type": "integer", "minimum": 1},
    XSD + "nonPositiveInteger": {"type": "integer", "maximum": 0},
    XSD + "negativeInteger": {"type": "integer", "maximum": -1},
    XSD + "date": {"type": "string", "format": "date"},
    XSD + "dateTime": {"type": "string", "format": "date-time"},
    XSD + "time": {"type": "string", "format": "time"},
    XSD + "duration": {"type": "string", "format": "duration"},
    XSD + "gYear": {"type": "string", "pattern": "^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$"},
    XSD + "anyURI": {"type": "string", "format": "uri"},
}
# Datatypes whose values a key coerced to them holds as strings, so numeric bounds become patterns.
STRING_NUMBERS = frozenset({XSD + "decimal"})
# Datatypes a plain JSON value has without coercion (JSON-LD 1.1 expansion of native values).
NATIVE_DATATYPES = {XSD + "string", XSD + "boolean", XSD + "integer"}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def merge_schemas(fragments: Iterable[Schema]) -> Schema:
    """One schema that holds exactly when every fragment holds; colliding keywords go into `allOf`.

    `properties` merge key by key (a key constrained twice gets the `allOf` of both), `required` is the sorted
    union, `$comment`s join. Fragments are merged in canonical order, so the result is independent of the
    (unordered) RDF triples they came from.
    """
    result: Schema = {}
    extra: list[Schema] = []
    for fragment in sorted(fragments, key=canonical):
        for keyword, value in fragment.items():
            if keyword == "properties":
                props = result.setdefault("properties", {})
                for key, sub in value.items():
                    if key in props and props[key] != sub:
                        props[key] = {"allOf": sorted([props[key], sub], key=canonical)}
                    else:
                        props[key] = sub
            elif keyword == "required":
                result["required"] = sorted(set(result.get("required", [])) | set(value))
            elif keyword == "$comment":
                notes = [*result.get("$comment", "").split(" | "), value] if "$comment" in result else [value]
                result["$comment"] = " | ".join(dict.fromkeys(notes))
            elif keyword == "allOf":
                extra.extend(value)
            elif keyword not in result:
                result[keyword] = value
            elif result[keyword] != value:
                extra.append({keyword: value})
    if extra:
        unique = {canonical(e): e for e in extra}
        result["allOf"] = [unique[k] for k in sorted(unique)]
    return result


def type_includes(spellings: Sequence[str]) -> Schema:
    """Schema of an `@type` value (a string or an array) that names one of `spellings`."""
    return {
        "anyOf": [
            {"enum": list(spellings), "type": "string"},
            {"contains": {"enum": list(spellings)}, "type": "array"},
        ]
    }


def regex_literal(text: str) -> str:
    """`text` as a regular expression matching itself, valid in ECMA-262 (unicode mode) and Python `re`."""
    return re.sub(r"([\\.^$*+?()\[\]{}|/])", r"\\\1", text)


def excludes_arrays(schema: Schema) -> bool:
    """Whether `schema` by itself already rejects every JSON array (so a value cannot hide as `[]`)."""
    kind = schema.get("type")
    if kind is not None:
        return "array" not in (kind if isinstance(kind, list) else [kind])
    if "const" in schema:
        return not isinstance(schema["const"], list)
    if "enum" in schema:
        return not any(isinstance(v, list) for v in schema["enum"])
    return False


def json_number(node: Node) -> int | float | None:
    if not isinstance(node, Literal):
        return None
    python = node.toPython()
    if isinstance(python, bool) or not isinstance(python, int | float | Decimal):
        return None
    if isinstance(python, Decimal):
        return int(python) if python == python.to_integral_value() else float(python)
    return python
