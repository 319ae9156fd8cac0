"""A supplement: attributes the source model cannot express, added to an imported passport, never overriding.

Catena-X 6.1.0, for one, has no separate-collection symbol. A partner who has it writes it in our JSON-LD
keys in a small JSON object, the supplement, and the importer adds those keys to the passport. A supplement
only adds: a key that the import already holds is refused, never replaced, so a supplement cannot hide,
repair or override a source value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from passport_registry.errors import UnprocessableInput
from passport_registry.importers.document import CONTEXT_URL

__all__ = ["supplemented"]


def supplemented(passport: Mapping[str, Any], supplement: Mapping[str, Any] | None) -> dict[str, Any]:
    """`passport` with the root keys of `supplement` added (a new dict; `passport` is left as it was).

    The supplement is a JSON object in our JSON-LD keys. It may carry `"@context"` only when it is our
    context; no other JSON-LD keyword. Raises UnprocessableInput, naming the key, when the supplement is
    not an object, holds another keyword or context, or gives a key the import already holds.
    """
    document = dict(passport)
    if supplement is None:
        return document
    if not isinstance(supplement, Mapping):
        raise UnprocessableInput(
            "A supplement must be a JSON object in the passport's JSON keys.", supplement=True
        )
    for key, value in supplement.items():
        if key == "@context":
            if value != CONTEXT_URL:
                raise UnprocessableInput(
                    f"A supplement uses our context ({CONTEXT_URL}), not {value!r}.", supplement=True
                )
            continue
        if key.startswith("@"):
            raise UnprocessableInput(
                f"A supplement adds attributes only; it may not give {key!r}.", supplement=True
            )
        if key in document:
            raise UnprocessableInput(
                f"The supplement gives {key!r}, which the import already holds: a supplement may only add "
                "attributes the source cannot express, never override one.",
                supplement=True,
            )
        document[key] = value
    return document
