"""Literals every output format can carry: characters XML 1.0 cannot hold are refused on input.

XML 1.0 (section 2.2, `Char`) allows tab, line feed, carriage return and U+0020 upwards except the
surrogates, U+FFFE and U+FFFF. RDF/XML is one of the formats the registry writes, and XML has no escape
for the others (`&#1;` is itself ill-formed), so a literal holding one would make that output ill-formed.
They are refused when data comes in, with the character and where it is, rather than written out broken.

>>> refuse_unwritable([])
>>> from pyoxigraph import Literal, NamedNode, Quad
>>> try:
...     refuse_unwritable([Quad(NamedNode("urn:s"), NamedNode("urn:p"), Literal("a\\x01b"))])
... except Exception as exc:
...     print(exc.extensions)
{'character': 'U+0001', 'property': 'urn:p'}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from pyoxigraph import Literal, Quad

from passport_registry.errors import UnprocessableInput

#: Characters outside XML 1.0's `Char` production (Python strings from the parser hold no surrogates).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def refuse_unwritable(quads: Iterable[Quad]) -> None:
    """Raise UnprocessableInput (with `character` and `property`) for the first literal that holds a
    character XML 1.0 cannot carry."""
    for quad in quads:
        value = quad.object
        if not isinstance(value, Literal):
            continue
        found = _NOT_XML.search(value.value)
        if found is None:
            continue
        code = f"U+{ord(found.group()):04X}"
        shown = value.value if len(value.value) <= 80 else value.value[:77] + "..."
        raise UnprocessableInput(
            f"A literal of <{quad.predicate.value}> holds {code}, a control character XML 1.0 cannot "
            f"carry; remove it (the value, JSON-escaped: {json.dumps(shown)}).",
            character=code,
            property=quad.predicate.value,
        )
