"""Fixtures for the passport store tests: a resolver from the tiny ontology, and a real store of each
backend (an on-disk embedded store; a remote store on a real `oxigraph serve`), so every test that takes
`store` or `backend` proves the same guarantee on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

from passport_registry.access import GroupResolver
from passport_registry.store import PassportStore

from .backends import BACKENDS, Backend, make_backend
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


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    server = request.getfixturevalue("oxigraph") if request.param == "remote" else None
    return make_backend(request.param, tmp_path, server)


@pytest.fixture
def store(backend: Backend, resolver: GroupResolver, clock: Clock) -> Iterator[PassportStore]:
    s = backend.open(resolver, clock)
    yield s
    s.close()
