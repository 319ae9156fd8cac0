"""`passport-registry import`: files, folders and JSON lines; each passport validated, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

from passports_support import EXAMPLES, INVALID, example
from typer.testing import CliRunner

from passport_registry.cli import app
from passport_registry.config import Settings
from passport_registry.services.registry import Registry
from passport_registry.store import ListFilters


def owned(data_dir: Path, owner: str) -> list[str]:
    registry = Registry.open(Settings(dev=True, data_dir=data_dir))
    try:
        page = registry.store.list_owned(owner, limit=100, filters=ListFilters())
        return sorted(r.facts.battery_id or "" for r in page.items)
    finally:
        registry.close()


def test_import_reports_what_failed_and_stores_the_rest(tmp_path: Path) -> None:
    lines = tmp_path / "more.jsonl"
    document = json.loads(example("lmt-ebike-nmc.json"))
    document["productIdentifier"] = "(01)04098765000011(21)PW500-2026-999999"
    del document["@context"]
    lines.write_text(json.dumps(document) + "\n\n" + "{not json\n", encoding="utf-8")
    data = tmp_path / "data"
    result = CliRunner().invoke(
        app,
        ["import", str(EXAMPLES), str(lines), str(INVALID / "negative-mass.jsonld"), "--owner", "EO-1",
         "--data-dir", str(data)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Imported 7 passport(s) for EO-1; 2 refused." in result.output
    assert "negative-mass.jsonld" in result.output and "Battery mass" in result.output
    assert "more.jsonl:3" in result.output
    batteries = owned(data, "EO-1")
    assert len(batteries) == 7 and "(01)04098765000011(21)PW500-2026-999999" in batteries

    again = CliRunner().invoke(app, ["import", str(EXAMPLES / "lmt-ebike-nmc.json"), "--owner", "EO-2",
                                     "--data-dir", str(data)])  # fmt: skip
    assert again.exit_code == 1
    assert "already has a live passport" in again.output
    assert owned(data, "EO-2") == []
