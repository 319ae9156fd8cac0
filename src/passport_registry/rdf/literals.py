"""Numbers written in JSON, brought back to valid XSD lexical forms.

JSON-LD turns a JSON number into the canonical *double* lexical form even when the context coerces it
to another datatype, so `"mass": 3.5` under `xsd:decimal` arrives as `"3.5E0"^^xsd:decimal` (not a
valid decimal) and `"cycles": 4.0` under `xsd:integer` may arrive as `"4.0E0"^^xsd:integer`. Those are
rewritten to a valid lexical form of their declared datatype; a value that has none (`4.5` for an
integer) is refused with a clear message rather than stored as an ill-typed literal.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pyoxigraph import Literal, Quad

from passport_registry.errors import UnparseableInput

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

_DECIMAL_LEXICAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_INTEGER_LEXICAL = re.compile(r"[+-]?\d+")
# Beyond this many digits a "number" is an attack on the formatter, not a battery attribute.
_MAX_EXPONENT = 400


def normalise_numbers(quads: list[Quad]) -> list[Quad]:
    """`quads` with decimal and integer literals in a valid lexical form of their datatype.

    Only literals that are not already valid are rewritten (so a valid input is returned unchanged,
    element for element). Raises `UnparseableInput` naming the property and value when a number cannot
    be written in its datatype.
    """
    out = quads
    for index, quad in enumerate(quads):
        obj = quad.object
        if not isinstance(obj, Literal):
            continue
        datatype = obj.datatype.value
        if datatype == XSD_DECIMAL:
            if _DECIMAL_LEXICAL.fullmatch(obj.value):
                continue
            fixed = _decimal_lexical(obj.value, quad)
        elif datatype in INTEGER_DATATYPES:
            if _INTEGER_LEXICAL.fullmatch(obj.value):
                continue
            fixed = _integer_lexical(obj.value, quad)
        else:
            continue
        if out is quads:
            out = list(quads)
        out[index] = Quad(
            quad.subject, quad.predicate, Literal(fixed, datatype=obj.datatype), quad.graph_name
        )
    return out


def _number(lexical: str, quad: Quad) -> Decimal:
    try:
        number = Decimal(lexical.strip())
    except InvalidOperation:
        raise _refuse(quad, "is not a number") from None
    if not number.is_finite() or abs(number.adjusted()) > _MAX_EXPONENT:
        raise _refuse(quad, "is out of range")
    return number


def _decimal_lexical(lexical: str, quad: Quad) -> str:
    text = format(_number(lexical, quad).normalize(), "f")
    return text if "." in text else text + ".0"


def _integer_lexical(lexical: str, quad: Quad) -> str:
    number = _number(lexical, quad)
    if number != number.to_integral_value():
        raise _refuse(quad, "is not a whole number")
    return str(int(number))


def _refuse(quad: Quad, why: str) -> UnparseableInput:
    obj = quad.object
    assert isinstance(obj, Literal)
    datatype = obj.datatype.value.removeprefix(XSD)
    return UnparseableInput(
        f"Value {obj.value!r} of <{quad.predicate.value}> {why}; its datatype is xsd:{datatype}.",
        property=quad.predicate.value,
        value=obj.value,
    )
