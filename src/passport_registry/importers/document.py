"""The passport being assembled from one or more source documents, in our compact JSON-LD."""

from __future__ import annotations

from typing import Any

from passport_registry.importers.values import Converter
from passport_registry.resources import CONTEXT_URL

__all__ = ["CONTEXT_URL", "PassportDocument", "compact"]


class PassportDocument:
    """Root-level attributes of one passport; a key set twice with different values is an import issue.

    Numbers follow the registry's one JSON convention (docs/model.md, "Numbers"): decimals are strings in
    their XSD lexical form, which every JSON-LD processor reads back as the same decimal (a JSON number
    with a fraction would become a double's "4.865E2"); integers are JSON numbers.
    """

    def __init__(self) -> None:
        self._root: dict[str, Any] = {}

    def set(self, converter: Converter, path: str, key: str, value: Any) -> None:
        """Set root attribute `key`, unless `value` is None (already reported) or conflicts."""
        if value is None:
            return
        if key in self._root and self._root[key] != value:
            converter.issue(path, value, f"{key} was already given a different value by another source")
            return
        self._root[key] = value

    def extend(self, key: str, values: list[Any]) -> None:
        """Append to the multi-valued root attribute `key` (nothing happens for an empty list)."""
        if values:
            self._root.setdefault(key, []).extend(values)

    def __contains__(self, key: str) -> bool:
        return key in self._root

    def as_jsonld(self, granularity: str | None) -> dict[str, Any]:
        """The compact JSON-LD passport: our context, the passport type, then the attributes."""
        document: dict[str, Any] = {"@context": CONTEXT_URL, "@type": "BatteryPassport"}
        if granularity is not None:
            document["granularity"] = granularity
        document.update(self._root)
        return document


def compact(node: dict[str, Any]) -> dict[str, Any]:
    """`node` without the keys whose value is None or an empty list (values already reported)."""
    return {key: value for key, value in node.items() if value is not None and value != []}
