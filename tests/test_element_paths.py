"""RFC 9535 normalized paths (`services/element_paths.py`): what is one, what is not, and that every
path of any member name reads back to the same steps."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from passport_registry.errors import BadRequest, NotFound
from passport_registry.services import element_paths
from passport_registry.services.element_paths import normalized, parse, replaced, select


def test_doctests() -> None:
    assert doctest.testmod(element_paths).failed == 0


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("$", []),
        ("$['a']", ["a"]),
        ("$[0]", [0]),
        ("$['a'][10]['b']", ["a", 10, "b"]),
        ("$['']", [""]),
        ("$['it\\'s']", ["it's"]),
        ("$['back\\\\slash']", ["back\\slash"]),
        ("$['\\n\\t\\b\\f\\r']", ["\n\t\b\f\r"]),
        ("$['\\u0000\\u001f']", ["\x00\x1f"]),
        ("$['\"']", ['"']),
        ("$['https://w3id.org/x/y#z']", ["https://w3id.org/x/y#z"]),
        ("$['ünï ☃']", ["ünï ☃"]),
    ],
)
def test_normalized_paths(path: str, steps: list[str | int]) -> None:
    assert parse(path) == steps
    assert normalized(steps) == path


@pytest.mark.parametrize(
    "path",
    [
        "",
        "a",
        "$.a",
        "$..a",
        "$[*]",
        '$["a"]',
        "$[01]",
        "$[-1]",
        "$[ 0]",
        "$['a']]",
        "$['a'",
        "$['a\\",
        "$['\\u0041']",  # a printable character is never escaped
        "$['\\u000A']",  # upper-case hex is not normalized
        "$['\\u000a']",  # a line feed has its short escape
        "$['\\x']",
        "$['\n']",  # control characters are escaped
        "$['a']['b'",
        "$[1:2]",
        "$[?@.a]",
    ],
)
def test_anything_else_is_refused(path: str) -> None:
    with pytest.raises(BadRequest):
        parse(path)


@given(st.lists(st.one_of(st.text(), st.integers(min_value=0, max_value=10**6)), max_size=6))
def test_every_path_reads_back(steps: list[str | int]) -> None:
    assert parse(normalized(steps)) == steps


def test_select_and_replace() -> None:
    document = {"a": {"b": [1, 2, {"c": None}]}, "d": "x"}
    assert select(document, ["a", "b", 1]) == 2
    assert select(document, []) is document
    for missing in (["z"], ["a", "b", 3], ["d", 0], ["a", "b", "0"]):
        with pytest.raises(NotFound):
            select(document, missing)
    changed = replaced(document, ["a", "b", 0], {"new": True})
    assert changed["a"]["b"][0] == {"new": True} and document["a"]["b"][0] == 1  # a copy
    assert "d" not in replaced(document, ["d"], None)
    assert replaced(document, ["a", "e"], 5)["a"]["e"] == 5
    with pytest.raises(BadRequest):
        replaced(document, [], {})
    with pytest.raises(BadRequest):
        replaced(document, ["a", "b", 0], None)
    with pytest.raises(NotFound):
        replaced(document, ["a", "b", 9], 1)
    with pytest.raises(NotFound):
        replaced(document, ["z", "y"], 1)
    with pytest.raises(NotFound):
        replaced(document, ["e"], None)
