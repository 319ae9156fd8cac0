"""Scenarios over a real socket: 1 (GET under load), 2 (create through the API), 5 (server memory).

The server is bench/server.py in its own process (one uvicorn worker) on a data directory already holding
the imported passports; the load comes from another process: wrk when installed (and not told otherwise),
else bench/load.py. Each result says which load generator produced it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import generate
import httpx
from summary import row

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PASSWORD = "bench password 1"
MEDIA_TYPE = "application/ld+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@contextmanager
def serving(data_dir: Path, baseline_store: Path, base_url: str) -> Iterator[tuple[str, int]]:
    """bench/server.py on a free port over `data_dir`; yields (base URL, server pid)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(BENCH / "server.py"), "--data-dir", str(data_dir), "--port", str(port),
         "--baseline-store", str(baseline_store), "--base-url", base_url],
        env=env(),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/_bench/timings", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the benchmark server did not start")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def load(url: str, connections: int, seconds: float, use_wrk: bool) -> dict[str, Any]:
    """Requests per second (and client latency) of `connections` keep-alive connections for `seconds`."""
    if use_wrk and shutil.which("wrk"):
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
             "-H", f"Accept: {MEDIA_TYPE}", url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return {
            "load_generator": "wrk",
            "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "client_p50_ms": _wrk_ms(out, "50%"),
            "client_p99_ms": _wrk_ms(out, "99%"),
            "errors": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
        }
    out = subprocess.run(
        [sys.executable, str(BENCH / "load.py"), url, "--connections", str(connections),
         "--duration", str(seconds)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return {"load_generator": "bench/load.py", **json.loads(out)}


def _wrk_ms(out: str, percentile: str) -> float:
    match = re.search(rf"{re.escape(percentile)}\s+([\d.]+)(us|ms|s)", out)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return round(value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 3)


def timings(base: str) -> dict[str, Any]:
    return httpx.get(f"{base}/_bench/timings", params={"reset": "true"}, timeout=30).json()  # type: ignore[no-any-return]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def get_under_load(
    base: str, pid: int, passport_id: str, passports: int, connections: int, seconds: float, use_wrk: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Scenario 1 (registry GET vs bare route, same bytes, same server) and scenario 5 (server RSS)."""
    url = f"{base}/passports/{passport_id}"
    response = httpx.get(url, headers={"Accept": MEDIA_TYPE}, timeout=30)
    response.raise_for_status()
    httpx.put(f"{base}/_bench/bare", content=response.content,
              headers={"Content-Type": response.headers["content-type"]}, timeout=30)  # fmt: skip
    rss_before = rss_kb(pid)
    timings(base)
    bare = load(f"{base}/_bench/bare", connections, seconds, use_wrk)
    bare_server = timings(base)["paths"].get("GET /_bench/bare", {})
    ours = load(url, connections, seconds, use_wrk)
    measured = timings(base)
    ours_server = measured["paths"].get("GET /passports/{id}", {})
    # Under 32 connections the in-server time includes the wait for a worker thread; one connection
    # gives the service time of a request alone.
    alone = load(url, 1, min(seconds, 3.0), use_wrk=False)
    alone_server = timings(base)["paths"].get("GET /passports/{id}", {})
    ratio = ours["requests_per_s"] / bare["requests_per_s"] if bare["requests_per_s"] else 0.0
    get = {
        "scenario": 1,
        "name": "GET one passport as JSON-LD (public view) under load",
        "passports_in_store": passports,
        "connections": connections,
        "seconds": seconds,
        "bytes": len(response.content),
        "ours": {**ours, "server": ours_server},
        "ours_one_connection": {**alone, "server": alone_server},
        "baseline": {**bare, "server": bare_server},
        "summary": [
            row(1, "GET req/s (32 connections)", ours["requests_per_s"], bare["requests_per_s"],
                 "bare FastAPI route, same bytes, same server", ratio, ">= 0.5x baseline", ratio >= 0.5,
                 ours["load_generator"]),
            row(1, "GET server-side p50 ms", ours_server.get("p50_ms"), bare_server.get("p50_ms"),
                 "bare route p50", None, "< 2 ms", (ours_server.get("p50_ms") or 99) < 2,
                 "timing middleware in the benchmark server; includes queueing for a worker thread"),
            row(1, "GET server-side p50 ms, one connection", alone_server.get("p50_ms"),
                bare_server.get("p50_ms"), "bare route p50 (under load)", None, "< 2 ms",
                (alone_server.get("p50_ms") or 99) < 2,
                "service time without queueing (bench/load.py, 1 connection)"),
        ],
    }  # fmt: skip
    peak = measured["peak_rss_kb"] / 1024
    memory = {
        "scenario": 5,
        "name": "Server memory serving the store under scenario 1's load",
        "passports_in_store": passports,
        "rss_mb_before_load": round(rss_before / 1024, 1),
        "peak_rss_mb": round(peak, 1),
        "summary": [
            row(5, f"server peak RSS MB ({passports} passports)", round(peak, 1), None, "—", None,
                 "< 400 MB", peak < 400, "VmHWM of the server process"),
        ],
    }  # fmt: skip
    return get, memory


def create_accounts(data_dir: Path, organisations: list[str]) -> None:
    """One economic operator per organisation (emails eo-<org>@bench.example), before the server starts."""
    sys.path.insert(0, str(ROOT / "src"))
    from passport_registry.config import Settings
    from passport_registry.roles import Role
    from passport_registry.security import PasswordHasher
    from passport_registry.services.accounts import Accounts

    settings = Settings(dev=True, data_dir=data_dir, base_url="http://127.0.0.1")
    accounts = Accounts.open(settings, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    try:
        admin = accounts.users.bootstrap_admin(email="admin@bench.example", password=PASSWORD)
        for org in organisations:
            accounts.users.create_user(admin, email=f"eo-{org.lower()}@bench.example", password=PASSWORD,
                                       display_name=org, organisation=org,
                                       roles=frozenset({Role.ECONOMIC_OPERATOR}))  # fmt: skip
    finally:
        accounts.close()


def organisations() -> list[str]:
    return sorted({t["operatorInformation"]["identifier"] for t in generate.templates()})


def operator_tokens(client: httpx.Client) -> dict[str, dict[str, str]]:
    """The Authorization header of each organisation's operator (`create_accounts`), signed in."""
    tokens = {}
    for org in organisations():
        answer = client.post(
            "/auth/token", data={"username": f"eo-{org.lower()}@bench.example", "password": PASSWORD}
        )
        answer.raise_for_status()
        tokens[org] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    return tokens


def creates(base: str, count: int, baseline_count: int, seed: int) -> dict[str, Any]:
    """Scenario 2: sequential creates through the API (one connection), ours vs pyld + pySHACL."""
    documents = [json.dumps(p).encode() for p in generate.passports(count, seed=seed)]
    with httpx.Client(base_url=base, timeout=120) as client:
        tokens = operator_tokens(client)
        timings(base)

        def post(path: str, body: bytes, headers: dict[str, str]) -> float:
            start = time.perf_counter()
            response = client.post(
                path, content=body, headers={**headers, "Content-Type": "application/json"}
            )
            elapsed = time.perf_counter() - start
            if response.status_code != 201:
                raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
            return elapsed

        ours = [
            post("/passports", body, tokens[json.loads(body)["operatorInformation"]["identifier"]])
            for body in documents
        ]
        ours_server = timings(base)["paths"].get("POST /passports", {})
        reference = [post("/_bench/baseline/passports", body, {}) for body in documents[:baseline_count]]
        reference_server = timings(base)["paths"].get("POST /_bench/baseline/passports", {})
    ours_stats, reference_stats = _stats(ours), _stats(reference)
    ratio = ours_stats["requests_per_s"] / reference_stats["requests_per_s"]
    return {
        "scenario": 2,
        "name": "Create passports through the API (validation on)",
        "load_generator": "httpx, one connection, sequential",
        "ours": {**ours_stats, "server": ours_server},
        "baseline": {**reference_stats, "server": reference_server,
                     "flow": "pyld to_rdf + pySHACL + one pyoxigraph transaction, same server"},
        "summary": [
            row(2, "create req/s (p50 / p99 ms in the result)", ours_stats["requests_per_s"],
                 reference_stats["requests_per_s"], "pyld + pySHACL + pyoxigraph", ratio, ">= 10x baseline",
                 ratio >= 10, f"p50 {ours_stats['p50_ms']} / p99 {ours_stats['p99_ms']} ms vs "
                 f"{reference_stats['p50_ms']} / {reference_stats['p99_ms']} ms"),
        ],
    }  # fmt: skip


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "requests": len(ordered),
        "requests_per_s": round(len(ordered) / sum(ordered), 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
    }
