"""`passport-registry convert --from batterypass|catenax FILE... [-o OUT]` on the upstream example files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from passport_registry.cli import app
from passport_registry.importers import batterypass, catenax

FIXTURES = Path(__file__).parent / "fixtures"
CATENA_X = FIXTURES / "tractusx-semantic-models/io.catenax.battery.battery_pass/6.1.0/gen/BatteryPass.json"
BATTERY_PASS = sorted(
    path
    for path in (FIXTURES / "batterypass-datamodel/BatteryPass").glob("*/*/gen/*.json")
    if not path.name.endswith("-schema.json")
)


def issues(stderr: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stderr.splitlines()]


def test_convert_catenax_prints_the_passport_and_lists_issues_on_stderr() -> None:
    result = CliRunner().invoke(app, ["convert", "--from", "catenax", str(CATENA_X)])
    expected = catenax.convert(json.loads(CATENA_X.read_text(encoding="utf-8")))
    assert json.loads(result.stdout) == expected.passport
    assert issues(result.stderr) == [issue.as_dict() for issue in expected.issues]
    assert result.exit_code == 1  # the upstream example has values that cannot be carried


def test_convert_batterypass_merges_every_payload_into_one_file(tmp_path: Path) -> None:
    out = tmp_path / "passport.jsonld"
    args = ["convert", "--from", "batterypass", *map(str, BATTERY_PASS), "-o", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.stdout == ""
    expected = batterypass.convert([json.loads(p.read_text(encoding="utf-8")) for p in BATTERY_PASS])
    assert json.loads(out.read_text(encoding="utf-8")) == expected.passport
    assert len(BATTERY_PASS) == 7 and result.exit_code == 1


def test_convert_exits_0_when_everything_is_carried(tmp_path: Path) -> None:
    source = tmp_path / "labels.json"
    source.write_text(
        json.dumps({"declarationOfConformity": "https://example.org/doc.pdf"}), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["convert", "--from", "batterypass", str(source)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["declarationOfConformity"] == "https://example.org/doc.pdf"
    assert result.stderr == ""


def test_convert_reads_utf16_files_as_upstream_stores_them(tmp_path: Path) -> None:
    source = tmp_path / "SupplyChainDueDiligence-payload.json"
    upstream = next(p for p in BATTERY_PASS if p.name == "SupplyChainDueDiligence-payload.json")
    payload = upstream.read_text(encoding="utf-8")
    source.write_bytes(payload.encode("utf-16"))  # with a BOM, little-endian here
    result = CliRunner().invoke(app, ["convert", "--from", "batterypass", str(source)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["supplyChainDueDiligenceReport"] == "telnet://192.0.2.16:80/"


def test_convert_refuses_unusable_input_with_status_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"colour": "blue"}', encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["convert", "--from", "batterypass", str(broken)]).exit_code == 2
    refused = runner.invoke(app, ["convert", "--from", "batterypass", str(unknown)])
    assert refused.exit_code == 2 and "no Battery Pass aspect" in refused.stderr
    assert runner.invoke(app, ["convert", "--from", "idta", str(unknown)]).exit_code == 2
    two = runner.invoke(app, ["convert", "--from", "catenax", str(CATENA_X), str(CATENA_X)])
    assert two.exit_code == 2


def test_convert_adds_a_supplement_and_refuses_one_that_would_override(tmp_path: Path) -> None:
    supplement = FIXTURES / "catenax-supplement.json"
    args = ["convert", "--from", "catenax", str(CATENA_X), "--supplement", str(supplement)]
    result = CliRunner().invoke(app, args)
    expected = catenax.convert(
        json.loads(CATENA_X.read_text(encoding="utf-8")),
        supplement=json.loads(supplement.read_text(encoding="utf-8")),
    )
    assert json.loads(result.stdout) == expected.passport
    assert "separateCollectionSymbol" in expected.passport
    assert [i["kind"] for i in issues(result.stderr)].count("note") == 2  # the EC numbers listed as CAS
    assert result.exit_code == 1  # the upstream date 7172-75-08 and others still cannot be carried

    overriding = tmp_path / "overriding.json"
    overriding.write_text(json.dumps({"batteryCategory": "ev"}), encoding="utf-8")
    refused = CliRunner().invoke(app, [*args[:-1], str(overriding)])
    assert refused.exit_code == 2 and "'batteryCategory'" in refused.stderr
