"""The examples in the SPARQL modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import types

import pytest

from passport_registry.sparql import dataset, iris, lexer, parser


@pytest.mark.parametrize("module", [lexer, parser, iris, dataset], ids=lambda m: m.__name__)
def test_docstring_examples(module: types.ModuleType) -> None:
    result = doctest.testmod(module, raise_on_error=False, verbose=False)
    assert result.attempted > 0 and result.failed == 0
