"""The benchmark suite: every scenario against its baseline in one invocation, results to files and a table.

    PYTHONPATH=src /work/venv/bin/python bench/run.py [--smoke | --quick | --full] [--only N ...]
        [--passports N] [--results DIR] [--no-readme]

Sizes: `--smoke` (20 passports, 1-second loads: seconds, to try a change to the bench itself), `--quick`
(the default: 2,000 passports, 10-second loads, 2-3 minutes; what the CI test tests/test_bench_smoke.py
runs), `--full` (100,000 passports, 30-second loads: the record).
Scenarios (see bench/README.md): 1 GET under load, 2 create through the API, 3 bulk import through the
CLI, 4 SPARQL (bench/sparql.py), 5 server memory. Scenarios 1, 2 and 5 run against the data directory
scenario 3 filled (it runs first whenever one of them is chosen). Each writes
`<results>/<scenario>.json` with a `run` block (size, machine, date, command) and `summary` rows;
unless `--no-readme`, the summary table in bench/README.md is regenerated from the results directory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import generate
import http_scenarios
import import_scenario
import remote
import summary

ROOT = Path(__file__).resolve().parents[1]
BASE_URL = "https://registry.bench.example"
OWNER = "DE2847193650"
FILES = {1: "get_under_load", 2: "create", 3: "bulk_import", 4: "sparql", 5: "server_memory", 6: "remote"}
#: Run unless `--only` says otherwise (6, the remote store, needs `oxigraph serve` and is asked for).
DEFAULT = {1, 2, 3, 4, 5}


@dataclass(frozen=True)
class Size:
    name: str
    passports: int
    load_seconds: float
    creates: int
    baseline_creates: int
    sparql_passports: int
    connections: int = 32
    use_wrk: bool = True


SIZES = {
    "smoke": Size("smoke", 20, 1.0, 6, 2, 20, use_wrk=False),
    "quick": Size("quick", 2000, 10.0, 200, 20, 2000),
    "full": Size("full", 100_000, 30.0, 1000, 50, 100_000),
}


def machine() -> dict[str, Any]:
    """The facts a reader needs to weigh the figures."""
    cpu = "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    versions = {}
    for package in (
        "pyoxigraph",
        "shacl",
        "fastapi",
        "uvicorn",
        "pyshacl",
        "PyLD",
        "rdflib",
        "rdflib-endpoint",
    ):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "wrk": "present" if shutil.which("wrk") else "absent",
        **versions,
    }


def write(results: Path, scenario: int, data: dict[str, Any], run: dict[str, Any]) -> None:
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"{FILES[scenario]}.json"
    path.write_text(json.dumps({**data, "run": run}, indent=2) + "\n", encoding="utf-8")
    for r in data.get("summary", []):
        print(f"  [{scenario}] {r['measure']}: ours {r['ours']} | baseline {r['baseline']} | "
              f"ratio {r['ratio']} | target {r['target']} | met {r['met']}", flush=True)  # fmt: skip


def passport_id(data_dir: Path, identifier: str) -> str:
    """The registry id of the live passport with `identifier` (store opened and closed here)."""
    sys.path.insert(0, str(ROOT / "src"))
    from passport_registry.config import Settings
    from passport_registry.services.passports import PassportService
    from passport_registry.services.registry import Registry

    registry = Registry.open(Settings(dev=True, data_dir=data_dir, base_url=BASE_URL))
    try:
        service = PassportService(registry, BASE_URL)
        return service.id_of(service.resolve(identifier))
    finally:
        registry.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    chosen = parser.add_mutually_exclusive_group()
    for name in SIZES:
        chosen.add_argument(f"--{name}", dest="size", action="store_const", const=name)
    parser.add_argument(
        "--only", type=int, nargs="+", choices=sorted(FILES), help="scenarios to run (default 1-5)"
    )
    parser.add_argument("--passports", type=int, help="override the size's passport count")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--no-readme", action="store_true", help="leave bench/README.md alone")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    size = SIZES[args.size or "quick"]
    if args.passports:
        size = Size(**{**asdict(size), "passports": args.passports, "sparql_passports": args.passports})
    only = set(args.only or DEFAULT)
    run = {
        "size": size.name,
        "passports": size.passports,
        "seed": args.seed,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "PYTHONPATH=src python bench/run.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
    }
    print(f"bench: {size} scenarios {sorted(only)}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        if only & {1, 2, 3, 5, 6}:
            data_dir = work / "data"
            passports_file = generate.write_jsonl(work / "passports.jsonl", size.passports, args.seed)
            imported = import_scenario.bulk_import(
                passports_file, size.passports, OWNER, data_dir, work, BASE_URL
            )
            if 3 in only:
                write(args.results, 3, imported, run)
            http_scenarios.create_accounts(data_dir, http_scenarios.organisations())
            first = next(generate.passports(1, args.seed))["batteryPassportIdentifier"]
            target = passport_id(data_dir, first)
            if only & {1, 2, 5}:
                embedded_scenarios(size, only, args, data_dir, work, target, run)
            if 6 in only:
                write(args.results, 6, remote.run(data_dir, work, target, size, BASE_URL, args.seed), run)
        if 4 in only:
            sparql(size, args.results, run)
    if not args.no_readme:
        summary.update_readme(ROOT / "bench" / "README.md", args.results)


def embedded_scenarios(
    size: Size,
    only: set[int],
    args: argparse.Namespace,
    data_dir: Path,
    work: Path,
    target: str,
    run: dict[str, Any],
) -> None:
    """Scenarios 1, 2 and 5: bench/server.py over the data directory scenario 3 filled."""
    with http_scenarios.serving(data_dir, work / "baseline-store", BASE_URL) as (base, pid):
        if only & {1, 5}:
            get, memory = http_scenarios.get_under_load(
                base, pid, target, size.passports, size.connections, size.load_seconds, size.use_wrk
            )
            if 1 in only:
                write(args.results, 1, get, run)
            if 5 in only:
                write(args.results, 5, memory, run)
        if 2 in only:
            created = http_scenarios.creates(base, size.creates, size.baseline_creates, seed=args.seed + 1000)
            write(args.results, 2, created, run)


def sparql(size: Size, results: Path, run: dict[str, Any]) -> None:
    """Scenario 4: bench/sparql.py at the size's passport count; its result file gets the run block."""
    out = results / f"{FILES[4]}.json"
    results.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, str(ROOT / "bench" / "sparql.py"), "--passports", str(size.sparql_passports),
               "--out", str(out)]  # fmt: skip
    if size.name == "smoke":
        command += ["--runs", "1"]
    subprocess.run(command, env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, check=True)
    data = json.loads(out.read_text(encoding="utf-8"))
    write(results, 4, data, run)


if __name__ == "__main__":
    main()
