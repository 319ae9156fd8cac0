"""How `make test` shares the suite among pytest-xdist workers (`pytest -n auto --dist loadscope`, with the
scheduler tests/conftest.py installs).

A unit of work is a test module, run whole on one worker, so its module fixtures are built once; except
SERIAL, the modules that kill processes, drive a browser or load the machine on purpose, which form one
unit (one after another on one worker, started first while the other workers take the rest), and
TOGETHER, modules that share a fixture wider than a module, one unit each, so a worker builds it once.
"""

from __future__ import annotations

from typing import Any

from xdist.scheduler import LoadScopeScheduling

SERIAL = frozenset(
    {
        "api/test_cors_browser.py",
        "api/test_pages_browser.py",
        "resilience/test_backup_restore.py",
        "resilience/test_concurrency_http.py",
        "resilience/test_crash_consistency.py",
        "store/test_durability.py",
        "store/test_processes.py",
        "test_bench_smoke.py",
    }
)
SERIAL_UNIT = "serial"
TOGETHER = {
    # tests/sparql/conftest.py `world`: one registry per backend for the package.
    "sparql-world": frozenset(
        {
            "sparql/test_dataset.py",
            "sparql/test_example_queries.py",
            "sparql/test_outbound.py",
            "sparql/test_protocol.py",
            "sparql/test_protocol_manifest.py",
        }
    ),
}


def unit_of(nodeid: str) -> str:
    """The unit of work of the test `nodeid` (`tests/dir/test_x.py::test_y[param]`)."""
    module = nodeid.split("::", 1)[0]
    name = module.removeprefix("tests/")
    if name in SERIAL:
        return SERIAL_UNIT
    for unit, modules in TOGETHER.items():
        if name in modules:
            return unit
    return module


class ModuleScheduling(LoadScopeScheduling):  # type: ignore[misc]
    """`--dist loadscope` with the units above, handed out in collection order (the workers put the
    serial unit first: tests/conftest.py)."""

    def __init__(self, config: Any, log: Any = None) -> None:
        super().__init__(config, log)
        config.option.loadscopereorder = False  # by size would start the serial unit last

    def _split_scope(self, nodeid: str) -> str:
        return unit_of(nodeid)
