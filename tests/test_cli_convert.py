"""`passport-registry convert --from batterypass|catenax FILE... [-o OUT]` on the upstream example files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
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
    assert refused.exit_code == 2 and "not a Battery Pass v1.2 aspect payload" in refused.stderr
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


CATENA_X_SUPPORTED = "Supported: Catena-X BatteryPass 6.0.0 and 6.1.0."
SECTIONS = (
    "characteristics, commercial, conformity, handling, identification, materials, metadata, operation, "
    "performance, safety, sustainability"
)


def catenax_of_version(version: str) -> dict[str, Any]:
    """The 6.1.0 example reshaped as the older version writes it (top-level layout and the keys that only
    that version has, as in the upstream example payloads of each version)."""
    document: dict[str, Any] = json.loads(CATENA_X.read_text(encoding="utf-8"))
    del document["specVersion"]
    if version == "5.0.0":
        del document["commercial"]
        document["handling"] = {"applicable": True, "spareParts": {"producer": [{"id": "BPNL0123456789ZZ"}]}}
        document["conformity"]["declarationOfConformityId"] = [
            {"contentType": "URL", "header": "Declaration", "content": "https://dummy.link"}
        ]
    elif version == "4.0.0":
        document["generalInformation"] = {"intoServiceDate": "2024-01-01", **document.pop("operation")}
        document["chemicalMaterial"] = document.pop("materials")
        document["physicalDimension"] = document.pop("characteristics")["physicalDimension"]
    elif version == "3.0.1":
        document = {
            "batteryIdentification": {"batteryIDDMCCode": "X123456789012X12345678901234567"},
            "electrochemicalProperties": {"ratedCapacity": 210},
            "stateOfBattery": {"stateOfHealth": 12, "statusBattery": "first life"},
            "warrantyPeriod": 60,
        }
    return document


def _catenax_refusals() -> list[Any]:
    six = json.loads(CATENA_X.read_text(encoding="utf-8"))
    return [
        pytest.param(
            {},
            f"This is not a Catena-X BatteryPass document: it has no keys, none of {SECTIONS}.",
            id="empty",
        ),
        pytest.param(
            {"foo": 1},
            f"This is not a Catena-X BatteryPass document: it has only foo, none of {SECTIONS}.",
            id="foo",
        ),
        pytest.param(
            catenax_of_version("3.0.1"),
            "This is a Catena-X BatteryPass 3.x document (it has batteryIdentification, "
            "electrochemicalProperties, stateOfBattery), not a Catena-X BatteryPass document.",
            id="3.0.1",
        ),
        pytest.param(
            catenax_of_version("4.0.0"),
            "This is a Catena-X BatteryPass 4.0.0 document (it has generalInformation, chemicalMaterial), "
            "not a Catena-X BatteryPass document.",
            id="4.0.0",
        ),
        pytest.param(
            catenax_of_version("5.0.0"),
            "This is a Catena-X BatteryPass 5.0.0 document (it has handling.spareParts, "
            "conformity.declarationOfConformityId), not a Catena-X BatteryPass document.",
            id="5.0.0",
        ),
        pytest.param(
            {**six, "specVersion": "urn:io.catenax.battery.battery_pass:7.0.0"},
            "This is a document of specVersion 'urn:io.catenax.battery.battery_pass:7.0.0', not "
            "urn:io.catenax.battery.battery_pass:6.1.0.",
            id="7.0.0",
        ),
        pytest.param(
            {
                "assetAdministrationShells": [{"idShort": "Battery"}],
                "submodels": [],
                "conceptDescriptions": [],
            },
            "This is an Asset Administration Shell environment (it has assetAdministrationShells, "
            "submodels), not a Catena-X BatteryPass document; convert it with --from aas.",
            id="aas-environment",
        ),
    ]


@pytest.mark.parametrize(("document", "message"), _catenax_refusals())
def test_convert_catenax_refuses_what_is_not_6x_naming_what_it_is(
    tmp_path: Path, document: dict[str, Any], message: str
) -> None:
    source = tmp_path / "source.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["convert", "--from", "catenax", str(source)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"error: {source}: {message} {CATENA_X_SUPPORTED}\n"


def test_convert_catenax_reads_6_0_0_which_has_no_spec_version(tmp_path: Path) -> None:
    document = json.loads(CATENA_X.read_text(encoding="utf-8"))
    del document["specVersion"]
    source = tmp_path / "six.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = CliRunner().invoke(app, ["convert", "--from", "catenax", str(source)])
    assert result.exit_code == 1  # converted; the upstream example has values that cannot be carried
    assert json.loads(result.stdout) == catenax.convert(document).passport


def test_convert_batterypass_refuses_a_catenax_document() -> None:
    result = CliRunner().invoke(app, ["convert", "--from", "batterypass", str(CATENA_X)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"error: {CATENA_X}: This is a Catena-X BatteryPass 6.x document (it has specVersion, metadata, "
        "identification, operation), not a Battery Pass v1.2 aspect payload; convert it with --from catenax. "
        "Supported: Battery Pass v1.2.0"
    )


def test_convert_names_the_file_at_fault_among_several(tmp_path: Path) -> None:
    labels, circularity = (next(p for p in BATTERY_PASS if p.name.startswith(n)) for n in ("Label", "Circ"))
    broken = tmp_path / "broken.json"
    broken.write_text('{"labels": []\n', encoding="utf-8")
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"colour": "blue"}', encoding="utf-8")
    runner = CliRunner()

    def stderr(*files: Path) -> str:
        result = runner.invoke(app, ["convert", "--from", "batterypass", *map(str, files)])
        assert result.exit_code == 2 and result.stdout == ""
        return result.stderr

    assert stderr(labels, broken, circularity) == (
        f"error: {broken}: not JSON: Expecting ',' delimiter: line 2 column 1 (char 14)\n"
    )
    assert stderr(labels, unknown) == (
        f"error: {unknown}: This is not a Battery Pass v1.2 aspect payload: it has only colour, none of its "
        "keys. Supported: Battery Pass v1.2.0 aspect payloads, Performance 1.2.1 (GeneralProductInformation, "
        "CarbonFootprint, Circularity, Labels, MaterialComposition, Performance, SupplyChainDueDiligence).\n"
    )
    again = tmp_path / "labels-again.json"
    again.write_bytes(labels.read_bytes())
    assert stderr(labels, circularity, again) == (
        f"error: {again}: A second Labels payload: a passport takes one payload per aspect. "
        f"The first: {labels}.\n"
    )
    missing = tmp_path / "missing.json"
    assert stderr(labels, missing) == f"error: {missing}: No such file or directory\n"


def test_convert_names_a_supplement_at_fault(tmp_path: Path) -> None:
    overriding = tmp_path / "overriding.json"
    overriding.write_text(json.dumps({"batteryCategory": "ev"}), encoding="utf-8")
    args = ["convert", "--from", "catenax", str(CATENA_X), "--supplement", str(overriding)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {overriding}: ")
