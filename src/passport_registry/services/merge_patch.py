"""JSON Merge Patch (RFC 7396): apply a patch document to a JSON value."""

from __future__ import annotations

from typing import Any

from passport_registry.errors import UnparseableInput
from passport_registry.rdf.jsonld import check_depth, load_json


def read_patch(body: bytes, max_depth: int) -> Any:
    """The JSON value of a merge patch document. Raises UnparseableInput when it is not UTF-8 JSON,
    nests deeper than `max_depth` (checked before decoding, so no depth exhausts the stack), or holds a
    number no passport needs (`rdf.jsonld.load_json`)."""
    check_depth(body, max_depth)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnparseableInput(f"The merge patch is not UTF-8: invalid byte at offset {exc.start}.") from None
    return load_json(text.removeprefix("\ufeff"))


def merge_patch(target: Any, patch: Any) -> Any:
    """`target` with `patch` applied, as RFC 7396 §2 defines it; neither argument is modified.

    An object patch sets its members recursively and removes those it sets to null; any other patch
    value replaces the target whole (arrays included).

    >>> merge_patch({"a": 1, "b": {"c": 2, "d": 3}}, {"b": {"c": None, "e": 4}, "f": [1]})
    {'a': 1, 'b': {'d': 3, 'e': 4}, 'f': [1]}
    >>> merge_patch({"a": [1, 2]}, {"a": [3]})
    {'a': [3]}
    """
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result
