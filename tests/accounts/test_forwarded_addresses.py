"""End to end: which client address a live `passport-registry serve` throttles by, behind a proxy or not.

uvicorn trusts `X-Forwarded-For` from the loopback by default, so without care any local client (or
anything a local reverse proxy passes through) picks the address it is throttled under.
"""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx

from dev_server import dev_server

SPRAYED = "Winter2027!"


def spray(client: httpx.Client, attempts: int, forwarded_for: str | None = None) -> list[int]:
    """Status codes of `attempts` logins to distinct unknown accounts, each naming a new forwarded address."""
    codes = []
    for n in range(attempts):
        headers = {"X-Forwarded-For": forwarded_for or f"198.18.{n // 250}.{n % 250 + 1}"}
        response = client.post(
            "/auth/token", data={"username": f"u{n}@spray.example", "password": SPRAYED}, headers=headers
        )
        codes.append(response.status_code)
    return codes


def test_forwarded_addresses_are_ignored_unless_a_proxy_is_configured(tmp_path: Path) -> None:
    # Regression: a rotating X-Forwarded-For from a loopback client was believed, so password spraying
    # was never slowed by the per-address limit.
    with dev_server(tmp_path / "data") as (url, _), httpx.Client(base_url=url, timeout=30) as client:
        codes = spray(client, 21)
    assert codes[:20] == [401] * 20
    assert codes[20] == 429


def test_a_configured_proxy_is_believed(tmp_path: Path) -> None:
    with (
        dev_server(tmp_path / "data", "--trusted-proxies", "127.0.0.1") as (url, _),
        httpx.Client(base_url=url, timeout=30) as client,
    ):
        assert spray(client, 21) == [401] * 21  # each attempt comes from another (forwarded) address
        assert spray(client, 21, forwarded_for="192.0.2.1")[20] == 429
        assert spray(client, 1, forwarded_for="192.0.2.2") == [401]
