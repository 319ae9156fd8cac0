"""SPARQL endpoint speed: the anonymous aggregate over N passports, ours against raw pyoxigraph.

    PYTHONPATH=src /work/venv/bin/python bench/sparql.py [--passports 100000] [--quick] [--runs 5]
        [--out bench/results/sparql.json]

Passports are clones of the example passports (examples/passports/, round robin) with a fresh IRI,
battery identifier and carbon footprint each, bulk-loaded into the registry's on-disk store. The
baseline, in the same run: a raw on-disk pyoxigraph Store holding only the public triples of the same
passports (split by the same partition code) in its default graph, asked the same query with
`Store.query` and serialised to SPARQL JSON, with no HTTP, no access control and no worker process.
Ours: the same query through the app (`GET /sparql` as an anonymous caller, starlette TestClient, the
ASGI app with its lifespan) and through the store's worker pool alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    serialize,
)

from passport_registry import rdf
from passport_registry.access import AccessGroup
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.store import (
    LIVE_GRAPHS,
    ONTOLOGY_GRAPH,
    NewPassport,
    PassportFacts,
    QueryRequest,
    partition,
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


def templates() -> list[list[Triple]]:
    return [
        [q.triple for q in rdf.parse(p.read_bytes(), "application/ld+json")]
        for p in sorted((ROOT / "examples" / "passports").glob("*.json"))
    ]


def clone(template: list[Triple], n: int) -> list[Triple]:
    """The template with a fresh battery identifier and carbon footprint (0.020-0.069 kg/kWh)."""
    out = []
    for t in template:
        if t.predicate == PRODUCT_ID:
            t = Triple(t.subject, t.predicate, Literal(f"BENCH-{n:08d}"))
        elif t.predicate == FOOTPRINT:
            t = Triple(t.subject, t.predicate, Literal(f"0.0{20 + n % 50}", datatype=DECIMAL))
        out.append(t)
    return out


def passports(count: int) -> Iterator[tuple[NamedNode, list[Triple]]]:
    shapes = templates()
    for n in range(count):
        yield NamedNode(f"https://registry.example/passports/bench-{n}"), clone(shapes[n % len(shapes)], n)


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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passports", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="2,000 passports, 3 runs")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "sparql.json")
    args = parser.parse_args()
    count, runs = (2_000, 3) if args.quick else (args.passports, args.runs)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(dev=True, data_dir=Path(tmp) / "registry", sparql_timeout_s=600)
        raw = Store(str(Path(tmp) / "raw"))
        with TestClient(create_app(settings)) as client:
            registry = client.app.state.registry  # type: ignore[attr-defined]
            start = time.perf_counter()
            public: list[bytes] = []
            batch: list[NewPassport] = []
            for iri, triples in passports(count):
                batch.append(NewPassport(iri, "bench", triples, PassportFacts(battery_id=iri.value)))
                parts = partition(iri, triples, registry.resolver)
                public.append(serialize(parts.triples[AccessGroup.PUBLIC], format=RdfFormat.N_TRIPLES) or b"")
                if len(batch) == 2000:
                    registry.store.bulk_load(batch)
                    raw.bulk_load(b"".join(public), RdfFormat.N_TRIPLES)
                    batch, public = [], []
            if batch:
                registry.store.bulk_load(batch)
                raw.bulk_load(b"".join(public), RdfFormat.N_TRIPLES)
            load_s = time.perf_counter() - start
            raw.optimize()

            def raw_query() -> bytes:
                solutions = raw.query(QUERY)
                assert isinstance(solutions, QuerySolutions)
                return solutions.serialize(format=QueryResultsFormat.JSON) or b""

            request = QueryRequest(
                QUERY,
                (LIVE_GRAPHS[AccessGroup.PUBLIC].value, ONTOLOGY_GRAPH.value),
                (LIVE_GRAPHS[AccessGroup.PUBLIC].value, ONTOLOGY_GRAPH.value),
                "application/sparql-results+json",
                None,
                settings.sparql_max_results,
            )

            def worker_query() -> bytes:
                return bytes(registry.store.query(request, 600).body)

            def endpoint_query() -> bytes:
                response = client.get(
                    "/sparql", params={"query": QUERY}, headers={"Accept": "application/sparql-results+json"}
                )
                assert response.status_code == 200, response.text
                return response.content

            # Interleave the three so load on the machine hits each alike.
            raw_s, raw_body = timed_runs(raw_query, runs)
            endpoint_s, endpoint_body = timed_runs(endpoint_query, runs)
            worker_s, _ = timed_runs(worker_query, runs)
            raw_s2, _ = timed_runs(raw_query, runs)
            endpoint_s2, _ = timed_runs(endpoint_query, runs)
            raw_s += raw_s2
            endpoint_s += endpoint_s2

        same = json.loads(raw_body)["results"] == json.loads(endpoint_body)["results"]
        ratio = statistics.median(endpoint_s) / statistics.median(raw_s)
        results = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
            "passports": count,
            "load_s": round(load_s, 1),
            "query": QUERY,
            "same_result": same,
            "raw_pyoxigraph_public_only": summary(raw_s),
            "registry_worker_pool": summary(worker_s),
            "registry_endpoint_anonymous": summary(endpoint_s),
            "endpoint_over_raw": round(ratio, 3),
            "runs": len(raw_s),
        }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
