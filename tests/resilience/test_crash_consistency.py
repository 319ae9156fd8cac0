"""SIGKILL of the serving process at random moments while writers create, update, end passports and
issue successors over HTTP; and SIGKILL of `passport-registry import`. After each restart every
acknowledged write is present and identical, and no passport is stored in part (DESIGN.md §6:
"every acknowledged write survives `kill -9` of the server").

CI kills a few times; `make resilience` (or RESILIENCE_KILLS / RESILIENCE_IMPORT_KILLS) kills more.
"""

from __future__ import annotations

import json
import random
import re
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from live_support import ADMIN_EMAIL, LiveRegistry, document_graph, document_triples
from resilience_support import LONG, generated_passports, operators, record, scale
from workload import Workload, verify

from dev_server import SRC
from passport_registry.access import ALL_GROUPS
from passport_registry.config import Settings
from passport_registry.services.registry import Registry
from passports_support import canonical

KILLS = scale(3, 20, "RESILIENCE_KILLS")
IMPORT_KILLS = scale(1, 5, "RESILIENCE_IMPORT_KILLS")
IMPORT_PASSPORTS = scale(800, 1500, "RESILIENCE_IMPORT_PASSPORTS")
#: Share of stored passports also compared as whole graphs (every one is checked by its triple count).
WHOLE_SAMPLE = 0.25 if LONG else 0.1
THIS_FILE = "tests/resilience/test_crash_consistency.py"


def test_acknowledged_writes_survive_sigkill_of_the_server_at_random_moments(tmp_path: Path) -> None:
    live = LiveRegistry(tmp_path / "data")
    admin_password = secrets.token_urlsafe(12)
    live.create_admin(admin_password)
    live.start()
    try:
        admin = live.login(ADMIN_EMAIL, admin_password)
        tokens = {}
        for organisation in operators().values():
            password = secrets.token_urlsafe(12)
            tokens[organisation] = live.login(live.add_operator(admin, organisation, password), password)
        workload = Workload(live, tokens, writers=3, seed=31)
        workload.start()
        _wait_for_every_kind(workload)
        rng = random.Random(31)
        checked_total = 0
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.5, 3.0))
            live.kill()
            workload.pause()
            live.start()
            checked = verify(live, workload.ledger, tokens)
            checked_total += checked["acknowledged_passports"]
            workload.resume()
        time.sleep(1)
        workload.stop()
        final = verify(live, workload.ledger, tokens)
    finally:
        live.stop()
    ledger = workload.ledger
    assert not ledger.server_errors, ledger.server_errors[:3]
    assert ledger.in_doubt > 0 or KILLS == 0, "no write was ever interrupted: the kills proved nothing"
    record(
        "crash_server",
        {
            "kills_survived": KILLS,
            "writes_acknowledged": ledger.acknowledged,
            "writes_by_kind": dict(sorted(ledger.counts.items())),
            "writes_in_doubt": ledger.in_doubt,
            "acknowledged_passport_checks": checked_total + final["acknowledged_passports"],
            "stored_passports_checked_at_end": final["stored_passports"],
            "command": f"RESILIENCE_KILLS={KILLS} pytest {THIS_FILE}",
        },
    )


def _wait_for_every_kind(workload: Workload, timeout_s: float = 180.0) -> None:
    """Kill only once every kind of write (create, update, delete, successor) has been acknowledged."""
    deadline = time.monotonic() + timeout_s
    while set(workload.ledger.counts) < {"create", "update", "delete", "successor"}:
        assert time.monotonic() < deadline, f"not every kind of write ran: {workload.ledger.counts}"
        time.sleep(0.2)


def _stored(data_dir: Path, base_url: str, owner: str, documents: dict[str, dict[str, Any]]) -> int:
    """Open the store (no server runs) and check every passport of `owner` is one document, whole: as
    many triples as its document, and for a sample the same graph (isomorphic)."""
    registry = Registry.open(Settings(dev=True, data_dir=data_dir, base_url=base_url))
    rng = random.Random(len(documents))
    count = 0
    try:
        store = registry.store
        cursor = None
        while True:
            page = store.list_owned(owner, cursor=cursor, limit=1000)
            for passport in page.items:
                iri = passport.iri.value
                triples = list(store.get(passport.iri, ALL_GROUPS).triples)
                document = documents[passport.facts.battery_id or ""]
                assert len(triples) == document_triples(document, iri), (iri, "stored in part")
                if rng.random() < WHOLE_SAMPLE:
                    expected = document_graph(document, iri)
                    assert canonical(triples, iri) == expected, (iri, "stored in part or altered")
                count += 1
            cursor = page.next_cursor
            if cursor is None:
                return count
    finally:
        registry.close()


def _kill_when_past(process: subprocess.Popen[bytes], threshold: int) -> int:
    """SIGKILL `process` once its progress line reports `threshold` passports; the count it reported."""
    assert process.stderr is not None
    seen, text = 0, b""
    while seen < threshold:
        chunk = process.stderr.read1(4096)
        if not chunk:
            break
        text = (text + chunk)[-200:]
        counts = re.findall(rb"(\d[\d,]*)/\d[\d,]*", text)
        seen = int(counts[-1].replace(b",", b"")) if counts else 0
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    process.stderr.close()
    return seen


def test_sigkill_during_import_leaves_only_whole_passports_and_a_rerun_completes(tmp_path: Path) -> None:
    owner, base_url = "DE2847193650", "http://registry.example"
    documents = {d["productIdentifier"]: d for d in generated_passports(IMPORT_PASSPORTS, seed=41)}
    source = tmp_path / "passports.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in documents.values()), encoding="utf-8")
    data_dir = tmp_path / "data"
    rng = random.Random(41)
    command = [sys.executable, "-c", "from passport_registry.cli import app; app()", "import", str(source),
               "--owner", owner, "--data-dir", str(data_dir), "--base-url", base_url]  # fmt: skip
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    partial, killed_at = [], []
    for _ in range(IMPORT_KILLS):
        # Kill once the progress line passes a random point after the first batch of 500 (stored in a
        # thread while the next is prepared), so the kill lands while batches are being written.
        threshold = rng.randrange(500, len(documents) - 50)
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        killed_at.append(_kill_when_past(process, threshold))
        partial.append(_stored(data_dir, base_url, owner, documents))
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    refused = [line for line in done.stderr.splitlines() if line.startswith("  ")]
    assert all("already has a live passport" in line for line in refused), refused[:3]
    assert _stored(data_dir, base_url, owner, documents) == len(documents)
    record(
        "crash_import",
        {
            "import_kills": IMPORT_KILLS,
            "passports": len(documents),
            "progress_when_killed": killed_at,
            "whole_passports_found_after_each_kill": partial,
            "command": f"RESILIENCE_IMPORT_KILLS={IMPORT_KILLS} pytest {THIS_FILE}",
        },
    )
