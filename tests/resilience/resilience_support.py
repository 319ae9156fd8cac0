"""Shared by the resilience suites: how long to run (bounded in CI, long with `make resilience`), where
the figures go, the benchmark generator's passports, and a registry with an account per kind of caller."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from passports_support import Api, open_api

ROOT = Path(__file__).resolve().parents[2]
#: Set by `make resilience`: the long runs. Unset (CI, `make test`): the bounded ones.
LONG = os.environ.get("RESILIENCE_LONG") == "1"
#: A JSON file the suites add their figures to (`make resilience` names bench/results/resilience.json).
RESULTS_ENV = "RESILIENCE_RESULTS"


def scale(bounded: int, long: int, env: str) -> int:
    """`env` when set, else `long` under `make resilience`, else `bounded`."""
    if os.environ.get(env):
        return int(os.environ[env])
    return long if LONG else bounded


def record(section: str, figures: dict[str, Any]) -> None:
    """Add `figures` under `section` to the results file named by $RESILIENCE_RESULTS, if any."""
    target = os.environ.get(RESULTS_ENV)
    if not target:
        return
    path = Path(target)
    found = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    found[section] = figures
    path.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def bench_module(name: str) -> ModuleType:
    """A script of bench/ loaded as a module (bench/ is not a package on the path)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def generated_passports(n: int, seed: int) -> list[dict[str, Any]]:
    """`n` valid, varied plain-JSON passports from bench/generate.py (four categories, three chemistries)."""
    return list(bench_module("generate").passports(n, seed=seed))


def operators() -> dict[str, str]:
    """Caller name -> organisation, one per operator the generator uses."""
    found = {}
    for base in bench_module("generate").templates():
        organisation = base["operatorInformation"]["identifier"]
        found[f"operator-{organisation}"] = organisation
    return found


@contextmanager
def open_registry(data_dir: Path) -> Iterator[Api]:
    """A registry on disk with an admin, an account per role, and one economic operator per organisation
    of the generator's passports."""
    with open_api(data_dir, operators=operators()) as api:
        yield api
