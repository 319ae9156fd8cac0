"""`passport-registry validate FILE...`: a readable report and exit 0 / 1 / 2, never a traceback."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from passport_registry.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "passports"
EXAMPLE = EXAMPLES / "lmt-ebike-nmc.json"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_valid_files_are_ok_and_exit_0(runner: CliRunner) -> None:
    files = sorted(EXAMPLES.glob("*.json"))[:2]
    result = runner.invoke(app, ["validate", *map(str, files)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [f"{f}: OK" for f in files]


def test_a_violation_is_reported_with_path_message_focus_and_value(runner: CliRunner, tmp_path: Path) -> None:
    document = json.loads(EXAMPLE.read_text())
    document["operatorInformation"]["postalAddress"]["addressCountry"] = "Netherlands"
    bad = tmp_path / "bad.jsonld"
    bad.write_text(json.dumps(document))
    result = runner.invoke(app, ["validate", str(EXAMPLE), str(bad)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{EXAMPLE}: OK"
    assert lines[1] == f"{bad}: 1 violation(s)"
    assert lines[2].startswith("  - https://w3id.org/passport-registry/battery#addressCountry: ")
    assert "focus node: _:" in lines[3] and 'value: "Netherlands"' in lines[3]
    assert "(at operatorInformation / postalAddress)" in lines[3]


def test_a_blank_passport_root_is_called_the_passport(runner: CliRunner, tmp_path: Path) -> None:
    document = json.loads(EXAMPLE.read_text())
    document["batteryMass"] = -1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert "focus node: the passport (a blank node" in result.output
    document["@id"] = "https://registry.example/passports/7"
    bad.write_text(json.dumps(document))
    result = runner.invoke(app, ["validate", str(bad)])
    assert "focus node: <https://registry.example/passports/7>" in result.output


def test_format_option_overrides_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    renamed = tmp_path / "passport.txt"
    shutil.copy(EXAMPLE, renamed)
    assert runner.invoke(app, ["validate", str(renamed)]).exit_code == 2
    for given in ("json", "application/ld+json"):
        result = runner.invoke(app, ["validate", "--format", given, str(renamed)])
        assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("broken.jsonld", b'{"@type": "BatteryPassport",\n "batteryMass": }', "line 2"),
        ("utf16.json", '{"batteryMass": 1}'.encode("utf-16"), "UTF-16"),
        ("remote.jsonld", b'{"@context": "https://evil.example/c.jsonld"}', "never fetches"),
        ("entities.rdf", b'<!DOCTYPE x [<!ENTITY e "x">]><rdf:RDF/>', "DOCTYPE"),
        ("data.csv", b"a,b", ".csv"),
    ],
)
def test_unreadable_input_is_one_line_and_exit_2(
    runner: CliRunner, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["validate", str(EXAMPLE), str(path)])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    (error,) = [line for line in result.output.splitlines() if "unreadable" in line]
    assert error.startswith(f"{path}: unreadable: ") and message in error
    assert "Traceback" not in result.output


def test_a_missing_file_is_unreadable(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 2
    assert result.output.strip() == f"{tmp_path / 'nope.ttl'}: unreadable: No such file or directory"


def test_a_label_for_a_code_is_reported_as_a_wrong_code_not_a_missing_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Issue: "Raw material extraction" vanished in JSON-LD's IRI expansion and was reported missing."""
    document = json.loads(EXAMPLE.read_text())
    document["carbonFootprintPerLifecycleStage"][0]["lifecycleStage"] = "Raw material extraction"
    bad = tmp_path / "label.json"
    bad.write_text(json.dumps(document))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    head, entry, focus = result.output.splitlines()
    assert head == f"{bad}: 1 violation(s)"
    assert entry == (
        "  - https://w3id.org/passport-registry/battery#lifecycleStage: Life-cycle stage (lifecycleStage): "
        "'Raw material extraction' is not one of the codes: raw-material-acquisition, main-production, "
        "distribution, end-of-life-recycling; did you mean raw-material-acquisition?"
    )
    assert re.fullmatch(
        r'    focus node: _:\w+ \(at carbonFootprintPerLifecycleStage\)  value: "Raw material extraction"',
        focus,
    )


def test_a_wrong_status_derives_no_predecessor_rule(runner: CliRunner, tmp_path: Path) -> None:
    document = json.loads(EXAMPLE.read_text())
    document["batteryStatus"] = "Original"
    bad = tmp_path / "status.json"
    bad.write_text(json.dumps(document))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}: 1 violation(s)",
        "  - https://w3id.org/passport-registry/battery#batteryStatus: Battery status (batteryStatus): "
        "'Original' is not one of the codes: original, repurposed, re-used, remanufactured, waste; "
        "did you mean original?",
        "    focus node: the passport (a blank node; give it an @id to name it)  "
        "value: <https://w3id.org/passport-registry/battery/vocab/status/Original>",
    ]


@pytest.mark.parametrize(
    ("key", "value"),
    [("manufacturerInformation", "ACME"), ("separateCollectionSymbol", "https://maker.example/symbol.svg")],
)
def test_a_string_for_a_nested_object_is_a_violation_not_a_traceback(
    runner: CliRunner, tmp_path: Path, key: str, value: str
) -> None:
    document = json.loads(EXAMPLE.read_text())
    document[key] = value
    bad = tmp_path / "bad.jsonld"
    bad.write_text(json.dumps(document))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert f"#{key}" in result.output
    assert f'value: "{value}"' in result.output


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.jsonld", "{}"), ("array.jsonld", "[]"), ("foo.json", '{"foo": "bar"}'), ("empty.ttl", "")],
)
def test_a_document_without_a_passport_does_not_conform(
    runner: CliRunner, tmp_path: Path, name: str, content: str
) -> None:
    path = tmp_path / name
    path.write_text(content)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(
        f"{path}: refused: A passport has exactly one node typed bpr:BatteryPassport"
    )
    assert "OK" not in result.output
