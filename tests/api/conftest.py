"""Fixtures for the passport API tests: a registry (store on disk in tmp_path) with an account per role
and one economic operator per example operator, served through the app with its lifespan run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from passports_support import Api, open_api


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    """A fresh registry per test."""
    with open_api(tmp_path / "data") as found:
        yield found


@pytest.fixture(scope="module")
def shared_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """One registry for a module of read-only tests."""
    with open_api(tmp_path_factory.mktemp("data")) as found:
        yield found
