"""Passport store speed: write one passport and read one passport on an on-disk store of N passports.

    /work/venv/bin/python bench/storage.py [N] [--samples 200] [--out bench/results/storage.json]

Passports are clones of one example passport (default: examples/passports/ev-nmc-car-pack.json,
314 triples in every access group) partitioned by the bundled ontology.
Baselines in the same run: the same quads through bare pyoxigraph (`Store.extend`, subject look-ups).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, Triple, parse

from passport_registry import resources
from passport_registry.access import ALL_GROUPS, AccessGroup, GroupResolver
from passport_registry.store import EmbeddedPassportStore, NewPassport, PassportFacts, partition, writes

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "passports" / "ev-nmc-car-pack.json"


def example_triples(path: Path) -> list[Triple]:
    """A plain-JSON example passport as triples (bundled context inlined, never fetched)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document["@context"] = resources.context_document()["@context"]
    return [q.triple for q in parse(json.dumps(document).encode(), format=RdfFormat.JSON_LD)]


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def raw_baselines(
    data_dir: Path, resolver: GroupResolver, triples: list[Triple], subjects: set[object], samples: int
) -> dict[str, float]:
    """The same work through bare pyoxigraph on the same directory: one `extend` of a passport's
    quads (no guards, no SPARQL), and the subject look-ups of one passport (no index, no record)."""
    raw = Store(str(data_dir))
    base = "https://registry.example/raw/"
    now = datetime.now(UTC)
    quads = [
        list(
            parse(
                writes.creation_nquads(
                    partition(NamedNode(f"{base}{i}"), triples, resolver), "bench", PassportFacts(), now
                ),
                format=RdfFormat.N_QUADS,
            )
        )
        for i in range(samples)
    ]
    extend = [timed(lambda q=q: raw.extend(q)) for q in quads]
    nodes = [s for s in subjects if isinstance(s, NamedNode)]
    lookups = [
        timed(lambda: [list(raw.quads_for_pattern(s, None, None, None)) for s in nodes])
        for _ in range(samples)
    ]
    return {
        "baseline_raw_extend_median_ms": median_ms(extend),
        "baseline_raw_subject_lookups_median_ms": median_ms(lookups),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", nargs="?", type=int, default=2000, help="passports in the store")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--example", type=Path, default=EXAMPLE, help="an example passport (plain JSON)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "storage.json")
    args = parser.parse_args()

    resolver = GroupResolver.from_triples(parse(resources.ontology_bytes(), RdfFormat.TURTLE))
    triples = example_triples(args.example)
    base = "https://registry.example/passports/"

    def new(n: int) -> NewPassport:
        return NewPassport(NamedNode(f"{base}{n}"), "bench", triples, PassportFacts(battery_id=f"BAT-{n}"))

    results: dict[str, object] = {
        "n": args.n,
        "samples": args.samples,
        "triples_per_passport": len(triples),
        "example": args.example.name,
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "store"
        store = EmbeddedPassportStore(resolver, data_dir)
        start = time.perf_counter()
        report = store.bulk_load(new(n) for n in range(args.n))
        elapsed = time.perf_counter() - start
        assert not report.rejected, report.rejected[:3]
        results["bulk_load_passports_per_s"] = round(args.n / elapsed, 1)

        extra = range(args.n, args.n + args.samples)
        results["create_median_ms"] = median_ms(
            [timed(lambda n=n: store.create(new(n).iri, "bench", triples, new(n).facts)) for n in extra]
        )
        results["replace_median_ms"] = median_ms(
            [timed(lambda n=n: store.replace(new(n).iri, triples, 1, facts=new(n).facts)) for n in extra]
        )
        ids = [NamedNode(f"{base}{(i * 7919) % args.n}") for i in range(args.samples)]
        for name, groups in (("public", {AccessGroup.PUBLIC}), ("all", ALL_GROUPS)):
            results[f"get_{name}_median_ms"] = median_ms(
                [timed(lambda p=p, g=groups: store.get(p, g)) for p in ids]
            )
        replaced = [new(n).iri for n in extra]
        results["get_old_version_all_median_ms"] = median_ms(
            [timed(lambda p=p: store.get(p, ALL_GROUPS, version=1)) for p in replaced]
        )
        # what `get` reads, without record, index or consistency checks: the passport's subjects
        subjects = {q.subject for q in store.get(ids[0], ALL_GROUPS).triples}
        store.close()

        results.update(raw_baselines(data_dir, resolver, triples, subjects, args.samples))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
