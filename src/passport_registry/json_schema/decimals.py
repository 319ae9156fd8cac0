"""Decimals written as JSON strings: their lexical form, and numeric bounds as regular expressions.

Our JSON convention writes `xsd:decimal` values as strings (docs/model.md says why), so JSON Schema's
`minimum` and friends cannot check them. A bound on a decimal is a regular language all the same, and
`bound_pattern` writes it out digit by digit. The patterns use only the regular expression subset that JSON
Schema recommends for interoperability (no look-ahead, no back-references), so any validator runs them.

A bound pattern decides the comparison for strings that are decimals (`DECIMAL_PATTERN`); the schema
always applies both.

>>> import re
>>> at_least_zero = re.compile(bound_pattern(Decimal(0), lower=True, inclusive=True))
>>> [bool(at_least_zero.match(s)) for s in ("0.5", "-0.0", "-0.01", "+12")]
[True, True, False, True]
"""

from __future__ import annotations

from decimal import Decimal

#: The lexical space of xsd:decimal (XML Schema 1.1 Part 2, 3.3.3): no exponent, no INF or NaN.
DECIMAL_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"

_ANY_FRACTION = r"(\.[0-9]*)?"
_ANY_MAGNITUDE = r"[0-9]*" + _ANY_FRACTION
_ZERO = r"0*(\.0*)?"


def canonical_decimal(lexical: str) -> str:
    """The canonical form of a decimal (XML Schema 1.1: no exponent, no needless zeros, no "+", no "-0"),
    which is how the registry's store writes it back.

    >>> [canonical_decimal(s) for s in ("2.50", "+007", "-0.0", ".5")]
    ['2.5', '7', '0', '0.5']
    """
    number = Decimal(lexical)
    return "0" if number.is_zero() else format(number.normalize(), "f")


def bound_pattern(bound: Decimal, *, lower: bool, inclusive: bool) -> str:
    """A regular expression matching exactly the decimal strings `>= bound` (`lower`, `inclusive`),
    `> bound`, `<= bound` or `< bound`.

    Raises ValueError for a bound that is not a finite number.
    """
    if not bound.is_finite():
        raise ValueError(f"not a finite bound: {bound}")
    magnitude = abs(bound)
    if lower:
        if bound > 0:
            return _anchored(r"\+?" + _group(_at_least(magnitude) if inclusive else _above(magnitude)))
        if bound == 0:
            if inclusive:
                return _anchored(r"\+?" + _ANY_MAGNITUDE, "-" + _ZERO)
            return _anchored(r"\+?" + _group(_above(magnitude)))
        negative = _at_most(magnitude) if inclusive else _below(magnitude)
        return _anchored(r"\+?" + _ANY_MAGNITUDE, "-" + _group(negative))
    if bound > 0:
        return _anchored(
            "-" + _ANY_MAGNITUDE, r"\+?" + _group(_at_most(magnitude) if inclusive else _below(magnitude))
        )
    if bound == 0:
        if inclusive:
            return _anchored("-" + _ANY_MAGNITUDE, r"\+?" + _ZERO)
        return _anchored("-" + _group(_above(magnitude)))
    return _anchored("-" + _group(_at_least(magnitude) if inclusive else _above(magnitude)))


def _anchored(*alternatives: str) -> str:
    return "^" + _group(list(alternatives)) + "$"


def _group(alternatives: list[str] | str) -> str:
    items = [alternatives] if isinstance(alternatives, str) else alternatives
    assert items, "every bound leaves some decimals on each side"
    return "(" + "|".join(items) + ")"


def _digits(magnitude: Decimal) -> tuple[str, str]:
    """The integer digits (no leading zeros, "" for 0) and fraction digits (no trailing zeros)."""
    text = format(magnitude, "f")
    whole, _, fraction = text.partition(".")
    return whole.lstrip("0"), fraction.rstrip("0")


def _range(low: int, high: int) -> str:
    return str(low) if low == high else f"[{low}-{high}]"


# Each helper below returns alternatives for an unsigned magnitude written `0*` INTEGER (`.` FRACTION)?,
# where INTEGER has no leading zero: the number of its digits orders magnitudes first, then its digits,
# then the digits of the fraction.


def _below(magnitude: Decimal) -> list[str]:
    whole, fraction = _digits(magnitude)
    found = []
    if whole:
        shorter = f"([1-9][0-9]{{0,{len(whole) - 2}}})?" if len(whole) >= 2 else ""
        found.append("0*" + shorter + _ANY_FRACTION)
        for index, digit in enumerate(map(int, whole)):
            low = 1 if index == 0 else 0
            if digit - 1 >= low:
                rest = len(whole) - index - 1
                tail = f"[0-9]{{{rest}}}" if rest else ""
                found.append("0*" + whole[:index] + _range(low, digit - 1) + tail + _ANY_FRACTION)
    if fraction:
        smaller = [fraction[:index] for index in range(1, len(fraction))]
        smaller += [
            fraction[:index] + _range(0, int(digit) - 1) + "[0-9]*"
            for index, digit in enumerate(fraction)
            if digit != "0"
        ]
        found.append("0*" + whole + r"(\." + _group(smaller) + "?)?")
    return found


def _equal(magnitude: Decimal) -> list[str]:
    whole, fraction = _digits(magnitude)
    return ["0*" + whole + (r"\." + fraction + "0*" if fraction else r"(\.0*)?")]


def _above(magnitude: Decimal) -> list[str]:
    whole, fraction = _digits(magnitude)
    found = [f"0*[1-9][0-9]{{{len(whole)},}}" + _ANY_FRACTION]
    for index, digit in enumerate(map(int, whole)):
        if digit < 9:
            rest = len(whole) - index - 1
            tail = f"[0-9]{{{rest}}}" if rest else ""
            found.append("0*" + whole[:index] + _range(digit + 1, 9) + tail + _ANY_FRACTION)
    larger = [
        fraction[:index] + _range(int(digit) + 1, 9) + "[0-9]*"
        for index, digit in enumerate(fraction)
        if digit != "9"
    ]
    larger.append(fraction + "0*[1-9][0-9]*")
    found.append("0*" + whole + r"\." + _group(larger))
    return found


def _at_least(magnitude: Decimal) -> list[str]:
    return _above(magnitude) + _equal(magnitude)


def _at_most(magnitude: Decimal) -> list[str]:
    return _below(magnitude) + _equal(magnitude)
