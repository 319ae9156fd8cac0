"""SPARQL endpoint speed: three analytic queries over N passports as an anonymous caller, against raw
pyoxigraph on the public data alone and against rdflib-endpoint over the same public data.

    PYTHONPATH=src /work/venv/bin/python bench/sparql.py [--passports 100000] [--quick] [--runs 5]
        [--rdflib-max 10000] [--out bench/results/sparql.json]

The queries: an aggregate (average carbon footprint by chemistry), a join across clusters (category,
chemistry, rated capacity and the operator's country, through the nested operator and address nodes) and
a filter on a numeric range (passports whose carbon footprint lies in a band, with their capacity).

Passports are clones of the example passports (examples/passports/, round robin) with a fresh IRI,
battery identifier and carbon footprint each: each example is partitioned once by the store's own code
(`partition`, `writes.creation_nquads`: content, node index, metadata, guards) and cloned as N-Quads
text, written into the registry's data directory with Oxigraph's bulk loader before the app opens it. The
baseline, in the same run: a raw on-disk pyoxigraph Store holding only the public triples of the same
passports (split by the same partition code) in its default graph, asked the same query with
`Store.query` and serialised to SPARQL JSON, with no HTTP, no access control and no worker process.
Ours: the same query through the app (`GET /sparql` as an anonymous caller, starlette TestClient, the
ASGI app with its lifespan) and, for the aggregate, through the store's worker pool alone.
rdflib-endpoint (PyPI; the `bench` extra) serves an rdflib Graph of the same public triples through its
own FastAPI app, asked through a TestClient like ours. rdflib cannot hold 100k passports in
reasonable time and memory, so it gets at most `--rdflib-max` passports (the first ones); when that is
fewer than `--passports`, our endpoint is timed again over a registry of that many passports, so the
rdflib ratio always compares the same data (the result says how long and how much memory rdflib's load
took, and what 100k would need at that rate). Skipped, and said so, when rdflib-endpoint is not installed.
Each query's `summary` rows go to the suite's table (bench/run.py).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    parse,
    serialize,
)

from passport_registry import rdf, resources
from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.sparql.dataset import DatasetRequest
from passport_registry.store import (
    LIVE_GRAPHS,
    ONTOLOGY_GRAPH,
    PassportFacts,
    QueryRequest,
    partition,
    writes,
)

ROOT = Path(__file__).resolve().parents[1]
BPR = "https://w3id.org/passport-registry/battery#"
PRODUCT_ID = NamedNode(BPR + "productIdentifier")
FOOTPRINT = NamedNode(BPR + "batteryCarbonFootprint")
DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")

QUERY = """PREFIX bpr: <https://w3id.org/passport-registry/battery#>
SELECT ?chemistry (AVG(?footprint) AS ?average) (COUNT(?passport) AS ?passports)
WHERE { ?passport bpr:batteryChemistry ?chemistry ; bpr:batteryCarbonFootprint ?footprint . }
GROUP BY ?chemistry ORDER BY ?chemistry"""

JOIN = """PREFIX bpr: <https://w3id.org/passport-registry/battery#>
SELECT ?category ?chemistry ?country (COUNT(?passport) AS ?passports) (AVG(?capacity) AS ?capacity)
WHERE {
  ?passport bpr:batteryCategory ?category ; bpr:batteryChemistry ?chemistry ;
            bpr:ratedCapacity ?capacity ;
            bpr:operatorInformation/bpr:postalAddress/bpr:addressCountry ?country .
}
GROUP BY ?category ?chemistry ?country ORDER BY ?category ?chemistry ?country"""

RANGE = """PREFIX bpr: <https://w3id.org/passport-registry/battery#>
SELECT ?passport ?footprint ?capacity
WHERE {
  ?passport bpr:batteryCarbonFootprint ?footprint ; bpr:ratedCapacity ?capacity .
  FILTER(?footprint >= 0.030 && ?footprint < 0.032)
}
ORDER BY ?passport"""

QUERIES = {"aggregate": QUERY, "join across clusters": JOIN, "numeric range filter": RANGE}


PLACEHOLDER_ID = "BENCH-ID-PLACEHOLDER"
PLACEHOLDER_CF = "0.0999"


@dataclass(frozen=True)
class Template:
    """One example passport, partitioned once; clones are made by replacing its IRI and two values."""

    iri: bytes
    full: bytes  # every quad the store's bulk path writes for it (content, index, metadata, guards)
    public: bytes  # its public triples, N-Triples, for the raw baseline


def vocabulary_resolver() -> GroupResolver:
    """The access groups of the bundled ontology and vocabularies, as the registry reads them."""
    return GroupResolver.from_triples(
        q.triple
        for document in (resources.ontology_bytes(), resources.vocabularies_bytes())
        for q in parse(document, format=RdfFormat.TURTLE)
    )


def templates(resolver: GroupResolver) -> list[Template]:
    out = []
    now = datetime.now(UTC)
    for k, path in enumerate(sorted((ROOT / "examples" / "passports").glob("*.json"))):
        triples = []
        for q in rdf.parse(path.read_bytes(), "application/ld+json"):
            t = q.triple
            if t.predicate == PRODUCT_ID:
                t = Triple(t.subject, t.predicate, Literal(PLACEHOLDER_ID))
            elif t.predicate == FOOTPRINT:
                t = Triple(t.subject, t.predicate, Literal(PLACEHOLDER_CF, datatype=DECIMAL))
            triples.append(t)
        iri = NamedNode(f"https://registry.example/passports/template{k}")
        parts = partition(iri, triples, resolver)
        public = serialize(parts.triples[AccessGroup.PUBLIC], format=RdfFormat.N_TRIPLES) or b""
        full = writes.creation_nquads(parts, "bench", PassportFacts(), now)
        out.append(Template(iri.value.encode(), full, public))
    return out


def clone(text: bytes, template: Template, n: int) -> bytes:
    """`text` of `template` as passport n: its own IRI, battery identifier and carbon footprint."""
    footprint = f"0.0{20 + n % 50}".encode()
    return (
        text.replace(template.iri, f"https://registry.example/passports/bench-{n}".encode())
        .replace(PLACEHOLDER_ID.encode(), f"BENCH-{n:08d}".encode())
        .replace(f'"{PLACEHOLDER_CF}"'.encode(), b'"' + footprint + b'"')
    )


def load(store_dir: Path, raw_dir: Path, count: int, resolver: GroupResolver) -> float:
    """Write `count` clones into the registry's store directory (the same quads its bulk path writes,
    made by the same partition code) and their public triples into a raw store; seconds taken."""
    start = time.perf_counter()
    shapes = templates(resolver)
    store, raw = Store(str(store_dir)), Store(str(raw_dir))
    for first in range(0, count, 5000):
        ns = range(first, min(first + 5000, count))
        store.bulk_load(b"".join(clone(shapes[n % 6].full, shapes[n % 6], n) for n in ns), RdfFormat.N_QUADS)
        raw.bulk_load(
            b"".join(clone(shapes[n % 6].public, shapes[n % 6], n) for n in ns), RdfFormat.N_TRIPLES
        )
    # Both stores compacted, so neither query pays for bulk-load leftovers and no background
    # compaction competes with the timed queries.
    store.optimize()
    raw.optimize()
    del store, raw
    return time.perf_counter() - start


def timed_runs(call: Callable[[], bytes], runs: int) -> tuple[list[float], bytes]:
    result = call()  # warm-up (starts the worker, fills caches)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - start)
    return samples, result


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "median_s": round(statistics.median(samples), 4),
        "min_s": round(min(samples), 4),
        "max_s": round(max(samples), 4),
    }


def rdflib_baseline(count: int, resolver: GroupResolver, runs: int) -> dict[str, Any]:
    """rdflib-endpoint over an rdflib Graph of the public triples of the first `count` clones: each
    query's seconds (median of `runs` after a warm-up) and result rows; `absent` when not installed."""
    try:
        import rdflib
        from rdflib_endpoint import SparqlEndpoint
    except ImportError:
        return {"absent": "rdflib-endpoint is not installed (pip install -e '.[bench]')"}
    shapes = templates(resolver)
    graph = rdflib.Graph()
    rss_before = _rss_mb()
    start = time.perf_counter()
    for first in range(0, count, 5000):
        ns = range(first, min(first + 5000, count))
        data = b"".join(clone(shapes[n % 6].public, shapes[n % 6], n) for n in ns)
        graph.parse(data=data, format="nt")
    load_s = time.perf_counter() - start
    grown_mb = _rss_mb() - rss_before
    out: dict[str, Any] = {
        "passports": count,
        "triples": len(graph),
        "load_s": load_s,
        "rss_growth_mb": round(grown_mb),
        # What 100,000 passports would take at the same rate (rdflib's memory grows with its triples).
        "why_smaller": f"loading {count} took {load_s:.0f} s and +{grown_mb:.0f} MB RSS, "
        f"so 100,000 would take ~{load_s * 100_000 / count / 60:.0f} min and "
        f"~{grown_mb * 100_000 / count / 1024:.0f} GB",
    }
    app = SparqlEndpoint(graph=graph, path="/", public_url="http://testserver/")
    with TestClient(app) as client:
        for name, query in QUERIES.items():

            def ask(query: str = query) -> bytes:
                response = client.get(
                    "/", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
                )
                assert response.status_code == 200, response.text[:300]
                return response.content

            samples, body = timed_runs(ask, runs)
            out[name] = {**summary(samples), "rows": len(json.loads(body)["results"]["bindings"])}
    out["load_s"] = round(out["load_s"], 1)
    return out


def _rss_mb() -> float:
    """This process's resident memory now, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def summary_rows(count: int, results: dict[str, Any]) -> list[dict[str, Any]]:
    """The suite's summary rows: per query, ours against raw pyoxigraph and against rdflib-endpoint."""
    rows = []
    rdflib_results = results["rdflib_endpoint"]
    for name in QUERIES:
        ours = results["queries"][name]["registry_endpoint_anonymous"]["median_s"]
        raw = results["queries"][name]["raw_pyoxigraph_public_only"]["median_s"]
        over_raw = ours / raw
        rows.append(_row(f"SPARQL {name} s ({count} passports)", ours, raw,
                         "raw pyoxigraph, public data only", over_raw, "<= 1.3x baseline time",
                         over_raw <= 1.3, "endpoint time / raw time"))  # fmt: skip
        if "absent" in rdflib_results:
            rows.append(_row(f"SPARQL {name} s vs rdflib", ours, None, "rdflib-endpoint", None,
                             ">= 10x faster", None, rdflib_results["absent"]))  # fmt: skip
            continue
        at = rdflib_results["passports"]
        same_size = results.get("queries_at_rdflib_size") or results["queries"]
        ours_there = same_size[name]["registry_endpoint_anonymous"]["median_s"]
        theirs = rdflib_results[name]["median_s"]
        speedup = theirs / ours_there
        note = "rdflib time / ours, same data" + (
            f"; both at {at} passports (rdflib not given {count}: {rdflib_results['why_smaller']})"
            if at < count
            else ""
        )
        rows.append(_row(f"SPARQL {name} s vs rdflib ({at} passports)", ours_there, theirs,
                         f"rdflib-endpoint ({at} passports)", speedup, ">= 10x faster", speedup >= 10,
                         note))  # fmt: skip
    return rows


def _row(measure: str, ours: float, baseline: float | None, name: str, ratio: float | None, target: str,
         met: bool | None, note: str) -> dict[str, Any]:  # fmt: skip
    return {"scenario": 4, "measure": measure, "ours": ours, "baseline": baseline, "baseline_name": name,
            "ratio": None if ratio is None else round(ratio, 2), "target": target, "met": met,
            "note": note}  # fmt: skip


def measure(work: Path, count: int, runs: int, resolver: GroupResolver, *, worker: bool) -> dict[str, Any]:
    """Load `count` passports into a registry data directory and a raw store under `work`, then time
    each query on both (raw and endpoint runs interleaved); per query: rows, same result, medians."""
    settings = Settings(
        dev=True, data_dir=work / "registry", base_url="https://registry.example", sparql_timeout_s=600
    )
    (work / "registry" / "store").mkdir(parents=True)
    load_s = load(work / "registry" / "store", work / "raw", count, resolver)
    gc.collect()
    raw = Store.read_only(str(work / "raw"))
    per_query: dict[str, Any] = {"passports": count, "load_s": round(load_s, 1)}
    with TestClient(create_app(settings)) as client:
        registry = client.app.state.registry  # type: ignore[attr-defined]
        assert registry.store.record(NamedNode(f"https://registry.example/passports/bench-{count - 1}"))
        for name, query in QUERIES.items():

            def raw_query(query: str = query) -> bytes:
                solutions = raw.query(query)
                assert isinstance(solutions, QuerySolutions)
                return solutions.serialize(format=QueryResultsFormat.JSON) or b""

            request = QueryRequest(
                query,
                DatasetRequest(  # what an anonymous caller's dataset is
                    (LIVE_GRAPHS[AccessGroup.PUBLIC].value,),
                    (LIVE_GRAPHS[AccessGroup.PUBLIC].value, ONTOLOGY_GRAPH.value),
                ),
                "application/sparql-results+json",
                None,
                settings.sparql_max_results,
            )

            def worker_query(request: QueryRequest = request) -> bytes:
                return bytes(registry.store.query(request, 600).body)

            def endpoint_query(query: str = query) -> bytes:
                response = client.get(
                    "/sparql",
                    params={"query": query},
                    headers={"Accept": "application/sparql-results+json"},
                )
                assert response.status_code == 200, response.text
                return response.content

            # Interleave raw and endpoint runs so load on the machine hits each alike.
            raw_s, raw_body = timed_runs(raw_query, runs)
            endpoint_s, endpoint_body = timed_runs(endpoint_query, runs)
            raw_s2, _ = timed_runs(raw_query, runs)
            endpoint_s2, _ = timed_runs(endpoint_query, runs)
            entry = {
                "query": query,
                "rows": len(json.loads(raw_body)["results"]["bindings"]),
                "same_result": json.loads(raw_body)["results"] == json.loads(endpoint_body)["results"],
                "raw_pyoxigraph_public_only": summary(raw_s + raw_s2),
                "registry_endpoint_anonymous": summary(endpoint_s + endpoint_s2),
            }
            if worker and name == "aggregate":
                worker_s, _ = timed_runs(worker_query, runs)
                entry["registry_worker_pool"] = summary(worker_s)
            per_query[name] = entry
    return per_query


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passports", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 passports, 3 runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rdflib-max", type=int, default=10_000, help="passports rdflib-endpoint gets")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "sparql.json")
    args = parser.parse_args()
    count, runs = (2_000, 3) if args.quick else (args.passports, args.runs)
    rdflib_count = min(count, args.rdflib_max)
    resolver = GroupResolver.from_triples(parse(resources.ontology_bytes(), format=RdfFormat.TURTLE))

    with tempfile.TemporaryDirectory() as tmp:
        per_query = measure(Path(tmp) / "full", count, runs, resolver, worker=True)
        queries = {name: per_query[name] for name in QUERIES}
        at_rdflib_size = None
        if rdflib_count < count:
            # rdflib gets fewer passports; compare it with our endpoint over the same smaller set.
            shutil.rmtree(Path(tmp) / "full")
            gc.collect()
            at_rdflib_size = measure(Path(tmp) / "small", rdflib_count, runs, resolver, worker=False)
        gc.collect()
        rdflib_results = rdflib_baseline(rdflib_count, resolver, max(1, min(runs, 3)))
    results: dict[str, Any] = {
        "scenario": 4,
        "name": "SPARQL analytic queries as an anonymous caller",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
        "passports": count,
        "load_s": per_query["load_s"],
        "runs": 2 * runs,
        "queries": queries,
        "queries_at_rdflib_size": at_rdflib_size,
        "rdflib_endpoint": rdflib_results,
    }
    results["summary"] = summary_rows(count, results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results["summary"], indent=2))


if __name__ == "__main__":
    main()
