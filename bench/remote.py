"""Scenario 6: scenarios 1, 2 and 4 over the remote store (`oxigraph serve`) with 1 and 2 API workers,
next to the embedded store, all in one invocation and all through the real `passport-registry serve`.

    PYTHONPATH=src python bench/run.py --only 6 [--quick | --full | --smoke]

Run by bench/run.py on the data directory scenario 3 filled. Before anything is served, the store
directory is copied, so every setup starts from the same passports:
- embedded: `serve --data-dir D` (one process, the embedded store in D/store);
- remote, 1 and 2 workers: `oxigraph serve --location COPY` and `serve --data-dir D --store-url URL
  --workers N` (accounts stay in D; passports in the server).
Each remote setup gets its own copy and server, and every setup creates the same passports, so each
starts from and ends with the same data. In each setup, in this order: scenario 1 (GET one passport as
JSON-LD, anonymous, `connections` keep-alive connections for `seconds`, wrk or bench/load.py),
scenario 4 (the three queries of bench/sparql.py, anonymous `GET /sparql`, one client, median of 3
runs), scenario 2 (sequential creates through `POST /passports`, one connection). Ratios are remote /
embedded (times: embedded / remote), so > 1 is faster everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
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
from http_scenarios import free_port, load, operator_tokens
from summary import row

from sparql import QUERIES

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-" + "x" * 32


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@contextmanager
def process(command: list[str], ready_url: str, log: Path, env: dict[str, str]) -> Iterator[int]:
    """`command` running until the block ends; waits for `ready_url` to answer 200. Yields its pid."""
    with log.open("ab") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(ready_url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start; see {log}")
            time.sleep(0.2)
        yield proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


@contextmanager
def registry(data_dir: Path, base_url: str, log: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "PASSPORT_REGISTRY_SECRET_KEY": SECRET,
        "PASSPORT_REGISTRY_SPARQL_TIMEOUT_S": "600",
    }
    command = [sys.executable, "-c", "from passport_registry.cli import app; app()", "serve",
               "--port", str(port), "--data-dir", str(data_dir), "--base-url", base_url, *extra]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with process(command, url + "/health", log, env):
        yield url


def measure_setup(url: str, passport_id: str, size: Any, seed: int) -> dict[str, Any]:
    """Scenarios 1, 4 and 2 against the registry at `url`."""
    get = load(f"{url}/passports/{passport_id}", size.connections, size.load_seconds, size.use_wrk)
    sparql = {}
    with httpx.Client(base_url=url, timeout=600) as client:
        for name, query in QUERIES.items():
            samples, rows = [], 0
            for _ in range(3 if size.name != "smoke" else 1):
                start = time.perf_counter()
                response = client.get(
                    "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
                )
                samples.append(time.perf_counter() - start)
                response.raise_for_status()
                rows = len(response.json()["results"]["bindings"])
            sparql[name] = {"median_s": round(statistics.median(samples), 4), "rows": rows}
        tokens = operator_tokens(client)
        durations = []
        for document in generate.passports(size.creates, seed=seed):
            headers = {
                **tokens[document["operatorInformation"]["identifier"]],
                "Content-Type": "application/json",
            }
            start = time.perf_counter()
            response = client.post("/passports", content=json.dumps(document), headers=headers)
            durations.append(time.perf_counter() - start)
            if response.status_code != 201:
                raise RuntimeError(f"create: {response.status_code} {response.text[:300]}")
    ordered = sorted(durations)
    creates = {
        "requests": len(ordered),
        "requests_per_s": round(len(ordered) / sum(ordered), 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
    }
    return {"get": get, "sparql": sparql, "create": creates}


def run(data_dir: Path, work: Path, passport_id: str, size: Any, base_url: str, seed: int) -> dict[str, Any]:
    """Scenario 6 (see the module docstring); `data_dir` holds scenario 3's import and the accounts."""
    binary = oxigraph_binary()
    if binary is None:
        return {"scenario": 6, "absent": "the `oxigraph` command is not installed", "summary": []}
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    copies = {workers: work / f"remote-store-{workers}" for workers in (1, 2)}
    for copy in copies.values():  # before anything writes: every setup starts from the same passports
        shutil.copytree(data_dir / "store", copy)
    setups: dict[str, Any] = {}
    with registry(data_dir, base_url, logs / "embedded.log") as url:
        setups["embedded"] = measure_setup(url, passport_id, size, seed + 2000)
    for workers, copy in copies.items():
        port = free_port()
        sparql_url = f"http://127.0.0.1:{port}"
        server = [binary, "serve", "--location", str(copy), "--bind", f"127.0.0.1:{port}"]
        with (
            process(server, f"{sparql_url}/query?query=ASK%7B%7D", logs / f"ox{workers}.log", {**os.environ}),
            registry(data_dir, base_url, logs / f"remote-{workers}.log", "--store-url", sparql_url,
                     "--workers", str(workers)) as url,
        ):  # fmt: skip
            name = f"remote, {workers} worker{'s' if workers > 1 else ''}"
            setups[name] = measure_setup(url, passport_id, size, seed + 2000)
    return {
        "scenario": 6,
        "name": "Scenarios 1, 2 and 4 over the remote store (oxigraph serve), 1 and 2 workers, vs embedded",
        "connections": size.connections,
        "seconds": size.load_seconds,
        "setups": setups,
        "summary": summary_rows(setups),
    }


def summary_rows(setups: dict[str, Any]) -> list[dict[str, Any]]:
    base = setups["embedded"]
    same = "embedded store, same invocation"
    rows = []
    for name, s in setups.items():
        if name == "embedded":
            continue
        get, base_get = s["get"]["requests_per_s"], base["get"]["requests_per_s"]
        p50, base_p50 = s["get"].get("client_p50_ms"), base["get"].get("client_p50_ms")
        note = f"client p50 {p50} ms vs {base_p50} ms; {s['get']['load_generator']}"
        rows.append(row(6, f"GET req/s, {name}", get, base_get, same, _ratio(get, base_get), "—", None, note))
        made, base_made = s["create"]["requests_per_s"], base["create"]["requests_per_s"]
        note = f"p50 {s['create']['p50_ms']} ms vs {base['create']['p50_ms']} ms; one connection"
        rows.append(
            row(6, f"create req/s, {name}", made, base_made, same, _ratio(made, base_made), "—", None, note)
        )
        for query, result in s["sparql"].items():
            t, base_t = result["median_s"], base["sparql"][query]["median_s"]
            rows_note = f"rows {result['rows']} (embedded {base['sparql'][query]['rows']})"
            note = f"{rows_note}; ratio: embedded / remote time"
            rows.append(
                row(6, f"SPARQL {query} s, {name}", t, base_t, same, _ratio(base_t, t), "—", None, note)
            )
    return rows


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None
