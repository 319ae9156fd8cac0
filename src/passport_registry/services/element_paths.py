"""RFC 9535 (JSONPath) normalized paths: the `elementIdPath` of the EN 18222 fine-granular operations.

A normalized path names one value: `$` then, per step, `['member name']` or `[index]` (RFC 9535 section
2.7), e.g. `$['https://w3id.org/passport-registry/battery/dpp/carbon-footprint']['batteryCarbonFootprint']`.
Only the normalized form is read: one spelling per element, so a path is also a stable element id.

>>> parse("$['carbon']['stages'][0]")
['carbon', 'stages', 0]
>>> print(normalized(["it's", 2]))
$['it\\'s'][2]
"""

from __future__ import annotations

from typing import Any

from passport_registry.errors import BadRequest, NotFound

Step = str | int

#: Escapes of a normalized name selector (RFC 9535 section 2.7): the character after the backslash.
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "'": "'", "\\": "\\"}
_SHORT = {v: "\\" + k for k, v in _ESCAPES.items()}


def parse(path: str) -> list[Step]:
    """The steps of a normalized path. Raises BadRequest for anything else (another JSONPath form too)."""
    if not path.startswith("$"):
        raise BadRequest(f"{path!r} is no RFC 9535 normalized path: it starts with $.")
    steps: list[Step] = []
    i, n = 1, len(path)
    while i < n:
        if path[i] != "[" or i + 1 >= n:
            raise _invalid(path, i)
        i += 1
        if path[i] == "'":
            name, i = _name(path, i + 1)
            steps.append(name)
        else:
            start = i
            while i < n and path[i].isascii() and path[i].isdigit():
                i += 1
            digits = path[start:i]
            if not digits or (len(digits) > 1 and digits[0] == "0"):
                raise _invalid(path, start)
            steps.append(int(digits))
        if i >= n or path[i] != "]":
            raise _invalid(path, i)
        i += 1
    return steps


def _name(path: str, i: int) -> tuple[str, int]:
    chars: list[str] = []
    n = len(path)
    while i < n:
        c = path[i]
        if c == "'":
            return "".join(chars), i + 1
        if c == "\\":
            if i + 1 >= n:
                break
            e = path[i + 1]
            if e in _ESCAPES:
                chars.append(_ESCAPES[e])
                i += 2
                continue
            code = path[i + 2 : i + 6]
            if e == "u" and len(code) == 4 and code[:2] == "00" and _hex_control(code):
                chars.append(chr(int(code, 16)))
                i += 6
                continue
            raise _invalid(path, i)
        if ord(c) < 0x20:
            raise _invalid(path, i)
        chars.append(c)
        i += 1
    raise BadRequest(f"{path!r} is no RFC 9535 normalized path: a name is not closed.")


def _hex_control(code: str) -> bool:
    # Only control characters without a short escape take the \u00XX form, in lower-case hex.
    if code != code.lower():
        return False
    try:
        value = int(code, 16)
    except ValueError:
        return False
    return value < 0x20 and chr(value) not in _SHORT


def _invalid(path: str, at: int) -> BadRequest:
    return BadRequest(f"{path!r} is no RFC 9535 normalized path (at character {at}).")


def normalized(steps: list[Step]) -> str:
    """The normalized path of `steps`."""
    out = ["$"]
    for step in steps:
        if isinstance(step, int):
            out.append(f"[{step}]")
            continue
        escaped = "".join(_SHORT.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 else c) for c in step)
        out.append(f"['{escaped}']")
    return "".join(out)


def select(document: Any, steps: list[Step]) -> Any:
    """The value `steps` name in `document`. Raises NotFound when there is none."""
    value = document
    for depth, step in enumerate(steps):
        value = _child(value, step, steps[: depth + 1])
    return value


def _child(value: Any, step: Step, prefix: list[Step]) -> Any:
    if isinstance(step, str) and isinstance(value, dict) and step in value:
        return value[step]
    if isinstance(step, int) and isinstance(value, list) and step < len(value):
        return value[step]
    raise NotFound(f"The document has no element {normalized(prefix)}.")


def replaced(document: Any, steps: list[Step], value: Any) -> Any:
    """A copy of `document` with the element at `steps` set to `value` (`null` removes an object member).

    The parent must exist; a member may be added to an object, an array item only replaced. Raises
    NotFound, BadRequest (the root, or null for an array item).
    """
    if not steps:
        raise BadRequest("$ is the whole document: change it with PATCH /dpps/{dppId}.")
    *parents, last = steps
    copy = _copy(document)
    parent = select(copy, parents)
    if isinstance(last, str) and isinstance(parent, dict):
        if value is None:
            if last not in parent:
                raise NotFound(f"The document has no element {normalized(steps)}.")
            del parent[last]
        else:
            parent[last] = value
        return copy
    if isinstance(last, int) and isinstance(parent, list) and last < len(parent):
        if value is None:
            raise BadRequest("null cannot replace an array item; patch the array instead.")
        parent[last] = value
        return copy
    raise NotFound(f"The document has no element {normalized(steps)}.")


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
