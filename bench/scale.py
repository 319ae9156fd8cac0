"""How the embedded registry's costs grow with its size: 10k -> 100k -> 1M passports on one machine.

    PYTHONPATH=src python bench/scale.py [--steps 10000 100000 1000000] [--import-count 5000]
        [--gets 300] [--work DIR] [--out bench/results/scale.json]

One data directory grows step by step. At each step:
1. fill: clones of the example passports (the quads the store's bulk path writes for them, made by the
   same partition code: bench/sparql.py's `templates` / `clone`) are bulk-loaded until the store holds
   the step's count; the fill is a means, its rate is recorded but is not the registry's import;
2. disk: bytes under the store directory;
3. import: `passport-registry import` of `--import-count` further generated passports (JSON lines, every
   one parsed, validated and stored all-or-nothing) into that store, in its own process: passports/s
   (wall time, process start included) and peak RSS;
4. serve: bench/server.py (the real app, one uvicorn worker) over the data directory; `--gets`
   anonymous JSON-LD GETs of random passports, one connection (client and server-side p50 / p99);
   the anonymous SPARQL aggregate of bench/sparql.py through `/sparql` (median of 3 after a warm-up;
   the endpoint's time limit raised to 600 s for this run); the server's peak RSS.
Results are written after every step, so a long run that is stopped keeps the steps it finished. The fill
stops while 10 GB of disk are still free; that step is then measured at the size reached and the run ends,
recording why (`run.stopped`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import generate
import httpx
from http_scenarios import serving
from import_scenario import CLI, _run
from pyoxigraph import RdfFormat, Store
from run import machine

import sparql
from passport_registry.access import GroupResolver

BASE_URL = "https://registry.example"
OWNER = "BENCH-EO-0001"
CHUNK = 5000
DISK_RESERVE = 10 * 10**9  # stop filling while this much disk is still free: the machine keeps working


def fill(store_dir: Path, start: int, stop: int, resolver: GroupResolver) -> tuple[float, int, str]:
    """Bulk-load clones start..stop-1 into the store: seconds taken, clones stored, why it stopped short."""
    shapes = sparql.templates(resolver)
    began = time.perf_counter()
    short = ""
    store = Store(str(store_dir))
    for first in range(start, stop, CHUNK):
        if shutil.disk_usage(store_dir).free < DISK_RESERVE:
            stop = first
            short = f"stopped at {first} clones: less than {DISK_RESERVE / 1e9:.0f} GB of disk left"
            break
        ns = range(first, min(first + CHUNK, stop))
        store.bulk_load(
            b"".join(sparql.clone(shapes[n % 6].full, shapes[n % 6], n) for n in ns), RdfFormat.N_QUADS
        )
    store.flush()
    del store
    return time.perf_counter() - began, stop, short


def disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def import_more(data_dir: Path, work: Path, count: int, seed: int) -> dict[str, Any]:
    source = generate.write_jsonl(work / f"import-{seed}.jsonl", count, seed=seed)
    seconds, peak_kb, out = _run(
        [sys.executable, "-c", CLI, "import", str(source), "--owner", OWNER, "--data-dir", str(data_dir),
         "--base-url", BASE_URL]
    )  # fmt: skip
    source.unlink()
    return {
        "passports": count,
        "seconds": round(seconds, 1),
        "passports_per_s": round(count / seconds, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "cli_output_tail": out.strip()[-200:],
    }


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
    }


def serve_and_read(data_dir: Path, work: Path, size: int, gets: int, seed: int) -> dict[str, Any]:
    os.environ["PASSPORT_REGISTRY_SPARQL_TIMEOUT_S"] = "600"
    rng = random.Random(seed)
    with (
        serving(data_dir, work / "baseline", BASE_URL) as (base, _pid),
        httpx.Client(base_url=base, timeout=900) as client,
    ):
        client.get("/_bench/timings", params={"reset": True})
        samples = []
        for _ in range(gets):
            path = f"/passports/bench-{rng.randrange(size)}"
            started = time.perf_counter()
            response = client.get(path, headers={"Accept": "application/ld+json"})
            samples.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"GET {path}: {response.status_code} {response.text[:200]}")
        server_get = client.get("/_bench/timings", params={"reset": True}).json()["paths"]
        aggregate = []
        for run in range(4):
            started = time.perf_counter()
            response = client.get(
                "/sparql",
                params={"query": sparql.QUERY},
                headers={"Accept": "application/sparql-results+json"},
            )
            if response.status_code != 200:
                raise RuntimeError(f"SPARQL aggregate: {response.status_code} {response.text[:200]}")
            if run:  # the first one opens the snapshot and warms the caches
                aggregate.append(time.perf_counter() - started)
        rows = response.json()["results"]["bindings"]
        peak_rss_kb = client.get("/_bench/timings").json()["peak_rss_kb"]
    return {
        "get_json_ld": {
            "requests": gets,
            **_stats(samples),
            "server": server_get.get("GET /passports/{id}", {}),
        },
        "sparql_aggregate_s": {
            "median": round(statistics.median(aggregate), 3),
            "runs": [round(s, 3) for s in aggregate],
            "counted_passports": sum(int(r["passports"]["value"]) for r in rows),
        },
        "server_peak_rss_mb": round(peak_rss_kb / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--import-count", type=int, default=5000)
    parser.add_argument("--gets", type=int, default=300)
    parser.add_argument("--work", type=Path, help="keep the data directory here (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=Path("bench/results/scale.json"))
    args = parser.parse_args()
    resolver = sparql.vocabulary_resolver()
    result: dict[str, Any] = {
        "name": "Embedded registry at growing size: disk, import, GET, SPARQL aggregate, server memory",
        "steps": [],
        "run": {
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "machine": machine(),
            "command": "PYTHONPATH=src python bench/scale.py " + " ".join(sys.argv[1:]),
        },
    }
    with tempfile.TemporaryDirectory(prefix="scale-", dir=args.work) as tmp:
        work = Path(tmp)
        data = work / "data"
        (data / "store").mkdir(parents=True)
        (work / "baseline").mkdir()
        filled = imported = 0
        for step in sorted(args.steps):
            fill_s, reached, short = fill(data / "store", filled, step, resolver)
            fill_rate = (reached - filled) / fill_s
            filled = reached
            entry: dict[str, Any] = {
                "clones": reached,
                "fill": {"seconds": round(fill_s, 1), "passports_per_s": round(fill_rate, 1)},
                "load_average_1m": round(os.getloadavg()[0], 2),
            }
            entry["import"] = import_more(data, work, args.import_count, seed=step)
            imported += args.import_count
            entry["passports_in_store"] = reached + imported
            entry["store_bytes"] = disk_bytes(data / "store")
            entry["store_gb"] = round(entry["store_bytes"] / 1e9, 2)
            entry["bytes_per_passport"] = round(entry["store_bytes"] / entry["passports_in_store"])
            entry.update(serve_and_read(data, work, reached, args.gets, seed=step))
            result["steps"].append(entry)
            result["run"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
            print(json.dumps(entry, indent=2), flush=True)
            if short:
                result["run"]["stopped"] = f"the {step} step {short}"
                args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
                break


if __name__ == "__main__":
    main()
