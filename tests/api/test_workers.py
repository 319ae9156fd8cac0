"""Stateless workers over one SPARQL server (real processes, real sockets): a write through one worker is
read through another at once, never from a stale cache, and racing writes through different workers
have exactly one winner."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest

from dev_server import SRC, demo_logins
from loopback import free_port
from oxigraph_server import OxigraphServer, oxigraph_binary
from passports_support import EXAMPLES

EXAMPLE = EXAMPLES / "lmt-ebike-nmc.json"
#: The one public URL every worker serves under (behind a load balancer), so passport IRIs agree.
PUBLIC_URL = "https://registry.example"


@pytest.fixture
def sparql_server(tmp_path: Path) -> Iterator[OxigraphServer]:
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` command is not installed (`make test` installs it: pip install oxigraph)")
    server = OxigraphServer(tmp_path / "oxigraph")
    yield server
    server.stop()


@contextmanager
def serve(data_dir: Path, store_url: str, *extra: str, port: int | None = None) -> Iterator[tuple[str, str]]:
    """`passport-registry serve --dev --store-url ...` as a process; yield (base URL, what it printed)."""
    port = port or free_port()
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"}
    env.pop("PASSPORT_REGISTRY_SECRET_KEY", None)
    command = [sys.executable, "-c", "from passport_registry.cli import app; app()", "serve", "--dev",
               "--port", str(port), "--data-dir", str(data_dir), "--store-url", store_url,
               "--base-url", PUBLIC_URL, *extra]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    output, ready, deadline = "", 0, time.monotonic() + 60
    workers = int(extra[extra.index("--workers") + 1]) if "--workers" in extra else 1
    try:
        while ready < workers and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output += line
            ready += "Application startup complete" in line
        assert ready == workers, output
        drain = threading.Thread(target=process.stdout.read, daemon=True)  # keep the pipe from filling
        drain.start()
        yield f"http://127.0.0.1:{port}", output
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stdout.close()


def login(url: str, output: str) -> dict[str, str]:
    email = "operator@registry.example"
    token = httpx.post(f"{url}/auth/token", data={"username": email, "password": demo_logins(output)[email]})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def loaded_id(output: str, name: str) -> str:
    found = dict((v, k) for k, v in re.findall(r"/passports/([A-Za-z0-9_-]+)  \((\S+)\)", output))
    return found[name]


def test_a_write_through_worker_a_is_read_through_worker_b_at_once(
    sparql_server: OxigraphServer, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    # A starts second, so the demo passwords it prints are the current ones.
    with (
        serve(data_dir, sparql_server.url) as (url_b, _),
        serve(data_dir, sparql_server.url, "--load-examples") as (url_a, output_a),
    ):
        passport_id = loaded_id(output_a, EXAMPLE.name)
        jsonld = {"Accept": "application/ld+json"}
        first = httpx.get(f"{url_b}/passports/{passport_id}", headers=jsonld)
        assert first.status_code == 200 and ".1." in first.headers["etag"]
        assert first.json()["warrantyPeriod"] == 24
        again = httpx.get(f"{url_b}/passports/{passport_id}", headers=jsonld)  # now in B's cache
        assert again.headers["etag"] == first.headers["etag"]

        document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        document["warrantyPeriod"] = 36
        put = httpx.put(
            f"{url_a}/passports/{passport_id}",
            content=json.dumps(document),
            headers={**login(url_a, output_a), "Content-Type": "application/ld+json", "If-Match": "*"},
        )
        assert put.status_code == 200, put.text

        after = httpx.get(
            f"{url_b}/passports/{passport_id}", headers={**jsonld, "If-None-Match": first.headers["etag"]}
        )
        assert after.status_code == 200, "B answered 304 from its cache: a stale version"
        assert ".2." in after.headers["etag"]
        assert after.json()["warrantyPeriod"] == 36


def test_racing_writes_through_two_workers_have_one_winner(
    sparql_server: OxigraphServer, tmp_path: Path
) -> None:
    with serve(tmp_path / "data", sparql_server.url, "--load-examples", "--workers", "2") as (url, output):
        passport_id = loaded_id(output, EXAMPLE.name)
        headers = {**login(url, output), "Content-Type": "application/ld+json"}
        document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        for round_ in range(8):
            etag = httpx.get(f"{url}/passports/{passport_id}", headers=headers).headers["etag"]
            statuses: list[int] = []
            barrier = threading.Barrier(2)

            def put(
                months: int,
                etag: str = etag,
                barrier: threading.Barrier = barrier,
                statuses: list[int] = statuses,
            ) -> None:
                body = json.dumps({**document, "warrantyPeriod": months})
                with httpx.Client() as client:  # a connection each, so both workers can take one
                    barrier.wait()
                    response = client.put(
                        f"{url}/passports/{passport_id}", content=body, headers={**headers, "If-Match": etag}
                    )
                statuses.append(response.status_code)

            threads = [threading.Thread(target=put, args=(30 + k,)) for k in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert sorted(statuses) == [200, 412], (round_, statuses)


def _serve_fails(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    command = [sys.executable, "-c", "from passport_registry.cli import app; app()", "serve", "--dev", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)


def test_serve_refuses_a_store_url_that_does_not_answer_with_one_clear_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    for workers in ("1", "2"):
        done = _serve_fails("--data-dir", str(tmp_path), "--store-url", url, "--workers", workers)
        assert done.returncode == 2, done.stderr
        assert f"error: The SPARQL server at {url}" in done.stderr and "did not answer" in done.stderr
        assert "Traceback" not in done.stderr


def test_several_workers_need_a_shared_store_and_a_data_dir(tmp_path: Path) -> None:
    done = _serve_fails("--workers", "2", "--data-dir", str(tmp_path))
    assert done.returncode == 2 and "--store-url" in done.stderr
    done = _serve_fails("--workers", "2", "--store-url", "http://127.0.0.1:1")
    assert done.returncode == 2 and "--data-dir" in done.stderr
