"""The benchmark suite at its quick size (what `bench/run.py` runs by default, 2,000 passports): every
scenario runs end to end and writes the expected fields.

No timing is asserted: speed is what bench/run.py reports, not what tests check.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from test_bench_generate import bench_module

ROOT = Path(__file__).resolve().parents[1]
ROW_KEYS = {"scenario", "measure", "ours", "baseline", "baseline_name", "ratio", "target", "met", "note"}


def test_quick_run_writes_every_scenario_with_its_summary(tmp_path: Path) -> None:
    results = tmp_path / "results"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--results", str(results), "--no-readme"],
        check=True, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, timeout=1200,
    )  # fmt: skip
    files = {p.stem: json.loads(p.read_text()) for p in results.glob("*.json")}
    assert set(files) == {"get_under_load", "create", "bulk_import", "sparql", "server_memory"}
    for name, data in files.items():
        assert data["run"]["size"] == "quick", name
        assert {"cpus", "cpu", "python", "pyoxigraph"} <= set(data["run"]["machine"]), name
        assert data["summary"], name
        for r in data["summary"]:
            assert set(r) == ROW_KEYS, (name, r)
            assert isinstance(r["ours"], (int, float)), (name, r)
    get = files["get_under_load"]
    # wrk (when installed) or bench/load.py made the load; either reports a rate and no errors
    assert get["ours"]["errors"] == 0 and get["ours"]["requests_per_s"] > 0
    assert get["baseline"]["requests_per_s"] > 0
    assert get["ours"]["server"]["count"] > 0
    assert files["bulk_import"]["passports"] == 2000
    assert files["bulk_import"]["baseline"]["quads"] > 0
    assert "Imported 2000 passport(s)" in files["bulk_import"]["ours"]["cli_output"]
    assert files["create"]["ours"]["requests"] == 200
    assert files["server_memory"]["peak_rss_mb"] > 0
    sparql = files["sparql"]
    assert set(sparql["queries"]) == {"aggregate", "join across clusters", "numeric range filter"}
    for name, query in sparql["queries"].items():
        assert query["same_result"] and query["rows"] > 0, name
    rdflib = sparql["rdflib_endpoint"]
    assert "absent" in rdflib or all(rdflib[name]["rows"] > 0 for name in sparql["queries"])


def test_summary_table_replaces_only_its_section(tmp_path: Path) -> None:
    summary = bench_module("summary")
    results = tmp_path / "results"
    results.mkdir()
    run = {"size": "smoke", "date": "2026-11-26T01:00:00+00:00", "command": "python bench/run.py --smoke",
           "machine": {"cpus": 2}}  # fmt: skip
    rows = [summary.row(3, "import passports/s", 10.0, 40.0, "raw", 0.25, ">= 0.5x", False)]
    (results / "bulk_import.json").write_text(json.dumps({"summary": rows, "run": run}))
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nintro\n")
    summary.update_readme(readme, results)
    summary.update_readme(readme, results)
    text = readme.read_text()
    assert text.startswith("# Benchmarks\n\nintro\n")
    assert text.count(summary.START) == 1
    assert "| 3 | import passports/s | 10.00 | 40.00 | raw | 0.25 | >= 0.5x | **no** |" in text
    assert "Command: `python bench/run.py --smoke`" in text
