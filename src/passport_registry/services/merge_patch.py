"""JSON Merge Patch (RFC 7396): apply a patch document to a JSON value."""

from __future__ import annotations

from typing import Any


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
