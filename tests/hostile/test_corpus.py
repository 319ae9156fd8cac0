"""The hostile-input corpus (`cases.py`) against a live registry (issue 11: keep it broken-proof).

Each case: a 4xx answer from its list, as RFC 9457 problem details, within `BOUND_S`; everything stored
(every quad of every graph, every account and API key) is the same before and after; and the local
listener saw no connection. `HOSTILE_ROUNDS=N` sends every case N times (`make hostile`).
"""

from __future__ import annotations

import json
import os
import select
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest

from .cases import CASES, Case
from .conftest import BODY_TIMEOUT_S, Target

PROBLEM = "application/problem+json"
#: Generous: the slowest cases (a 6 MiB body, a query that runs into the 3 s limit) take a few seconds
#: on a busy two-core machine.
BOUND_S = 30.0
ROUNDS = int(os.environ.get("HOSTILE_ROUNDS", "1"))
#: A file to append one JSON line per answer to (case, status, seconds, detail): `make hostile` sets it.
LOG = os.environ.get("HOSTILE_LOG")
#: Every kind of attack must be in the corpus at least once; the issue asks for 40 or more.
MIN_KINDS = 40


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def _headers(target: Target, case: Case) -> dict[str, str]:
    headers = {**target.headers(case.caller), **case.headers}
    if case.content_type is not None:
        headers["Content-Type"] = case.content_type
    return headers


def _send(target: Target, case: Case) -> Answer:
    body = target.fill(case.body)
    path = target.path(case.path)
    headers = _headers(target, case)
    if case.transport == "slow":
        return _raw(target.url, case.method, path, headers, body, size=1, pause=0.2)
    if case.transport == "chunked" or len(body) > 1024 * 1024:
        # Over a raw socket, which stops sending once the server answers: a server that refuses a huge
        # body early may close the connection, and an HTTP client still writing would lose the answer.
        return _raw(target.url, case.method, path, headers, body, chunked=case.transport == "chunked")
    with httpx.Client(base_url=target.url, timeout=BOUND_S + 30) as client:
        response = client.request(case.method, path, content=body, headers=headers)
        return Answer(response.status_code, dict(response.headers), response.content)


def _raw(
    url: str,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    *,
    size: int = 65536,
    pause: float = 0.0,
    chunked: bool = False,
) -> Answer:
    """Send the request over a raw socket, `size` bytes of body at a time with `pause` seconds between
    (with `chunked`, in chunked transfer coding), and stop sending once the server answers."""
    parts = urlsplit(url)
    assert parts.hostname and parts.port
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {len(body)}"
    head = f"{method} {path} HTTP/1.1\r\nHost: {parts.netloc}\r\n{framing}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    if chunked:
        pieces = [b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces] + [b"0\r\n\r\n"]
    received = b""
    started = time.monotonic()
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head.encode())
        while time.monotonic() - started < BODY_TIMEOUT_S + BOUND_S and not _complete(received):
            readable, _, _ = select.select([sock], [], [], pause if pieces else 0.2)
            if readable:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                received += chunk
            elif pieces and not received:
                try:
                    sock.sendall(pieces.pop(0))
                except (BrokenPipeError, ConnectionResetError):
                    pieces = []  # the server stopped reading: its answer is on the way
    head_bytes, _, content = received.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and lines[0] else 0
    found = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return Answer(status, found, content)


def _complete(received: bytes) -> bool:
    head, separator, content = received.partition(b"\r\n\r\n")
    if not separator:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(content) >= int(value)
    return False


def _log(case: Case, answer: Answer, elapsed: float) -> None:
    assert LOG is not None
    try:
        detail = json.loads(answer.body).get("detail")
    except ValueError:
        detail = answer.body[:200].decode("utf-8", "replace")
    line = {"case": case.id, "status": answer.status, "seconds": round(elapsed, 3), "detail": detail}
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_request_is_refused_and_changes_nothing(target: Target, case: Case) -> None:
    before = target.state()
    for _ in range(ROUNDS):
        started = time.monotonic()
        answer = _send(target, case)
        elapsed = time.monotonic() - started
        if LOG:
            _log(case, answer, elapsed)
        assert answer.status in case.statuses, (case.id, answer.status, answer.body[:500])
        assert 400 <= answer.status < 500
        assert answer.headers.get("content-type") == PROBLEM, (case.id, answer.headers)
        problem = json.loads(answer.body)
        assert problem["status"] == answer.status and problem["detail"], problem
        assert elapsed < BOUND_S, f"{case.id}: {elapsed:.1f} s"
        assert target.listener.connections == [], f"{case.id} made the registry connect out"
    assert target.state() == before, f"{case.id} changed what is stored"


def test_the_corpus_covers_every_family_and_enough_kinds() -> None:
    kinds = {c.kind for c in CASES}
    families = {k.split("/")[0] for k in kinds}
    assert len(kinds) >= MIN_KINDS, len(kinds)
    assert {"json", "jsonld", "iri", "turtle", "rdfxml", "graphs", "gzip", "huge", "slow", "sparql", "http",
            "lifecycle", "accounts"} <= families  # fmt: skip
    assert len({c.id for c in CASES}) == len(CASES), "case ids are unique"


def test_the_registry_never_connected_out_and_still_serves(target: Target) -> None:
    """Runs after the corpus (pytest keeps file order): no connection reached the listener, and the
    registry answers ordinary requests as before."""
    assert target.listener.connections == []
    with httpx.Client(base_url=target.url, timeout=30) as client:
        assert client.get("/health").status_code == 200
        assert client.get(f"/passports/{target.ids['own']}").status_code == 200
        ask = client.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"})
        assert ask.status_code == 200
