"""The JSON Schema (draft 2020-12) of plain-JSON passports, generated from the SHACL shapes and the context.

The shapes are the one source of truth: every keyword of the schema comes from a SHACL Core constraint, and
the JSON-LD context says under which JSON key and in which JSON form (array, short code, IRI string, typed
string) each property's values are written. Where a constraint has no JSON Schema equivalent (comparisons
between two properties, ...), the schema says so in a `$comment` where it applies and in the top-level
`$comment`, and accepts rather than guesses.

`render` is byte-stable (sorted keys, fixed indentation), so the committed schema can be checked for drift:

    passport-registry schema [-o FILE] [--check]
    python -m passport_registry.json_schema [-o FILE] [--check] [--shapes S.ttl] [--context C.jsonld]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from rdflib import Graph

from passport_registry.errors import UnprocessableInput
from passport_registry.json_schema.context import JsonLdContext
from passport_registry.json_schema.generator import SchemaGenerator
from passport_registry.json_schema.keywords import Schema
from passport_registry.vocabulary import Vocabulary
from passport_registry.vocabulary.terms import BPR_BatteryPassport

__all__ = [
    "DEFAULT_OUTPUT",
    "build",
    "bundled_schema_bytes",
    "generate_schema",
    "main",
    "render",
    "schema_bytes",
]

# The committed schema sits beside the shapes in a source checkout; the package ships it through data/.
DEFAULT_OUTPUT = Path(__file__).resolve().parents[3] / "shapes" / "battery-passport.schema.json"


def generate_schema(
    shapes_turtle: str,
    context_document: Mapping[str, Any] | JsonLdContext,
    *,
    root_class: str = BPR_BatteryPassport.value,
) -> Schema:
    """The JSON Schema of plain-JSON passports for these shapes (Turtle) and this context document (or
    this context, already read)."""
    graph = Graph()
    try:
        graph.parse(data=shapes_turtle, format="turtle")
    except Exception as exc:  # rdflib raises many parser-specific types
        raise UnprocessableInput(f"the shapes are not valid Turtle: {exc}") from exc
    context = (
        context_document
        if isinstance(context_document, JsonLdContext)
        else JsonLdContext.from_document(context_document)
    )
    return SchemaGenerator(graph, context, root_class=root_class).generate()


def bundled_schema_bytes() -> bytes:
    """The committed schema as the installed package ships it (`data/battery-passport.schema.json`)."""
    return files("passport_registry").joinpath("data", "battery-passport.schema.json").read_bytes()


def schema_bytes(vocabulary: Vocabulary) -> bytes:
    """The published schema of a registry's vocabulary: the committed one for the bundled files, else
    generated from its shapes and context (a registry reading its own copies publishes what they say)."""
    if vocabulary.files.is_bundled:
        return bundled_schema_bytes()
    schema = generate_schema(vocabulary.files.shapes.decode("utf-8"), vocabulary.context)
    return render(schema).encode("utf-8")


def render(schema: Schema) -> str:
    """`schema` as byte-stable JSON text: sorted keys, two-space indent, UTF-8 characters, final newline."""
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def build(shapes: Path | None = None, context: Path | None = None) -> str:
    """The rendered schema for these shapes and context files (the bundled ones by default)."""
    bundled = Vocabulary.bundled()
    shapes_text = shapes.read_text(encoding="utf-8") if shapes else bundled.files.shapes.decode("utf-8")
    document = json.loads(context.read_text(encoding="utf-8")) if context else bundled.context
    return render(generate_schema(shapes_text, document))


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m passport_registry.json_schema`: write (or `--check`) the schema; 1 on drift, 2 on errors."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="file to write, - for stdout"
    )
    parser.add_argument("--shapes", type=Path, help="SHACL shapes in Turtle (default: the bundled shapes)")
    parser.add_argument("--context", type=Path, help="JSON-LD context document (default: the bundled one)")
    parser.add_argument("--check", action="store_true", help="fail if the output file is not up to date")
    args = parser.parse_args(argv)
    if str(args.output) != "-" and not args.output.parent.is_dir():
        sys.stderr.write(f"error: no folder {args.output.parent} (outside a source checkout, give -o FILE)\n")
        return 2
    try:
        text = build(args.shapes, args.context)
    except (OSError, ValueError, UnprocessableInput) as exc:
        sys.stderr.write(f"error: {getattr(exc, 'detail', exc)}\n")
        return 2
    if str(args.output) == "-":
        sys.stdout.write(text)
        return 0
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            sys.stderr.write(f"{args.output} is out of date; regenerate it with `passport-registry schema`\n")
            return 1
        return 0
    args.output.write_text(text, encoding="utf-8")
    return 0
