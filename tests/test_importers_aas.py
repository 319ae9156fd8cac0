"""IDTA-02035 AAS documents -> passports: the seven published templates (AAS V3 environments with example
values) and the IDTA SAMM payloads (tests/fixtures/idta-submodel-templates, idta-smt-semantic-models).

Every element with a value is either carried or reported; what the shapes then miss is exactly the
attributes IDTA-02035 has no element for (or that the templates leave empty)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from passport_registry.cli import app
from passport_registry.errors import UnprocessableInput
from passport_registry.importers import aas
from passport_registry.importers.report import ImportResult
from shapes_oracle import SH, results

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATES = sorted((FIXTURES / "idta-submodel-templates").rglob("*.json"))
PAYLOADS = sorted((FIXTURES / "idta-smt-semantic-models").rglob("gen/*.json"))
PC = "https://w3id.org/passport-registry/battery#"


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def value_leaves(value: Any, at: str = "") -> dict[str, Any]:
    """Pointers of the values an AAS JSON document holds: non-empty `value`s of elements (a Property's
    text, a MultiLanguageProperty's texts, a File's path) and the asset ids of shells."""
    found: dict[str, Any] = {}
    if isinstance(value, dict):
        if value.get("modelType") in ("Property", "File", "MultiLanguageProperty") and value.get("value"):
            found[at + "/value"] = value["value"]
        for key, item in value.items():
            if key == "conceptDescriptions":
                continue
            if key == "globalAssetId" and item:
                found[f"{at}/{key}"] = item
            if key == "specificAssetIds":
                found.update({f"{at}/{key}/{i}": entry for i, entry in enumerate(item)})
                continue
            found.update(value_leaves(item, f"{at}/{key}"))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(value_leaves(item, f"{at}/{index}"))
    return found


def carried_values(value: Any) -> int:
    """How many plain values a passport (or a part of it) holds: members of nodes and items of lists
    counted one by one, JSON-LD keywords not at all."""
    if isinstance(value, dict):
        return sum(carried_values(v) for k, v in value.items() if not k.startswith("@"))
    if isinstance(value, list):
        return sum(carried_values(v) for v in value)
    return 1


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_every_value_of_a_template_is_carried_or_reported(path: Path) -> None:
    document = load(path)
    result = aas.convert([document])
    assert result.errors == []
    leaves = value_leaves(document)
    reported = {issue.path for issue in result.issues}
    # Each issue points at a value of the document (a File or MultiLanguageProperty at its element).
    assert all(p in leaves or p + "/value" in leaves for p in reported), reported - set(leaves)
    carried = {p for p in leaves if p not in reported and p.removesuffix("/value") not in reported}
    assert len(carried) == carried_values(result.passport), (sorted(carried), result.passport)


def test_the_seven_parts_make_one_passport_with_what_idta_02035_carries() -> None:
    result = aas.convert([load(p) for p in TEMPLATES])
    passport = result.passport
    assert passport["batteryCategory"] == "ev"
    assert passport["batteryChemistry"] == "nmc"
    assert passport["batteryStatus"] == "original"  # LifeCycleStage "Original"
    assert passport["warrantyPeriod"] == 96  # "P96M"
    assert passport["batteryMass"] == "1007"
    assert passport["stateOfCharge"] == {"value": "70", "lastUpdate": "2000-01-01T14:23:00"}
    assert passport["operatorInformation"] == {"identifier": "123456789"}
    kinds = Counter(issue.kind for issue in result.issues)
    assert kinds == Counter({"unmapped": sum(1 for _ in result.unmapped)})
    unmapped = {issue.path for issue in result.unmapped}
    # Nameplate: the product URI, the manufacturer name and serial number have no attribute of ours.
    assert "/submodels/0/submodelElements/0/value" in unmapped
    assert all(issue.source.startswith("IDTA-02035#") for issue in result.issues)


def short(iri: str | None) -> str:
    return "-" if iri is None else iri.removeprefix(PC).removeprefix(str(SH))


#: What our shapes then miss in the passport the seven templates make (pySHACL, leaf results).
MISSING_FROM_THE_TEMPLATES = Counter(
    {
        # The passport header is IDTA-02099 DPP metadata, not part of the IDTA-02035 templates.
        ("batteryPassportIdentifier", "MinCountConstraintComponent"): 1,
        ("productIdentifier", "MinCountConstraintComponent"): 1,
        ("granularity", "MinCountConstraintComponent"): 1,
        # Template slots left empty: the declaration of conformity (a DocumentIdentifier list), the
        # extinguishing agents, the measured temperature (its LastUpdate is given, so the node exists).
        ("declarationOfConformity", "MinCountConstraintComponent"): 1,
        ("extinguishingAgent", "MinCountConstraintComponent"): 1,
        ("value", "MinCountConstraintComponent"): 1,
        # No element for the separate-collection symbol, nor for the EV carbon footprint, which the
        # template's CarbonFootprint part holds in a list with its study and class (docs/aas.md).
        ("separateCollectionSymbol", "MinCountConstraintComponent"): 1,
        ("-", "OrConstraintComponent"): 1,
    }
)


def test_shapes_miss_exactly_what_the_templates_do_not_carry() -> None:
    result: ImportResult = aas.convert([load(p) for p in TEMPLATES])
    _data, found = results(result.passport)
    leaves = Counter(
        (short(r.path), short(r.constraint)) for r in found if r.constraint != str(SH.NodeConstraintComponent)
    )
    assert leaves == MISSING_FROM_THE_TEMPLATES


#: Values of the SAMM payloads (random examples) that do not convert: reported as invalid.
INVALID_IN_PAYLOADS = {"CircularityBattery.json": {"/SafetyMeasures/ExtinguishingAgents/0"}}


@pytest.mark.parametrize("path", PAYLOADS, ids=lambda p: p.name)
def test_samm_payloads_are_read_by_their_idshort_keys(path: Path) -> None:
    result = aas.convert([load(path)])
    assert {e.path for e in result.errors} == INVALID_IN_PAYLOADS.get(path.name, set())
    document = load(path)
    for issue in result.issues:  # every reported path is in the payload
        node: Any = document
        for step in issue.path.split("/")[1:]:
            node = node[int(step)] if isinstance(node, list) else node[step]
        assert node == issue.value


def test_the_dpp_metadata_payload_gives_the_passport_header() -> None:
    (path,) = [p for p in PAYLOADS if p.name == "DppMetadata.json"]
    passport = aas.convert([load(path)]).passport
    assert passport["batteryPassportIdentifier"] == "https://www.example.org/dpp/1234545"
    assert passport["granularity"] == "batch"
    assert passport["operatorInformation"] == {"identifier": "gxx:ppp456789"}
    assert passport["manufacturingPlace"] == {"identifier": "gxx:xxx987654"}


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ([1, 2], "a JSON object is expected"),
        ({"specVersion": "urn:io.catenax.battery.battery_pass:6.1.0"}, "not an AAS environment"),
        ({"submodels": [{"modelType": "Submodel"}]}, "not a valid AAS V3 environment"),
    ],
)
def test_what_is_not_aas_is_refused_with_a_reason(document: Any, says: str) -> None:
    with pytest.raises(UnprocessableInput, match=says):
        aas.convert([document])


def test_cli_convert_from_aas_merges_the_parts_and_reports_on_stderr(tmp_path: Path) -> None:
    out = tmp_path / "passport.json"
    result = CliRunner().invoke(app, ["convert", "--from", "aas", "-o", str(out), *map(str, TEMPLATES)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["batteryChemistry"] == "nmc"
    issues = [json.loads(line) for line in result.stderr.splitlines()]
    assert issues and {issue["kind"] for issue in issues} == {"unmapped"}
    broken = tmp_path / "broken.json"
    broken.write_text('{"submodels": [{"modelType": "Submodel"}]}')
    refused = CliRunner().invoke(app, ["convert", "--from", "aas", str(TEMPLATES[0]), str(broken)])
    assert refused.exit_code == 2
    assert str(broken) in refused.stderr


def test_the_documented_mapping_table_is_the_one_the_code_uses() -> None:
    from passport_registry.importers.aas.mapping import ROWS

    text = (Path(__file__).parents[1] / "docs" / "aas.md").read_text(encoding="utf-8")
    documented = [
        tuple(cell.strip().strip("`") for cell in line.strip("|").split("|")[:5])
        for line in text.splitlines()
        if line.startswith("| `") and line.count("|") == 7
    ]
    expected = [
        (
            row.key + (f".{row.member}" if row.member else ""),
            row.submodel,
            "/".join(row.path),
            row.semantic_id,
            row.value_type,
        )
        for row in ROWS
    ]
    assert documented == expected
