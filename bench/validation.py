"""Per-passport SHACL validation and parse times: every installed engine against pySHACL, one invocation.

    PYTHONPATH=src /work/venv/bin/python bench/validation.py [--runs 200] [--oracle-runs 30]

Validates every example in examples/passports with each engine (the registry's own `Validator`, so the
figures include skolemising and report building), checks each engine's verdict against pySHACL, times
parsing the same passports with pyoxigraph (the registry's `parse`), pyld and rdflib, then writes
bench/results/validation.json and prints a table.
"""

from __future__ import annotations

import argparse
import functools
import json
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph

from passport_registry.rdf import EXTENSIONS, media_type_for_path, parse
from passport_registry.rdf.jsonld import inline_contexts
from passport_registry.resources import CONTEXT_URL
from passport_registry.validation import DEFAULT_ENGINE, Validator
from passport_registry.validation.engines import ENGINES

ROOT = Path(__file__).resolve().parent.parent


def timed(function: Callable[[], object], runs: int, warmup: int = 3) -> list[float]:
    """Wall-clock milliseconds of `runs` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 4),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 4),
        "runs": len(ordered),
    }


def bench_validation(
    examples: dict[str, list[pyoxigraph.Quad]], runs: int, oracle_runs: int
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    verdicts: dict[str, dict[str, Any]] = {}
    for name in ENGINES:
        try:
            start = time.perf_counter()
            validator = Validator.from_resources(engine=name)
            build_ms = (time.perf_counter() - start) * 1000
        except Exception as exc:  # an engine that cannot load the shapes is reported, not fatal
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}
            continue
        n = oracle_runs if name == "pyshacl" else runs
        pooled: list[float] = []
        per_example = {}
        verdicts[name] = {}
        for example, quads in examples.items():
            report = validator.validate(quads)
            verdicts[name][example] = {
                "conforms": report.conforms,
                "keys": sorted(map(str, {v.key for v in report.violations})),
            }
            samples = timed(functools.partial(validator.validate, quads), n)
            pooled += samples
            per_example[example] = summary(samples)
        results[name] = {"build_ms": round(build_ms, 1), **summary(pooled), "per_example": per_example}
    oracle = verdicts.get("pyshacl", {})
    for name, verdict in verdicts.items():
        results[name]["agrees_with_pyshacl"] = verdict == oracle if oracle else None
        results[name]["disagreements"] = sorted(e for e in verdict if oracle and verdict[e] != oracle.get(e))
    return results


def bench_parse(files: list[Path], runs: int) -> dict[str, Any]:
    from passport_registry.rdf import bundled_context

    context = dict(bundled_context().context)
    pooled: dict[str, list[float]] = {}
    for path in files:
        if media_type_for_path(path) in ("application/ld+json", "application/json"):
            for name, samples in _parse_samples(path, context, runs).items():
                pooled.setdefault(name, []).extend(samples)
    return {name: summary(samples) for name, samples in pooled.items()}


def _parse_samples(path: Path, context: dict[str, Any], runs: int) -> dict[str, list[float]]:
    """One JSON-LD passport parsed to quads three ways; pyld and rdflib get our context without fetching."""
    import rdflib
    from pyld import jsonld

    media_type = media_type_for_path(path)
    body = path.read_bytes()
    base = f"http://bench.test/{path.stem}"
    document = json.loads(body)
    text = json.dumps(inline_contexts(document, context, implied=media_type == "application/json"))

    def loader(url: str, options: object = None) -> dict[str, Any]:
        if url != CONTEXT_URL:
            raise ValueError(f"refusing to fetch {url}")
        return {"contextUrl": None, "documentUrl": url, "document": {"@context": context}}

    def registry() -> object:
        return parse(body, media_type, base)

    def pyld() -> object:
        return jsonld.to_rdf(
            document, {"base": base, "format": "application/n-quads", "documentLoader": loader}
        )

    def rdflib_jsonld() -> object:
        return rdflib.Dataset().parse(data=text, format="json-ld", publicID=base)

    slow_runs = max(5, runs // 10)
    return {
        "pyoxigraph (registry parse)": timed(registry, runs),
        "pyld to_rdf": timed(pyld, slow_runs),
        "rdflib json-ld": timed(rdflib_jsonld, slow_runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=200, help="timed runs per passport for compiled engines")
    parser.add_argument("--oracle-runs", type=int, default=30, help="timed runs per passport for pySHACL")
    parser.add_argument("--examples", type=Path, default=ROOT / "examples" / "passports")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "validation.json")
    args = parser.parse_args()

    files = sorted(p for p in args.examples.iterdir() if p.suffix.lower() in EXTENSIONS)
    examples = {
        p.name: parse(p.read_bytes(), media_type_for_path(p), f"http://bench.test/{p.stem}") for p in files
    }
    triples = {name: len(quads) for name, quads in examples.items()}
    validation = bench_validation(examples, args.runs, args.oracle_runs)
    parsing = bench_parse(files, args.runs)
    result = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
        "default_engine": DEFAULT_ENGINE,
        "examples": triples,
        "validation": validation,
        "parse": parsing,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")

    print(f"{len(examples)} passports, {min(triples.values())}-{max(triples.values())} triples each")
    print(f"{'validation engine':<28}{'median ms':>11}{'p95 ms':>9}{'build ms':>10}  agrees with pySHACL")
    for name, row in sorted(validation.items(), key=lambda kv: kv[1].get("median_ms", 1e9)):
        if "error" in row:
            print(f"{name:<28}{'error':>11}  {row['error'][:60]}")
            continue
        mark = " (default)" if name == DEFAULT_ENGINE else ""
        agrees = {True: "yes", False: f"NO: {', '.join(row['disagreements'])}", None: "-"}[
            row["agrees_with_pyshacl"]
        ]
        figures = f"{row['median_ms']:>11.3f}{row['p95_ms']:>9.3f}{row['build_ms']:>10.1f}"
        print(f"{name + mark:<28}{figures}  {agrees}")
    print(f"{'parse (JSON-LD)':<28}{'median ms':>11}{'p95 ms':>9}")
    for name, row in parsing.items():
        print(f"{name:<28}{row['median_ms']:>11.3f}{row['p95_ms']:>9.3f}")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


def _cpus() -> int | None:
    import os

    return os.cpu_count()


if __name__ == "__main__":
    main()
