"""The capacity plan's partitioning, checked at reduced scale: one registry store against the same
passports split over P stores, and the global battery-identifier index in PostgreSQL.

    PYTHONPATH=src python bench/partitions.py [--passports 100000] [--partitions 4] [--gets 500]
        [--index-rows 1000000] [--index-url postgresql://...] [--work DIR]
        [--out bench/results/partitions.json]

docs/capacity.md plans 10^8 passports as partitions, each a SPARQL server holding the passports of a
set of economic operators, with three things kept global: battery-identifier uniqueness and lookup (an
index in PostgreSQL), the routing of a passport IRI to its partition (the same index), and the public
SPARQL dataset (answered by asking every partition and merging). This script checks those claims on
one machine, with the registry's own code:

1. layout: the same clones (bench/sparql.py's `templates` / `clone`, the quads the store's bulk path
   writes) into one data directory, and into P data directories, passport n into partition n % P (as
   if operators were assigned round robin); seconds and bytes on disk of each;
2. GET: `--gets` anonymous JSON-LD GETs of random passports through the real app (starlette
   TestClient over each data directory), on the single store and routed to the passport's partition;
   p50 / p99 of each, so a partition's read cost can be compared with the whole store's;
3. public SPARQL: the aggregate and the join of bench/sparql.py as an anonymous caller through
   `/sparql` on the single store, and on each partition with the answers merged (counts summed,
   averages weighted by their counts); the merged answer must equal the single store's (checked, the
   run fails otherwise), and the time of each partition is recorded: asked one after another here,
   and the slowest partition is what a fan-out to P servers in parallel would wait for;
4. the global index: a PostgreSQL table (battery identifier primary key, partition, passport IRI)
   filled with `--index-rows` rows by COPY; bytes a row (table and index, after VACUUM), the p50 of
   a lookup by battery identifier and of an insert that must detect a taken identifier, over 1000
   random keys each. PostgreSQL: `--index-url`, or a throwaway cluster (tests/postgres_server.py, as
   bench/bench_accounts.py does); skipped, and said so, without either.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from bench_accounts import postgres_database
from fastapi.testclient import TestClient
from pyoxigraph import RdfFormat, Store
from run import machine
from scale import disk_bytes

import sparql
from passport_registry.api.app import create_app
from passport_registry.config import Settings

BASE_URL = "https://registry.example"
CHUNK = 5000


def fill(dirs: list[Path], count: int) -> list[float]:
    """Clones 0..count-1, clone n into dirs[n % len(dirs)]; seconds each directory took."""
    shapes = sparql.templates(sparql.vocabulary_resolver())
    parts = len(dirs)
    seconds = []
    for k, directory in enumerate(dirs):
        started = time.perf_counter()
        store = Store(str(directory))
        mine = range(k, count, parts)
        for first in range(0, len(mine), CHUNK):
            ns = mine[first : first + CHUNK]
            store.bulk_load(
                b"".join(sparql.clone(shapes[n % 6].full, shapes[n % 6], n) for n in ns), RdfFormat.N_QUADS
            )
        store.flush()
        del store
        seconds.append(time.perf_counter() - started)
    return seconds


def app_for(data_dir: Path) -> TestClient:
    settings = Settings(dev=True, data_dir=data_dir, base_url=BASE_URL, sparql_timeout_s=600)
    return TestClient(create_app(settings))


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000, 2),
    }


def gets(route: Callable[[int], TestClient], count: int, n: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    samples = []
    for _ in range(n):
        k = rng.randrange(count)
        started = time.perf_counter()
        response = route(k).get(f"/passports/bench-{k}", headers={"Accept": "application/ld+json"})
        samples.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"GET bench-{k}: {response.status_code} {response.text[:200]}")
    return _stats(samples)


def ask(client: TestClient, query: str) -> tuple[float, list[dict[str, Any]]]:
    """Seconds and rows of `query` as an anonymous caller (after one unmeasured run)."""
    for warm in (True, False):
        started = time.perf_counter()
        response = client.get(
            "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"SPARQL: {response.status_code} {response.text[:200]}")
        if not warm:
            return seconds, response.json()["results"]["bindings"]
    raise AssertionError("unreachable")


def merge(answers: list[list[dict[str, Any]]], keys: list[str], count: str, average: str) -> dict[Any, Any]:
    """Rows of several partitions' GROUP BY answers as one: counts summed, averages weighted."""
    merged: dict[tuple[str, ...], list[Decimal]] = {}
    for rows in answers:
        for row in rows:
            key = tuple(row[k]["value"] for k in keys)
            n = Decimal(row[count]["value"])
            total = merged.setdefault(key, [Decimal(0), Decimal(0)])
            total[0] += n
            total[1] += n * Decimal(row[average]["value"])
    return {key: (int(n), s / n) for key, (n, s) in merged.items()}


def same(a: dict[Any, Any], b: dict[Any, Any]) -> bool:
    """Same groups, same counts, averages equal to 1e-9 (each store rounds its own decimal averages)."""
    return a.keys() == b.keys() and all(
        a[k][0] == b[k][0] and abs(a[k][1] - b[k][1]) <= Decimal("1e-9") * max(1, abs(a[k][1])) for k in a
    )


def public_sparql(single: TestClient, parts: list[TestClient]) -> dict[str, Any]:
    out = {}
    for name, keys, count, average in (
        ("aggregate", ["chemistry"], "passports", "average"),
        ("join across clusters", ["category", "chemistry", "country"], "passports", "capacity"),
    ):
        query = sparql.QUERIES[name]
        single_s, single_rows = ask(single, query)
        part_s, part_rows = zip(*(ask(client, query) for client in parts), strict=True)
        whole = merge([single_rows], keys, count, average)
        merged = merge(list(part_rows), keys, count, average)
        if not same(whole, merged):
            raise RuntimeError(f"{name}: the partitions' merged answer differs from the single store's")
        out[name] = {
            "rows": len(single_rows),
            "merged_equals_single": True,
            "single_s": round(single_s, 3),
            "partitions_s": [round(s, 3) for s in part_s],
            "partitions_sum_s": round(sum(part_s), 3),
            "slowest_partition_s": round(max(part_s), 3),
        }
    return out


def global_index(url: str | None, where: str, rows: int, parts: int) -> dict[str, Any]:
    if url is None:
        return {"skipped": where}
    rng = random.Random(7)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE battery_index (product_identifier text PRIMARY KEY,"
            " partition smallint NOT NULL, passport text NOT NULL)"
        )
        started = time.perf_counter()
        with conn.cursor().copy("COPY battery_index FROM STDIN") as copy:
            for n in range(rows):
                copy.write_row((f"BENCH-{n:08d}", n % parts, f"{BASE_URL}/passports/bench-{n}"))
        fill_s = time.perf_counter() - started
        conn.execute("VACUUM ANALYZE battery_index")
        size = conn.execute("SELECT pg_total_relation_size('battery_index')").fetchone()
        assert size is not None
        lookups, inserts = [], []
        for _ in range(1000):
            key = f"BENCH-{rng.randrange(rows):08d}"
            started = time.perf_counter()
            found = conn.execute(
                "SELECT partition, passport FROM battery_index WHERE product_identifier = %s", (key,)
            ).fetchone()
            lookups.append(time.perf_counter() - started)
            if found is None:
                raise RuntimeError(f"{key} not found in the index")
            started = time.perf_counter()
            taken = conn.execute(
                "INSERT INTO battery_index VALUES (%s, 0, 'x') ON CONFLICT DO NOTHING RETURNING 1", (key,)
            ).fetchone()
            inserts.append(time.perf_counter() - started)
            if taken is not None:
                raise RuntimeError(f"{key} was inserted twice")
        conn.execute("DROP TABLE battery_index")
    return {
        "where": where,
        "rows": rows,
        "copy_s": round(fill_s, 1),
        "bytes_per_row": round(size[0] / rows, 1),
        "lookup": _stats(lookups),
        "taken_identifier_insert": _stats(inserts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passports", type=int, default=100_000)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--gets", type=int, default=500)
    parser.add_argument("--index-rows", type=int, default=1_000_000)
    parser.add_argument("--index-url", help="a PostgreSQL database to use (default: a throwaway cluster)")
    parser.add_argument("--work", type=Path, help="keep the data directories here (default: a temp dir)")
    parser.add_argument("--out", type=Path, default=Path("bench/results/partitions.json"))
    args = parser.parse_args()
    os.environ["PASSPORT_REGISTRY_SPARQL_TIMEOUT_S"] = "600"
    result: dict[str, Any] = {
        "name": "One store against P partitions, and the global battery-identifier index",
        "run": {
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "machine": machine(),
            "command": "PYTHONPATH=src python bench/partitions.py "
            + " ".join(a for a in sys.argv[1:] if not a.startswith("postgresql")),
            "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        },
    }
    count, parts = args.passports, args.partitions
    with tempfile.TemporaryDirectory(prefix="partitions-", dir=args.work) as tmp:
        work = Path(tmp)
        single_dir = work / "single"
        part_dirs = [work / f"partition-{k}" for k in range(parts)]
        for directory in [single_dir, *part_dirs]:
            (directory / "store").mkdir(parents=True)
        single_s = fill([single_dir / "store"], count)[0]
        part_s = fill([d / "store" for d in part_dirs], count)
        result["layout"] = {
            "passports": count,
            "partitions": parts,
            "single": {"fill_s": round(single_s, 1), "bytes": disk_bytes(single_dir / "store")},
            "partitioned": {
                "fill_s": [round(s, 1) for s in part_s],
                "bytes": [disk_bytes(d / "store") for d in part_dirs],
            },
        }
        with app_for(single_dir) as single:
            clients = [app_for(d) for d in part_dirs]
            for client in clients:
                client.__enter__()
            try:
                result["get_json_ld"] = {
                    "single": gets(lambda _k: single, count, args.gets, seed=1),
                    "routed_to_partition": gets(lambda k: clients[k % parts], count, args.gets, seed=1),
                }
                result["public_sparql"] = public_sparql(single, clients)
            finally:
                for client in clients:
                    client.__exit__(None, None, None)
    with postgres_database(args.index_url) as (url, where):
        result["global_index"] = global_index(url, where, args.index_rows, parts)
    result["run"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
