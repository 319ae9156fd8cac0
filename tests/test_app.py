"""The app factory and the problem+json shape of FastAPI's own errors."""

from __future__ import annotations

import httpx2 as httpx
import pytest

from passport_registry.config import Settings
from passport_registry.errors import ConfigurationError


def test_health(client: httpx.Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_path_is_problem_json(client: httpx.Client) -> None:
    response = client.get("/no/such/path")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404 and body["title"] and body["type"].startswith("https://")


def test_the_problem_instance_is_a_uri_reference(client: httpx.Client) -> None:
    """RFC 9457 `instance` is a URI reference: a path with characters outside URIs is percent-encoded."""
    body = client.get("/no/such/p%C3%A4th%20x").json()
    assert body["instance"] == "/no/such/p%C3%A4th%20x"


def test_wrong_method_is_problem_json(client: httpx.Client) -> None:
    response = client.delete("/health")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("secret", ["", "change-me", "secret"])
def test_refuses_default_secret_outside_dev(secret: str) -> None:
    with pytest.raises(ConfigurationError):
        Settings(dev=False, secret_key=secret)


def test_refuses_short_secret_outside_dev() -> None:
    with pytest.raises(ConfigurationError):
        Settings(dev=False, secret_key="x" * 16)


def test_dev_mode_gets_a_random_secret() -> None:
    first, second = Settings(dev=True), Settings(dev=True)
    assert len(first.secret_key) >= 32 and first.secret_key != second.secret_key


def test_no_proxy_is_trusted_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings(dev=True).proxy_list() == []
    monkeypatch.setenv("PASSPORT_REGISTRY_TRUSTED_PROXIES", " 10.0.0.5, 192.168.0.0/16 ,::1")
    assert Settings(dev=True).proxy_list() == ["10.0.0.5/32", "192.168.0.0/16", "::1/128"]
    monkeypatch.setenv("PASSPORT_REGISTRY_TRUSTED_PROXIES", "10.0.0.5,proxy.internal")
    with pytest.raises(ConfigurationError, match=r"proxy\.internal"):
        Settings(dev=True)
