"""HTTP transport against a live uvicorn (issue 11, item 2): what happens around a request, not in it.

A 500 says `Connection: close` before the server drops the connection; an oversized URL is 414 problem
details; a compressed body is 415, never inflated; a body that trickles in is cut off with 408.
"""

from __future__ import annotations

import gzip
import http.client
import select
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest

from live_app import live_app
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.services.accounts import Accounts
from passports_support import cheap_hasher, example

PROBLEM = "application/problem+json"
BODY_TIMEOUT_S = 2.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A registry behind uvicorn, with a route that fails the way a bug would (a test-only route: the
    registry's own 500 handling is what is under test)."""
    settings = Settings(
        dev=True, data_dir=tmp_path_factory.mktemp("transport"), body_timeout_s=BODY_TIMEOUT_S
    )
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    app = create_app(settings, accounts=accounts)

    def fail() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/test-only/fail", fail)
    try:
        with live_app(app) as url:
            yield url
    finally:
        accounts.close()


def _connection(url: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    assert parts.hostname and parts.port
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def test_a_500_says_connection_close(server: str) -> None:
    connection = _connection(server)
    try:
        connection.request("GET", "/test-only/fail")
        response = connection.getresponse()
        body = response.read()
        assert response.status == 500
        assert response.getheader("content-type") == PROBLEM, body
        assert response.getheader("connection") == "close"
        assert response.will_close
    finally:
        connection.close()
    assert httpx.get(server + "/health").status_code == 200


def test_keep_alive_survives_a_4xx(server: str) -> None:
    with httpx.Client(base_url=server) as client:
        assert client.get("/passports/lookup").status_code == 422
        assert client.get("/health").status_code == 200  # the same pooled connection


@pytest.mark.parametrize("size", [9_000, 15_000])
def test_an_oversized_url_is_414_problem_details(server: str, size: int) -> None:
    response = httpx.get(server + "/passports/lookup", params={"identifier": "x" * size})
    assert response.status_code == 414, response.text[:300]
    assert response.headers["content-type"] == PROBLEM
    assert "8192" in response.json()["detail"]


def test_an_oversized_url_on_an_en_18222_path_is_a_400_result(server: str) -> None:
    """The EN 18222 reference documents no 414: its paths answer a 400 `Result` (docs/dpp.md)."""
    response = httpx.get(server + "/dpps/" + "x" * 9_000)
    assert response.status_code == 400, response.text[:300]
    assert response.headers["content-type"] == "application/json"
    (message,) = response.json()["messages"]
    assert message["code"] == "uri-too-long" and "8192" in message["text"]


def test_a_query_string_flood_is_refused_and_the_server_keeps_serving(server: str) -> None:
    started = time.monotonic()
    query = "&".join(f"p{i}=1" for i in range(50_000))
    connection = _connection(server)  # httpx refuses to send a URL this long
    try:
        connection.request("GET", f"/passports/lookup?{query}")
        response = connection.getresponse()
        response.read()
        status = response.status
    except (ConnectionResetError, BrokenPipeError):
        status = 0  # answered and closed while the client was still sending
    finally:
        connection.close()
    assert time.monotonic() - started < 30
    # Beyond uvicorn's own limit for a request head (h11: 16 KiB), the HTTP server answers 400 itself
    # (plain text) and closes the connection, which a client still sending sees as a reset.
    assert status in (0, 400, 414)
    assert httpx.get(server + "/health").status_code == 200


def test_a_compressed_body_is_415_and_never_inflated(server: str) -> None:
    bomb = gzip.compress(b" " * 20_000_000)  # 20 MB of spaces in ~20 KB
    response = httpx.post(
        server + "/validate",
        content=bomb,
        headers={"Content-Type": "application/ld+json", "Content-Encoding": "gzip"},
    )
    assert response.status_code == 415, response.text[:300]
    assert response.headers["content-type"] == PROBLEM
    assert "Content-Encoding" in response.json()["detail"]


def test_a_body_that_trickles_in_is_cut_off_with_408(server: str) -> None:
    parts = urlsplit(server)
    assert parts.hostname and parts.port
    body = example("lmt-ebike-nmc.json")
    head = (
        f"POST /validate HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/ld+json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    started = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head + body[:10])
        received = b""
        sent = 10
        while b"\r\n\r\n" not in received and time.monotonic() - started < BODY_TIMEOUT_S + 20:
            readable, _, _ = select.select([sock], [], [], 0.3)
            if readable:  # the server answered: stop sending, read the answer
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
            elif sent < len(body):
                sock.sendall(body[sent : sent + 1])  # one byte every 0.3 s
                sent += 1
    elapsed = time.monotonic() - started
    status_line, _, rest = received.partition(b"\r\n")
    assert status_line.startswith(b"HTTP/1.1 408"), received[:300]
    assert b"content-type: application/problem+json" in rest.lower()
    assert elapsed < BODY_TIMEOUT_S + 10
