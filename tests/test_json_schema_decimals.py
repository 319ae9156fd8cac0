"""Decimal strings and their bounds as regular expressions, checked against Decimal arithmetic."""

from __future__ import annotations

import itertools
import random
import re
from decimal import Decimal

import pytest

from passport_registry.json_schema.decimals import DECIMAL_PATTERN, bound_pattern

BOUNDS = ["0", "100", "-273.15", "0.05", "1", "9.99", "10", "1000.5", "-5", "0.001", "90", "-0.5", "19.0"]
DECIMAL = re.compile(DECIMAL_PATTERN)


def lexical_forms() -> list[str]:
    """Every shape of decimal: signs, leading zeros, no integer or no fraction part, trailing zeros."""
    forms: set[str] = set()
    digits = ["", "0", "00", "1", "5", "9", "05", "10", "19", "99", "100", "101", "273", "274", "999", "1000"]
    fractions = [
        None,
        "",
        "0",
        "00",
        "001",
        "04",
        "05",
        "049",
        "051",
        "1",
        "14",
        "15",
        "150",
        "151",
        "5",
        "99",
    ]
    for sign, whole, fraction in itertools.product(["", "+", "-"], digits, fractions):
        text = sign + whole + ("" if fraction is None else "." + fraction)
        if DECIMAL.fullmatch(text):
            forms.add(text)
    generator = random.Random(1542)  # fixed: the same cases on every run
    for _ in range(3000):
        whole = "".join(generator.choice("0123456789") for _ in range(generator.randint(0, 5)))
        fraction = "".join(generator.choice("0123459") for _ in range(generator.randint(0, 4)))
        text = generator.choice(["", "+", "-"]) + whole + ("." + fraction if generator.random() < 0.7 else "")
        if DECIMAL.fullmatch(text):
            forms.add(text)
    return sorted(forms)


FORMS = lexical_forms()


def test_the_decimal_pattern_is_the_xsd_lexical_space() -> None:
    assert all(DECIMAL.fullmatch(s) for s in ["0", "-0.0", "+.5", "5.", "0012.3400", "-273.15"])
    assert not any(
        DECIMAL.match(s) for s in ["", ".", "-", "1e3", "3.1E-2", "1,5", " 1", "INF", "NaN", "0x1"]
    )


@pytest.mark.parametrize("bound", BOUNDS)
@pytest.mark.parametrize(("lower", "inclusive"), list(itertools.product([True, False], [True, False])))
def test_a_bound_pattern_agrees_with_decimal_comparison(bound: str, lower: bool, inclusive: bool) -> None:
    limit = Decimal(bound)
    pattern = re.compile(bound_pattern(limit, lower=lower, inclusive=inclusive))
    assert len(FORMS) > 1000
    wrong = []
    for text in FORMS:
        value = Decimal(text)
        expected = (
            (value >= limit if inclusive else value > limit)
            if lower
            else (value <= limit if inclusive else value < limit)
        )
        if bool(pattern.fullmatch(text)) is not expected:
            wrong.append(text)
    assert wrong == []


def test_a_bound_pattern_needs_no_look_around() -> None:
    # JSON Schema recommends a regex subset without look-ahead; validators built on RE2 have none.
    for bound, lower, inclusive in itertools.product(BOUNDS, [True, False], [True, False]):
        assert "(?" not in bound_pattern(Decimal(bound), lower=lower, inclusive=inclusive)


def test_an_infinite_bound_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        bound_pattern(Decimal("Infinity"), lower=True, inclusive=True)
