"""How long the SPARQL endpoint takes to refuse (or answer) deep and huge queries, next to ordinary ones.

    PYTHONPATH=src python bench/sparql_hostile.py [--passports 2000] [--runs 3]
        [--out bench/results/sparql_hostile.json]

One server (bench/server.py: the real app in one uvicorn worker) over `--passports` passports, default
settings (5 s query limit, 512 KiB query text); an anonymous client sends each query `--runs` times
by direct POST and records the status and the client-side time (median). The hostile queries are
those of the issue "every SPARQL request is bounded": 2,000 nested subqueries, 100,000 nested
parentheses, 100,000 nested group patterns, DESCRIBE of 10,000 IRIs, and a 1 MiB query with FROM and
130,000 VALUES (413 at the default limit, so it is also sent to a second server started with
`PASSPORT_REGISTRY_SPARQL_MAX_QUERY_BYTES=2097152`, where it is parsed in the query worker and
answered). Ordinary queries for comparison: `ASK { ?s ?p ?o }` and the aggregate of bench/sparql.py.
On the code before this change the deep ones crashed the query worker (500) and the 1 MiB one took
43-66 s (issue text).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from http_scenarios import serving
from run import machine
from summary import row

import sparql

PUBLIC = "https://w3id.org/passport-registry/graph/public"
VALUES = " ".join(f'"{i}"' for i in range(130_000))
HOSTILE = {
    "2,000 nested subqueries": "SELECT * WHERE " + "{ SELECT * WHERE " * 2000 + "{}" + " }" * 2000,
    "100,000 nested parentheses": "SELECT * WHERE { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }",
    "100,000 nested group patterns": "SELECT * WHERE " + "{" * 100_000 + "}" * 100_000,
    "DESCRIBE of 10,000 IRIs": "DESCRIBE " + " ".join(f"<urn:x:{i}>" for i in range(10_000)),
    "1 MiB query with FROM and 130,000 VALUES": (
        f"SELECT * FROM <{PUBLIC}> WHERE {{ VALUES ?x {{ {VALUES} }} }} LIMIT 1"
    ),
}
ORDINARY = {"trivial ASK": "ASK { ?s ?p ?o }", "aggregate": sparql.QUERY}
BASE_URL = "https://registry.example"  # the IRIs sparql.load gives its clones
TIME_LIMIT_S = 5.0


def timed(base: str, queries: dict[str, str], runs: int) -> dict[str, Any]:
    out = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, query in queries.items():
            samples, statuses = [], set()
            for _ in range(runs):
                started = time.perf_counter()
                response = client.post(
                    "/sparql",
                    content=query.encode(),
                    headers={
                        "Content-Type": "application/sparql-query",
                        "Accept": "application/sparql-results+json",
                    },
                )
                samples.append(time.perf_counter() - started)
                statuses.add(response.status_code)
            out[name] = {
                "bytes": len(query.encode()),
                "statuses": sorted(statuses),
                "median_s": round(statistics.median(samples), 3),
                "max_s": round(max(samples), 3),
                "problem": response.json().get("detail", "")[:160] if response.status_code >= 400 else None,
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passports", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/results/sparql_hostile.json"))
    args = parser.parse_args()
    machine_at_start = machine()
    resolver = sparql.vocabulary_resolver()
    with tempfile.TemporaryDirectory(prefix="sparql-hostile-") as work:
        data = Path(work) / "data"
        (data / "store").mkdir(parents=True)
        sparql.load(data / "store", Path(work) / "raw", args.passports, resolver)
        with serving(data, Path(work) / "baseline", BASE_URL) as (base, _pid):
            timed(base, ORDINARY, 1)  # start the query workers
            ordinary = timed(base, ORDINARY, args.runs)
            hostile = timed(base, HOSTILE, args.runs)
        os.environ["PASSPORT_REGISTRY_SPARQL_MAX_QUERY_BYTES"] = str(2 * 1024 * 1024)
        try:
            with serving(data, Path(work) / "baseline", BASE_URL) as (base, _pid):
                timed(base, ORDINARY, 1)
                big = {k: v for k, v in HOSTILE.items() if k.startswith("1 MiB")}
                raised = timed(base, big, args.runs)
        finally:
            del os.environ["PASSPORT_REGISTRY_SPARQL_MAX_QUERY_BYTES"]
    result: dict[str, Any] = {
        "scenario": 7,
        "name": "Time to refuse or answer deep and huge SPARQL queries, next to ordinary ones",
        "passports_in_store": args.passports,
        "time_limit_s": TIME_LIMIT_S,
        "ordinary": ordinary,
        "hostile_default_limits": hostile,
        "hostile_query_limit_2_mib": raised,
        "run": {
            "size": "default",
            "passports": args.passports,
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "machine": machine_at_start,
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
            "command": "PYTHONPATH=src python bench/sparql_hostile.py " + " ".join(sys.argv[1:]),
        },
    }
    aggregate = ordinary["aggregate"]["median_s"]
    rows = []
    for label, found in (("", hostile), (" (2 MiB query limit)", raised)):
        for name, measured in found.items():
            seconds = measured["median_s"]
            ok = seconds < TIME_LIMIT_S + 1 and all(s < 500 or s == 503 for s in measured["statuses"])
            rows.append(
                row(
                    7,
                    f"SPARQL {name}{label}: s to answer {measured['statuses']}",
                    seconds,
                    aggregate,
                    "the aggregate, same server",
                    seconds / aggregate,
                    "< time limit + 1 s, no 500",
                    ok,
                    f"{args.passports} passports",
                )
            )
    result["summary"] = rows
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "summary"}, indent=2))


if __name__ == "__main__":
    main()
