"""Seeded generator of N realistic, valid plain-JSON passports for the benchmarks.

    PYTHONPATH=src /work/venv/bin/python bench/generate.py N [--seed 1] [--out passports.jsonl]

Each passport starts from one of the example passports in examples/passports/ (EV NMC and LFP packs, an
industrial lead-acid traction battery and an LFP storage rack, an LMT e-bike battery, a repurposed
stationary battery: four categories, three chemistries), chosen by the seeded random generator, and gets
its own passport identifier, serial number, operator (one of the examples' operators), manufacturing
date, status (an original battery may be declared waste), and its masses, footprints, capacities and
energies scaled by up to +-15 %. The same seed always gives the same passports; tests/test_bench_generate.py
checks a sample against the shapes with the registry's own Validator.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "passports"
#: Root-level decimals scaled per passport (the figures a data scientist filters and averages on).
SCALED = ("batteryMass", "batteryCarbonFootprint", "absoluteCarbonFootprint", "ratedCapacity", "ratedEnergy")
#: Root-level whole numbers scaled per passport (cycles an integer, power a decimal written as a string).
SCALED_INTEGERS = ("expectedNumberOfCycles", "ratedMaximumPower")


def templates() -> list[dict[str, Any]]:
    """The example passports, in name order."""
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]


def passports(n: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """`n` plain-JSON passports, the same for the same `seed`; every one conforms to the shapes."""
    rng = random.Random(seed)
    bases = templates()
    operators = [base["operatorInformation"] for base in bases]
    for index in range(n):
        passport = copy.deepcopy(rng.choice(bases))
        passport["batteryPassportIdentifier"] = f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}"
        prefix, _, _ = passport["productIdentifier"].partition("(21)")
        passport["productIdentifier"] = f"{prefix}(21)BENCH{seed:04d}{index:09d}"
        passport["operatorInformation"] = copy.deepcopy(rng.choice(operators))
        made = date(2025, 1, 1) + timedelta(days=rng.randrange(400))
        passport["manufacturingDate"] = made.isoformat()
        if "puttingIntoService" in passport:
            passport["puttingIntoService"] = (made + timedelta(days=rng.randrange(1, 60))).isoformat()
        if passport.get("batteryStatus") == "original" and rng.random() < 0.15:
            passport["batteryStatus"] = "waste"
        for key in SCALED:
            if key in passport:  # decimals are strings in our JSON (docs/model.md, "Numbers")
                scaled = round(float(passport[key]) * rng.uniform(0.85, 1.15), 3)
                passport[key] = format(Decimal(repr(scaled)).normalize(), "f")
        for key in SCALED_INTEGERS:
            if key in passport:
                whole = max(1, round(float(passport[key]) * rng.uniform(0.85, 1.15)))
                passport[key] = str(whole) if isinstance(passport[key], str) else whole
        yield passport


def write_jsonl(path: Path, n: int, seed: int = 1) -> Path:
    """Write `n` passports to `path`, one JSON document a line; returns `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for passport in passports(n, seed):
            out.write(json.dumps(passport, separators=(",", ":")) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("passports.jsonl"))
    args = parser.parse_args()
    write_jsonl(args.out, args.n, args.seed)
    print(f"{args.n} passports -> {args.out}")


if __name__ == "__main__":
    main()
