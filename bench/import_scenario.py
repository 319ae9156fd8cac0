"""Scenario 3: bulk import through the CLI's `import` command vs raw pyoxigraph bulk load of the same quads.

Ours: `passport-registry import FILE.jsonl --owner ORG --data-dir DIR` in its own process (every passport
parsed, validated, partitioned and stored all-or-nothing). The baseline: the quads that import wrote,
dumped to N-Quads (untimed) and bulk-loaded by bench/raw_load.py into a fresh store in its own process.
Both times are wall clock of the whole process (start-up included: about a second for ours, which
compiles the shapes); peak memory is each process's maximum RSS (wait4).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from summary import row

ROOT = Path(__file__).resolve().parents[1]
CLI = "import sys; from passport_registry.cli import app; sys.argv[0] = 'passport-registry'; app()"


def _run(args: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and stdout of a child process; raises if it fails."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode != 0:
        raise RuntimeError(f"{args[:3]} exited {process.returncode}: {stdout[-500:]} {stderr[-2000:]}")
    return elapsed, usage.ru_maxrss, stdout


def bulk_import(
    passports_file: Path, count: int, owner: str, data_dir: Path, work: Path, base_url: str
) -> dict[str, Any]:
    """Import `passports_file` into `data_dir`, then bulk-load the same quads raw; the scenario's result."""
    seconds, peak_kb, out = _run(
        [sys.executable, "-c", CLI, "import", str(passports_file), "--owner", owner,
         "--data-dir", str(data_dir), "--base-url", base_url]
    )  # fmt: skip
    dump = work / "imported.nq"
    seconds_dump, _, _ = _run([sys.executable, "-c", _DUMP, str(data_dir / "store"), str(dump)])
    raw_seconds, raw_peak_kb, raw_out = _run(
        [sys.executable, str(ROOT / "bench" / "raw_load.py"), str(dump), str(work / "raw-store")]
    )
    raw = json.loads(raw_out)
    ours_rate, raw_rate = count / seconds, count / raw_seconds
    ratio = ours_rate / raw_rate
    return {
        "scenario": 3,
        "name": "Bulk import through the CLI (every passport validated)",
        "passports": count,
        "ours": {"seconds": round(seconds, 2), "passports_per_s": round(ours_rate, 1),
                 "peak_rss_mb": round(peak_kb / 1024, 1), "cli_output": out.strip()[-300:]},
        "baseline": {"seconds": round(raw_seconds, 2), "passports_per_s": round(raw_rate, 1),
                     "peak_rss_mb": round(raw_peak_kb / 1024, 1), "quads": raw["quads"],
                     "load_seconds_in_process": raw["seconds"],
                     "dump_seconds_untimed": round(seconds_dump, 2)},
        "summary": [
            row(3, f"import passports/s ({count} passports, JSON lines)", round(ours_rate, 1),
                round(raw_rate, 1), "raw pyoxigraph bulk_load of the same quads", ratio, ">= 0.5x baseline",
                ratio >= 0.5, f"peak RSS {peak_kb / 1024:.0f} MB vs {raw_peak_kb / 1024:.0f} MB"),
        ],
    }  # fmt: skip


_DUMP = (
    "import sys; from pyoxigraph import Store, RdfFormat; "
    "Store.read_only(sys.argv[1]).dump(output=sys.argv[2], format=RdfFormat.N_QUADS)"
)
