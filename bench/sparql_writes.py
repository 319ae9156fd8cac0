"""SPARQL while passports are written: latency of a trivial query and of the aggregate, idle vs under writes.

    PYTHONPATH=src python bench/sparql_writes.py [--passports 2000] [--seconds 60] [--rate 20]
        [--out bench/results/sparql_writes.json]

One invocation, one server (bench/server.py: the real app in one uvicorn worker, over a data directory
holding `--passports` passports bulk-loaded by bench/sparql.py's loader), one query client sending,
one after another, `ASK { ?s ?p ?o }` and the aggregate of bench/sparql.py (average carbon footprint
by chemistry), anonymous, for `--seconds` in each of three phases:
1. idle: no writes (the baseline);
2. under writes: meanwhile a second client creates passports through the API (plain JSON, validated)
   and updates some of them (one PATCH after every three creates), at `--rate` writes per second, as
   the operators of the generated passports;
3. after writes: right after the writer stops.
Each phase reports client-side p50 / p99 per query (real HTTP, keep-alive) and the count of 5xx.
Goals (issue "SPARQL stays fast and available while passports are being written"): under writes, p99
of the trivial query < 50 ms and of the aggregate within 1.5x its idle p99, no 5xx; after the writes,
back to idle figures at once.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import generate
import httpx
from http_scenarios import create_accounts, operator_tokens, organisations, serving, timings
from run import machine
from summary import row

import sparql

TRIVIAL = "ASK { ?s ?p ?o }"
QUERIES = {"trivial ASK": TRIVIAL, "aggregate": sparql.QUERY}
BASE_URL = "https://registry.example"  # the IRIs sparql.load gives its clones


def phase(base: str, seconds: float) -> dict[str, Any]:
    """Alternate the two queries for `seconds`; per query: count, p50, p99 (ms), and 5xx / other errors;
    and the server-side times by route (bench/server.py's timing middleware), both queries together."""
    samples: dict[str, list[float]] = {name: [] for name in QUERIES}
    errors: dict[str, Any] = {"5xx": 0, "other": 0, "statuses": []}
    timings(base)  # reset
    deadline = time.monotonic() + seconds
    with httpx.Client(base_url=base, timeout=60) as client:
        while time.monotonic() < deadline:
            for name, query in QUERIES.items():
                started = time.perf_counter()
                response = client.get(
                    "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
                )
                samples[name].append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors["5xx" if response.status_code >= 500 else "other"] += 1
                    errors["statuses"].append(f"{response.status_code} {response.text[:160]}")
    server = timings(base)["paths"]
    return {
        "queries": {name: _stats(values) for name, values in samples.items()},
        "errors": errors,
        "server": server,
    }


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "count": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
    }


class Writer(threading.Thread):
    """Creates passports (and PATCHes every third one after it is created) at `rate` writes a second."""

    def __init__(self, base: str, rate: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.base, self.rate, self.seed = base, rate, seed
        self.stop = threading.Event()
        self.creates = self.updates = self.failures = 0
        self.seconds = 0.0
        self.error: str | None = None

    def run(self) -> None:
        try:
            self._write()
        except Exception as exc:  # reported in the result, never a silently idle "writer"
            self.error = f"{type(exc).__name__}: {exc}"

    def _write(self) -> None:
        documents = generate.passports(1_000_000, seed=self.seed)
        begun = schedule = time.monotonic()
        with httpx.Client(base_url=self.base, timeout=60) as client:
            tokens = operator_tokens(client)
            writes = 0
            while not self.stop.is_set():
                document = next(documents)
                auth = tokens[document["operatorInformation"]["identifier"]]
                created = client.post(
                    "/passports",
                    content=json.dumps(document),
                    headers={**auth, "Content-Type": "application/json"},
                )
                writes += 1
                if created.status_code != 201:
                    self.failures += 1
                else:
                    self.creates += 1
                    if self.creates % 3 == 0:
                        # Decimals are JSON strings in the registry's convention (docs/model.md).
                        patch = {"batteryMass": f"{float(document['batteryMass']) * 1.01:.3f}"}
                        updated = client.patch(
                            created.headers["location"],
                            content=json.dumps(patch),
                            headers={**auth, "Content-Type": "application/merge-patch+json",
                                     "If-Match": created.headers["etag"]},
                        )  # fmt: skip
                        writes += 1
                        self.updates += updated.status_code == 200
                        self.failures += updated.status_code != 200
                # A steady rate: sleep until the next write is due (no catching up after a slow one).
                delay = schedule + writes / self.rate - time.monotonic()
                if delay > 0:
                    self.stop.wait(delay)
                else:
                    schedule = time.monotonic() - writes / self.rate
        self.seconds = time.monotonic() - begun


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passports", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--out", type=Path, default=Path("bench/results/sparql_writes.json"))
    args = parser.parse_args()
    machine_at_start = machine()
    resolver = sparql.vocabulary_resolver()
    with tempfile.TemporaryDirectory(prefix="sparql-writes-") as work:
        data = Path(work) / "data"
        (data / "store").mkdir(parents=True)
        load_s = sparql.load(data / "store", Path(work) / "raw", args.passports, resolver)
        create_accounts(data, organisations())
        with serving(data, Path(work) / "baseline", BASE_URL) as (base, _pid):
            with httpx.Client(base_url=base, timeout=120) as client:  # start the workers and a snapshot
                client.get("/sparql", params={"query": TRIVIAL}).raise_for_status()
                client.get("/sparql", params={"query": sparql.QUERY}).raise_for_status()
            idle = phase(base, args.seconds)
            writer = Writer(base, args.rate, args.seed)
            writer.start()
            busy = phase(base, args.seconds)
            writer.stop.set()
            writer.join()
            if writer.error is not None:
                raise RuntimeError(f"the writer stopped: {writer.error}")
            after = phase(base, args.seconds)
    result = {
        "scenario": 6,
        "name": "SPARQL latency idle, under a steady writer, and right after",
        "passports_in_store": args.passports,
        "load_s": round(load_s, 1),
        "seconds_per_phase": args.seconds,
        "writer": {
            "target_rate_per_s": args.rate,
            "creates": writer.creates,
            "updates": writer.updates,
            "failures": writer.failures,
            "error": writer.error,
            "achieved_rate_per_s": round((writer.creates + writer.updates) / max(writer.seconds, 1e-9), 1),
        },
        "idle": idle,
        "under_writes": busy,
        "after_writes": after,
        "run": {
            "size": "default",
            "passports": args.passports,
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "machine": machine_at_start,
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
            "command": "PYTHONPATH=src python bench/sparql_writes.py " + " ".join(sys.argv[1:]),
        },
    }
    result["summary"] = summary_rows(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


def summary_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    idle, busy, after = (result[k]["queries"] for k in ("idle", "under_writes", "after_writes"))
    errors = result["under_writes"]["errors"]["5xx"] + result["after_writes"]["errors"]["5xx"]
    trivial, aggregate = busy["trivial ASK"]["p99_ms"], busy["aggregate"]["p99_ms"]
    ratio = aggregate / idle["aggregate"]["p99_ms"]
    rate = result["writer"]["achieved_rate_per_s"]
    note = f"{result['passports_in_store']} passports; writer {rate} writes/s; {errors} 5xx"
    return [
        row(6, "SPARQL trivial ASK p99 ms under writes", trivial, idle["trivial ASK"]["p99_ms"],
            "same query, idle, same invocation", None, "< 50 ms, no 5xx", trivial < 50 and errors == 0, note),
        row(6, "SPARQL aggregate p99 ms under writes", aggregate, idle["aggregate"]["p99_ms"],
            "same query, idle, same invocation", ratio, "<= 1.5x idle", ratio <= 1.5, note),
        row(6, "SPARQL aggregate p99 ms right after writes", after["aggregate"]["p99_ms"],
            idle["aggregate"]["p99_ms"], "same query, idle, same invocation",
            after["aggregate"]["p99_ms"] / idle["aggregate"]["p99_ms"], "back to idle at once", None, note),
    ]  # fmt: skip


if __name__ == "__main__":
    main()
