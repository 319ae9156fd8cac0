"""Concurrent creates: does waiting for one writer lock cost throughput, and would group commit pay?

    PYTHONPATH=src python bench/concurrent_creates.py [--passports 2000] [--seconds 30] [--clients 8]
        [--out bench/results/concurrent_creates.json]

Two measurements in one invocation:
1. Over real HTTP (bench/server.py: the real app in one uvicorn worker, over a data directory holding
   `--passports` passports): creates per second and client-side p50 / p99 with one client, then with
   `--clients` clients creating at once (threads, one keep-alive connection each), `--seconds` each.
2. In the store alone: the cost of Oxigraph's transactional `Store.load` (what a create writes under the
   writer lock) per passport when k passports share one transaction (k = 1, 2, 4, 8, 16), on a store
   holding the same passports. Group commit (several creates in one transaction, each still checked
   against its own guards) can only multiply create throughput if this cost falls with k.
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
from pyoxigraph import RdfFormat, Store, parse
from run import machine
from summary import row

import sparql
from passport_registry.access import GroupResolver

BASE_URL = "https://registry.example"  # the IRIs sparql.load gives its clones
GROUP_SIZES = (1, 2, 4, 8, 16)


def http_creates(base: str, clients: int, seconds: float, seed: int) -> dict[str, Any]:
    """`clients` threads create generated passports for `seconds`; throughput, latency, failures."""
    with httpx.Client(base_url=base, timeout=120) as client:
        tokens = operator_tokens(client)
    samples: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def work(index: int) -> None:
        documents = generate.passports(1_000_000, seed=seed * 100 + index)
        with httpx.Client(base_url=base, timeout=120) as client:
            while time.monotonic() < deadline:
                document = next(documents)
                auth = tokens[document["operatorInformation"]["identifier"]]
                started = time.perf_counter()
                response = client.post(
                    "/passports",
                    content=json.dumps(document),
                    headers={**auth, "Content-Type": "application/json"},
                )
                elapsed = time.perf_counter() - started
                with lock:
                    if response.status_code == 201:
                        samples.append(elapsed)
                    else:
                        failures.append(f"{response.status_code} {response.text[:160]}")

    timings(base)  # reset the server-side timers
    begun = time.monotonic()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - begun
    ordered = sorted(samples)
    return {
        "clients": clients,
        "created": len(ordered),
        "failures": len(failures),
        "failure_examples": failures[:3],
        "creates_per_s": round(len(ordered) / wall, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 1),
        "server": timings(base)["paths"].get("POST /passports", {}),
    }


def transaction_costs(store_dir: Path, first: int, resolver: GroupResolver, rounds: int) -> dict[str, Any]:
    """Median ms per passport of one transactional load of k passports, k in GROUP_SIZES, interleaved
    over `rounds` rounds so that store growth and background compaction fall on every k alike."""
    shapes = sparql.templates(resolver)
    store = Store(str(store_dir))
    n = first
    costs: dict[int, list[float]] = {k: [] for k in GROUP_SIZES}
    for _ in range(rounds):
        for k in GROUP_SIZES:
            batch = b"".join(sparql.clone(shapes[i % 6].full, shapes[i % 6], i) for i in range(n, n + k))
            n += k
            started = time.perf_counter()
            store.load(batch, RdfFormat.N_QUADS)
            costs[k].append((time.perf_counter() - started) / k)
    quads = sum(1 for _ in parse(sparql.clone(shapes[0].full, shapes[0], first), format=RdfFormat.N_QUADS))
    del store
    return {
        "quads_per_passport_example": quads,
        "rounds": rounds,
        "ms_per_passport_by_group_size": {
            str(k): round(statistics.median(values) * 1000, 2) for k, values in costs.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passports", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--out", type=Path, default=Path("bench/results/concurrent_creates.json"))
    args = parser.parse_args()
    machine_at_start = machine()
    resolver = sparql.vocabulary_resolver()
    with tempfile.TemporaryDirectory(prefix="concurrent-creates-") as work:
        data = Path(work) / "data"
        (data / "store").mkdir(parents=True)
        sparql.load(data / "store", Path(work) / "raw", args.passports, resolver)
        create_accounts(data, organisations())
        with serving(data, Path(work) / "baseline", BASE_URL) as (base, _pid):
            one = http_creates(base, 1, args.seconds, args.seed)
            many = http_creates(base, args.clients, args.seconds, args.seed + 1)
        store_dir = Path(work) / "store-only"
        store_dir.mkdir()
        sparql.load(store_dir, Path(work) / "raw-2", args.passports, resolver)
        transactions = transaction_costs(store_dir, args.passports, resolver, args.rounds)
    result = {
        "name": "Concurrent creates over HTTP, and the transaction cost per passport by group size",
        "passports_in_store": args.passports,
        "http": {"one_client": one, "many_clients": many},
        "store_transactions": transactions,
        "run": {
            "size": "default",
            "passports": args.passports,
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "machine": machine_at_start,
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
            "command": "PYTHONPATH=src python bench/concurrent_creates.py " + " ".join(sys.argv[1:]),
        },
    }
    result["summary"] = summary_rows(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


def summary_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    one, many = result["http"]["one_client"], result["http"]["many_clients"]
    costs = result["store_transactions"]["ms_per_passport_by_group_size"]
    speedup = many["creates_per_s"] / one["creates_per_s"]
    group_gain = costs["1"] / costs["8"]
    note = f"{result['passports_in_store']} passports; {many['failures']} failed creates"
    return [
        row(8, f"creates/s with {many['clients']} clients", many["creates_per_s"], one["creates_per_s"],
            "one client, same invocation", speedup, "measure", None, note),
        row(8, "transaction ms a passport, 8 in one vs 1 in one", costs["8"], costs["1"],
            "one passport a transaction", group_gain, "group commit if it multiplies throughput", None,
            "Store.load under the writer lock"),
    ]  # fmt: skip


if __name__ == "__main__":
    main()
