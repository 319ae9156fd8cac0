"""Numbers written in JSON, brought back to valid XSD lexical forms.

JSON-LD turns a JSON number into the canonical *double* lexical form even when the context coerces it
to another datatype, so `"mass": 3.5` under `xsd:decimal` arrives as `"3.5E0"^^xsd:decimal` (not a
valid decimal) and a whole number written `4.0E0` under `xsd:integer` is no valid integer either. Those
are rewritten to the same value in a valid lexical form of the declared datatype. Anything else (a
string such as "heavy", or 4.5 for an integer) is left exactly as given, so SHACL reports it as a
datatype violation with its property and value.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pyoxigraph import Literal, Quad

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DECIMAL = XSD + "decimal"
#: xsd:integer and every datatype derived from it.
INTEGER_DATATYPES = frozenset(
    XSD + name
    for name in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)

# What JSON-LD writes for a JSON number: the canonical xsd:double form, always with an exponent.
_DOUBLE_LEXICAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+")
# Beyond this many digits a "number" is an attack on the formatter, not a battery attribute.
_MAX_EXPONENT = 400


def normalise_numbers(quads: list[Quad]) -> list[Quad]:
    """`quads` with each decimal or integer literal written as a double rewritten in its own datatype.

    Only literals in double notation whose value the datatype can hold are rewritten; everything else is
    returned unchanged (a valid input is returned element for element). Never raises.
    """
    out = quads
    for index, quad in enumerate(quads):
        obj = quad.object
        if not isinstance(obj, Literal) or not _DOUBLE_LEXICAL.fullmatch(obj.value):
            continue
        datatype = obj.datatype.value
        if datatype == XSD_DECIMAL:
            fixed = _decimal_lexical(obj.value)
        elif datatype in INTEGER_DATATYPES:
            fixed = _integer_lexical(obj.value)
        else:
            continue
        if fixed is None:
            continue
        if out is quads:
            out = list(quads)
        out[index] = Quad(
            quad.subject, quad.predicate, Literal(fixed, datatype=obj.datatype), quad.graph_name
        )
    return out


def _number(lexical: str) -> Decimal | None:
    number = Decimal(lexical)  # the pattern guarantees a finite number
    return number if abs(number.adjusted()) <= _MAX_EXPONENT else None


def _decimal_lexical(lexical: str) -> str | None:
    number = _number(lexical)
    if number is None:
        return None
    text = format(number.normalize(), "f")
    return text if "." in text else text + ".0"


def _integer_lexical(lexical: str) -> str | None:
    number = _number(lexical)
    if number is None or number != number.to_integral_value():
        return None
    return str(int(number))
