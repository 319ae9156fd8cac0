"""The examples in the account modules' docstrings run and hold."""

from __future__ import annotations

import doctest
import types

import pytest

from passport_registry import roles, security, throttle
from passport_registry.accounts import models, paging


@pytest.mark.parametrize("module", [roles, security, throttle, models, paging], ids=lambda m: m.__name__)
def test_docstring_examples(module: types.ModuleType) -> None:
    result = doctest.testmod(module, raise_on_error=False, verbose=False)
    assert result.attempted > 0 and result.failed == 0
