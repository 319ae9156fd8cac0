"""JSON-LD input made safe for a local parser: our context inlined, every other remote context refused.

The registry never fetches anything a client names. A JSON-LD document may refer to the registry's own
context by one of its URLs (the stable one, or where this registry serves it); that reference is replaced
by the bundled copy before parsing. Any other context given by URL, or pulled in with `@import`, is
refused. Nesting depth is checked on the raw bytes
before a JSON parser sees them, so a deeply nested document cannot exhaust the stack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from passport_registry.errors import UnparseableInput
from passport_registry.rdf.context import JsonLdContext
from passport_registry.resources import CONTEXT_URL

# A JSON string literal: what must be skipped when counting brackets. Written as runs of plain
# characters between escapes (not one alternation per character): same matches, ~3x faster.
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def check_depth(body: bytes, max_depth: int) -> None:
    """Raise `UnparseableInput` when arrays and objects nest deeper than `max_depth`.

    Runs on bytes, before any JSON parser, in time linear in the input; brackets inside strings are
    ignored.
    """
    brackets = _JSON_STRING.sub(b"", body).translate(None, delete=_NOT_BRACKETS)
    if len(brackets) <= 2 * max_depth:
        return
    depth = 0
    for byte in brackets:
        if byte in b"[{":
            depth += 1
            if depth > max_depth:
                raise UnparseableInput(
                    f"JSON nests deeper than {max_depth} levels; a passport never needs that many.",
                    max_depth=max_depth,
                )
        else:
            depth -= 1


#: The most digits a JSON number may have: no passport value needs more, and converting a longer one
#: costs time quadratic in its length (Python refuses integers of more than 4,300 digits outright).
MAX_NUMBER_DIGITS = 100


def _number(text: str, kind: type[int] | type[float]) -> int | float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise UnparseableInput(
            f"A JSON number has {len(text)} digits; at most {MAX_NUMBER_DIGITS} are accepted.",
            max_digits=MAX_NUMBER_DIGITS,
        )
    value = kind(text)
    if value in (float("inf"), float("-inf")):
        raise UnparseableInput(f"The JSON number {text} is out of range (it is infinite as a double).")
    return value


def _constant(name: str) -> Any:
    raise UnparseableInput(f"{name} is not JSON (RFC 8259 has no NaN or Infinity).")


def load_json(text: str) -> Any:
    """Decode JSON text; `UnparseableInput` with line and column on a syntax error, and for numbers of
    more than `MAX_NUMBER_DIGITS` digits, infinite numbers and the non-JSON constants NaN and Infinity."""
    try:
        return json.loads(
            text,
            parse_int=lambda t: _number(t, int),
            parse_float=lambda t: _number(t, float),
            parse_constant=_constant,
        )
    except json.JSONDecodeError as exc:
        raise UnparseableInput(
            f"Invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.",
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:  # pragma: no cover - check_depth stops this first
        raise UnparseableInput("JSON nests too deeply.") from None


def inline_contexts(document: Any, context: Mapping[str, Any] | JsonLdContext, *, implied: bool) -> Any:
    """`document` with every URL of `context` (`JsonLdContext.urls`; `CONTEXT_URL` for a plain mapping)
    replaced by `context` itself (the value of its `@context`).

    With `implied`, a top-level object without `@context` gets ours (an array is wrapped in `@graph`).
    A document whose only context is ours at the top gets the flat context and its codes expanded (see
    `JsonLdContext`): the same graph, parsed faster. Raises `UnparseableInput` for any other remote
    context (a URL string or `@import`), wherever it sits: at the top, inside a node, or as a scoped
    context of a term definition.
    """
    prepared = context if isinstance(context, JsonLdContext) else JsonLdContext.prepare(context)
    if implied:
        if isinstance(document, list):
            document = {"@context": CONTEXT_URL, "@graph": document}
        elif isinstance(document, dict) and "@context" not in document:
            document = {"@context": CONTEXT_URL, **document}
    if isinstance(document, dict) and prepared.names(document.get("@context")):
        body = prepared.expand_codes({k: v for k, v in document.items() if k != "@context"})
        if body is not None:
            return {"@context": prepared.flat, **body}
    return _walk(document, prepared)


def _walk(value: Any, context: JsonLdContext) -> Any:
    if isinstance(value, list):
        return [_walk(item, context) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key == "@context":
            out[key] = _resolve_context(item, context)
        elif key == "@value":
            out[key] = item  # a JSON literal (@type @json) is data, not structure
        else:
            out[key] = _walk(item, context)
    return out


def _resolve_context(value: Any, context: JsonLdContext) -> Any:
    if isinstance(value, str):
        if context.names(value):
            return context.context
        accepted = " or ".join(repr(url) for url in sorted(context.urls))
        raise UnparseableInput(
            f"Remote JSON-LD context {value!r} refused: the registry never fetches contexts. "
            f"Use {accepted} or give the context inline.",
            context=value,
        )
    if isinstance(value, list):
        return [_resolve_context(item, context) for item in value]
    if isinstance(value, dict):
        if "@import" in value:
            raise UnparseableInput(
                f"JSON-LD @import of {value['@import']!r} refused: the registry never fetches contexts.",
                context=value["@import"],
            )
        # Term definitions may carry scoped contexts of their own.
        return {
            key: ({**item, "@context": _resolve_context(item["@context"], context)})
            if isinstance(item, dict) and "@context" in item
            else item
            for key, item in value.items()
        }
    return value  # null resets the active context: nothing to fetch
