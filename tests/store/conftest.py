"""Fixtures for the passport store tests: a resolver from the tiny ontology, a real on-disk store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from passport_registry.access import GroupResolver
from passport_registry.store import EmbeddedPassportStore

from .helpers import ONTOLOGY, Clock


@pytest.fixture
def resolver() -> GroupResolver:
    return GroupResolver.from_triples(parse(ONTOLOGY.encode(), RdfFormat.TURTLE))


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store(resolver: GroupResolver, data_dir: Path, clock: Clock) -> Iterator[EmbeddedPassportStore]:
    s = EmbeddedPassportStore(resolver, data_dir, clock=clock)
    yield s
    s.close()
