"""Every xsd:decimal judged as the value it denotes, though the fast engine holds only 18 decimal places.

The `shacl` engine reads decimals as Oxigraph does: at most 18 digits after the point and a magnitude
below about 1.7E20. XSD 1.1 Part 2 section 3.3.3 lets a processor limit digits (to no fewer than 16), but
then `"486.50000000000000000001"` is ill-typed to it while pySHACL, and the XSD value space, hold it. So
before the engine runs, each decimal it cannot hold is replaced by a *stand-in* it can: a decimal with
the same order relative to every other number the shapes can compare it with (the numbers of the data
graph and the bounds of the shapes: `sh:minInclusive` and the like compare with constants,
`sh:lessThan` and `sh:lessThanOrEquals` with other values). Results are mapped back to the value as
given. The shapes test decimals only by datatype and by order (no `sh:in`, `sh:hasValue`, `sh:pattern` or
length on a decimal), so the verdict is exactly the one on the original values.

When no stand-in exists (two numbers closer than 10^-18 with a long decimal between them), the graph is
validated as it is and the engine's limit shows; no passport comes near it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation, localcontext

from pyoxigraph import Literal, NamedNode

from passport_registry.validation.report import SH

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DECIMAL = NamedNode(XSD + "decimal")

#: The largest decimal the engine holds (an i128 of 10^-18 units), and its places after the point.
ENGINE_MAX = Decimal(2**127 - 1).scaleb(-18)
ENGINE_PLACES = 18
_UNIT = Decimal(1).scaleb(-ENGINE_PLACES)

#: The shape constraints that compare a value with a constant.
BOUNDS = tuple(NamedNode(SH + n) for n in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"))

# A decimal literal in N-Triples long enough that the engine may not hold it: 19 characters always fit.
_LONG_DECIMAL = re.compile(
    r'"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"\^\^<http://www\.w3\.org/2001/XMLSchema#decimal>'
)
# Every numeric literal in N-Triples (the values stand-ins must keep their order with).
_NUMBER = re.compile(
    r'"([^"\\]*)"\^\^<http://www\.w3\.org/2001/XMLSchema#'
    r"(?:decimal|integer|double|float|long|int|short|byte|(?:non)?(?:Negative|Positive)Integer"
    r"|nonNegativeInteger|nonPositiveInteger|negativeInteger|positiveInteger|unsigned\w+)>"
)


def held(value: Decimal) -> bool:
    """Whether the engine holds `value` exactly."""
    if abs(value) > ENGINE_MAX:
        return False
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if -exponent <= ENGINE_PLACES:
        return True
    with localcontext() as exact:
        exact.prec = 80
        return value == value.quantize(_UNIT)


class StandIns:
    """The numeric bounds of a shapes graph, read once; `replace` makes a data graph the engine can hold."""

    def __init__(self, bounds: Iterable[Literal]) -> None:
        self._bounds = sorted({n for n in (_number(b.value) for b in bounds) if n is not None})

    def replace(self, ntriples: str) -> tuple[str, Mapping[Literal, Literal]]:
        """`ntriples` with each decimal the engine cannot hold replaced by its stand-in, and the map from
        stand-in back to the original literal (empty, and the text unchanged, in the usual case)."""
        long = {m.group(1) for m in _LONG_DECIMAL.finditer(ntriples)}
        unheld = {text: value for text in long if (value := _number(text)) is not None and not held(value)}
        if not unheld:
            return ntriples, {}
        fixed = {n for m in _NUMBER.finditer(ntriples) if (n := _number(m.group(1))) is not None}
        fixed = fixed.difference(unheld.values()).union(self._bounds)
        chosen = _stand_ins(sorted(set(unheld.values())), sorted(fixed))
        if chosen is None:
            return ntriples, {}
        lexical = {text: _lexical(chosen[value]) for text, value in unheld.items()}

        def swap(match: re.Match[str]) -> str:
            text = match.group(1)
            return match.group(0) if text not in lexical else f'"{lexical[text]}"^^<{XSD_DECIMAL.value}>'

        back = {Literal(lexical[t], datatype=XSD_DECIMAL): Literal(t, datatype=XSD_DECIMAL) for t in lexical}
        return _LONG_DECIMAL.sub(swap, ntriples), back


def _stand_ins(values: list[Decimal], fixed: list[Decimal]) -> dict[Decimal, Decimal] | None:
    """A held decimal for each of `values` (sorted, none held), strictly monotone and in the same gap
    between `fixed` (sorted) as its value; None when a gap has no room."""
    gaps: dict[int, list[Decimal]] = {}
    for value in values:
        at = bisect.bisect_left(fixed, value)
        if at < len(fixed) and fixed[at] == value:
            return None  # equal to a number the engine reads in another datatype
        gaps.setdefault(at, []).append(value)
    out: dict[Decimal, Decimal] = {}
    with localcontext() as exact:
        exact.prec = 80  # the engine's numbers have 39 digits at most; the default 28 would round
        for at, group in gaps.items():
            low = max(fixed[at - 1] if at > 0 else -ENGINE_MAX, -ENGINE_MAX)
            high = min(fixed[at] if at < len(fixed) else ENGINE_MAX, ENGINE_MAX)
            if high - low <= _UNIT * (len(group) + 1):
                return None
            step = ((high - low) / (len(group) + 1)).quantize(_UNIT, rounding="ROUND_DOWN")
            for index, value in enumerate(group, start=1):
                stand_in = (low + step * index).quantize(_UNIT, rounding="ROUND_DOWN")
                if not low < stand_in < high:
                    return None
                out[value] = stand_in
    return out


def _number(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _lexical(value: Decimal) -> str:
    with localcontext() as exact:
        exact.prec = 80
        text = format(value.normalize(), "f")
    return text if "." in text else text + ".0"
