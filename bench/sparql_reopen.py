"""What it costs a query worker to see recent writes, by way of reading the store: the options measured.

    PYTHONPATH=src python bench/sparql_reopen.py [--passports 2000] [--writes 300] [--every 25]
        [--probe-every 5] [--modes live flush checkpoint] [--out bench/results/sparql_reopen.json]

A store gets `--passports` passports (bulk-loaded, flushed and compacted), then `--writes` passports
created one at a time by the registry's own `EmbeddedPassportStore.create`. After every
`--probe-every` writes a separate process (as a query worker is) opens a read-only view and asks
`ASK { ?s ?p ?o }`; the open time is recorded, and any error (a read-only open of a directory that
is being written can find a file the writer's compaction just deleted). Modes, each on a fresh copy:
- `live`: `Store.read_only` on the live directory, nothing else (what workers did before: the open
  replays the write-ahead log, which grows with every write);
- `flush`: the writer calls `Store.flush()` after every `--every` writes, the reader opens the live
  directory (Oxigraph documents this as undefined behaviour while another process writes);
- `checkpoint`: the writer takes a checkpoint (`Store.backup` into a new directory: a flush, then
  hard links) after every `--every` writes and the reader opens the newest checkpoint (what
  store/snapshots.py does, on a timer rather than a write count).
Also recorded: the write time, and the flush / checkpoint time, per write.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import generate
from pyoxigraph import NamedNode, Store
from run import machine

import sparql
from passport_registry import rdf
from passport_registry.access import GroupResolver
from passport_registry.store import EmbeddedPassportStore

READER = r"""
import sys, time, pyoxigraph
for line in sys.stdin:
    started = time.perf_counter()
    try:
        store = pyoxigraph.Store.read_only(line.strip())
        opened = time.perf_counter()
        store.query("ASK { ?s ?p ?o }")
        print(f"{(opened - started) * 1000:.1f}", flush=True)
        del store
    except Exception as exc:
        print("error " + type(exc).__name__ + ": " + str(exc).replace(chr(10), " ")[:200], flush=True)
"""


def run_mode(
    mode: str, template: Path, work: Path, args: argparse.Namespace, resolver: GroupResolver
) -> dict[str, Any]:
    directory = work / mode / "store"
    shutil.copytree(template, directory)
    snapshots = work / mode / "snapshots"
    snapshots.mkdir()
    store = EmbeddedPassportStore(resolver, directory)
    db = store._db  # the bench measures the store's own files, so it reaches under the interface
    reader = subprocess.Popen(
        [sys.executable, "-c", READER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert reader.stdin is not None and reader.stdout is not None
    target = directory
    probes: list[dict[str, Any]] = []
    write_s: list[float] = []
    extra_s: list[float] = []
    documents = generate.passports(args.writes, seed=5)
    try:
        for n, document in enumerate(documents, start=1):
            triples = [q.triple for q in rdf.parse(json.dumps(document).encode(), "application/json")]
            started = time.perf_counter()
            store.create(NamedNode(f"https://registry.example/passports/w{n}"), "bench", triples)
            write_s.append(time.perf_counter() - started)
            if mode != "live" and n % args.every == 0:
                started = time.perf_counter()
                if mode == "flush":
                    db.flush()
                else:
                    target = snapshots / f"{n:08d}"
                    db.backup(str(target))
                extra_s.append(time.perf_counter() - started)
            if n % args.probe_every == 0:
                reader.stdin.write(f"{target}\n")
                reader.stdin.flush()
                answer = reader.stdout.readline().strip()
                wal = sum(e.stat().st_size for e in os.scandir(directory) if e.name.endswith(".log"))
                probe: dict[str, Any] = {"writes": n, "wal_mb": round(wal / 1e6, 1)}
                if answer.startswith("error"):
                    probe["error"] = answer[6:]
                else:
                    probe["open_ms"] = float(answer)
                probes.append(probe)
    finally:
        reader.stdin.close()
        reader.wait()
        store.close()
    opens = [p["open_ms"] for p in probes if "open_ms" in p]
    return {
        "probes": probes,
        "open_ms_median": round(statistics.median(opens), 1) if opens else None,
        "open_ms_max": max(opens) if opens else None,
        "errors": sum("error" in p for p in probes),
        "write_ms_median": round(statistics.median(write_s) * 1000, 2),
        "flush_or_checkpoint_ms_median": round(statistics.median(extra_s) * 1000, 1) if extra_s else None,
        "flush_or_checkpoint_ms_per_write": round(sum(extra_s) * 1000 / len(write_s), 2) if extra_s else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passports", type=int, default=2000)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--probe-every", type=int, default=5)
    parser.add_argument("--modes", nargs="+", default=["live", "flush", "checkpoint"])
    parser.add_argument("--out", type=Path, default=Path("bench/results/sparql_reopen.json"))
    args = parser.parse_args()
    machine_at_start = machine()
    resolver = sparql.vocabulary_resolver()
    modes: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="sparql-reopen-") as scratch:
        work = Path(scratch)
        template = work / "template"
        template.mkdir()
        sparql.load(template, work / "raw", args.passports, resolver)
        Store(str(template)).flush()
        for mode in args.modes:
            modes[mode] = run_mode(mode, template, work, args, resolver)
            print(mode, json.dumps({k: v for k, v in modes[mode].items() if k != "probes"}), flush=True)
    result = {
        "name": "What a read-only view of the store costs after recent writes, by option",
        "passports_in_store": args.passports,
        "writes": args.writes,
        "every": args.every,
        "modes": modes,
        "run": {
            "size": "default",
            "passports": args.passports,
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "machine": machine_at_start,
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
            "command": "PYTHONPATH=src python bench/sparql_reopen.py " + " ".join(sys.argv[1:]),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
