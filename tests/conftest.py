"""Shared fixtures: a real app over real HTTP (httpx ASGI transport with the lifespan run)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from passport_registry.api.app import create_app
from passport_registry.config import Settings


@pytest.fixture
def settings(tmp_path) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(dev=True, data_dir=tmp_path / "data", base_url="http://testserver")


@pytest.fixture
def client(settings: Settings) -> Iterator[httpx.Client]:
    with TestClient(create_app(settings)) as c:
        yield c
