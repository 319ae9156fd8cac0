"""SPARQL endpoint speed: the anonymous aggregate over N passports, ours against raw pyoxigraph.

    PYTHONPATH=src /work/venv/bin/python bench/sparql.py [--passports 100000] [--quick] [--runs 5]
        [--out bench/results/sparql.json]

Passports are clones of the example passports (examples/passports/, round robin) with a fresh IRI,
battery identifier and carbon footprint each: each example is partitioned once by the store's own code
(`partition`, `writes.creation_nquads`: content, node index, metadata, guards) and cloned as N-Quads
text, written into the registry's data directory with Oxigraph's bulk loader before the app opens it. The
baseline, in the same run: a raw on-disk pyoxigraph Store holding only the public triples of the same
passports (split by the same partition code) in its default graph, asked the same query with
`Store.query` and serialised to SPARQL JSON, with no HTTP, no access control and no worker process.
Ours: the same query through the app (`GET /sparql` as an anonymous caller, starlette TestClient, the
ASGI app with its lifespan) and through the store's worker pool alone.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
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
    parse,
    serialize,
)

from passport_registry import rdf, resources
from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.api.app import create_app
from passport_registry.config import Settings
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


PLACEHOLDER_ID = "BENCH-ID-PLACEHOLDER"
PLACEHOLDER_CF = "0.0999"


@dataclass(frozen=True)
class Template:
    """One example passport, partitioned once; clones are made by replacing its IRI and two values."""

    iri: bytes
    full: bytes  # every quad the store's bulk path writes for it (content, index, metadata, guards)
    public: bytes  # its public triples, N-Triples, for the raw baseline


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
        resolver = GroupResolver.from_triples(parse(resources.ontology_bytes(), format=RdfFormat.TURTLE))
        (Path(tmp) / "registry" / "store").mkdir(parents=True)
        load_s = load(Path(tmp) / "registry" / "store", Path(tmp) / "raw", count, resolver)
        gc.collect()
        raw = Store.read_only(str(Path(tmp) / "raw"))
        with TestClient(create_app(settings)) as client:
            registry = client.app.state.registry  # type: ignore[attr-defined]
            assert registry.store.record(NamedNode(f"https://registry.example/passports/bench-{count - 1}"))

            def raw_query() -> bytes:
                solutions = raw.query(QUERY)
                assert isinstance(solutions, QuerySolutions)
                return solutions.serialize(format=QueryResultsFormat.JSON) or b""

            request = QueryRequest(
                QUERY,
                (LIVE_GRAPHS[AccessGroup.PUBLIC].value,),  # what an anonymous caller's dataset is
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
            worker_s2, _ = timed_runs(worker_query, runs)
            raw_s += raw_s2
            endpoint_s += endpoint_s2
            worker_s += worker_s2

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
