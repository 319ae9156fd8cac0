"""Every example passport and every invalid case, on the real shapes: the fast engine agrees with pySHACL.

Picks up examples/passports/* and every examples/invalid/manifest*.json automatically. A manifest is a
list of {"file", "violation": {"path", "constraint", "focus": "root"|"nested"}, "description"}; each
invalid file produces exactly that one violation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest

from passport_registry.rdf import EXTENSIONS, media_type_for_path, parse
from passport_registry.validation import ValidationReport, Validator, Violation

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PASSPORT_CLASS = "https://w3id.org/passport-registry/battery#BatteryPassport"
SH = "http://www.w3.org/ns/shacl#"
ROOT = pyoxigraph.NamedNode("http://registry.test/passports/example")


def _valid_files() -> list[Path]:
    folder = EXAMPLES / "passports"
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in EXTENSIONS) if folder.is_dir() else []


def _invalid_cases() -> list[Any]:
    cases = []
    for manifest in sorted((EXAMPLES / "invalid").glob("manifest*.json")):
        for entry in json.loads(manifest.read_text(encoding="utf-8")):
            cases.append(pytest.param(manifest.parent / entry["file"], entry, id=entry["file"]))
    return cases


@pytest.fixture(scope="module")
def fast() -> Validator:
    return Validator.from_resources()


@pytest.fixture(scope="module")
def oracle() -> Validator:
    return Validator.from_resources(engine="pyshacl")


def read(path: Path) -> list[pyoxigraph.Quad]:
    """The passport in `path`, its root named ROOT (examples leave the root blank; the registry names it)."""
    return _named_root(parse(path.read_bytes(), media_type_for_path(path), ROOT.value), path.name)


def _named_root(quads: list[pyoxigraph.Quad], name: str) -> list[pyoxigraph.Quad]:
    """`quads` with the passport root named ROOT: the node typed as a passport or, in a document that
    lacks the type (an invalid case may), the one node no other node points to."""
    roots = {q.subject for q in quads if q.predicate.value == RDF_TYPE and q.object.value == PASSPORT_CLASS}
    if not roots:
        roots = {q.subject for q in quads} - {q.object for q in quads}
    assert len(roots) == 1, f"{name} has {len(roots)} passport roots"
    (root,) = roots
    return [
        pyoxigraph.Quad(
            ROOT if q.subject == root else q.subject,
            q.predicate,
            ROOT if q.object == root else q.object,
            q.graph_name,
        )
        for q in quads
    ]


#: Lexical spaces (XSD 1.1) of the datatypes pySHACL 0.40 checks too leniently: it accepts
#: "3.5E2"^^xsd:decimal, "INF"^^xsd:decimal and "2026-01-01"^^xsd:dateTime, which `shacl` rightly rejects.
XSD = "http://www.w3.org/2001/XMLSchema#"
_TZ = r"(Z|[+-]\d{2}:\d{2})?"
STRICT_LEXICAL = {
    XSD + "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "date": re.compile(rf"-?\d{{4,}}-\d{{2}}-\d{{2}}{_TZ}"),
    XSD + "dateTime": re.compile(rf"-?\d{{4,}}-\d{{2}}-\d{{2}}T\d{{2}}:\d{{2}}:\d{{2}}(\.\d+)?{_TZ}"),
}


def _pyshacl_misses(violation: Violation) -> bool:
    """A result on a literal outside its own datatype's lexical space: pySHACL takes such literals for
    valid values, so it reports neither their sh:datatype nor their failed comparisons (sh:minExclusive)."""
    value = violation.value
    if not isinstance(value, pyoxigraph.Literal) or value.datatype.value not in STRICT_LEXICAL:
        return False
    return STRICT_LEXICAL[value.datatype.value].fullmatch(value.value) is None


def assert_agree(report: ValidationReport, oracle: Validator, quads: list[pyoxigraph.Quad]) -> None:
    """Same verdict and same results as pySHACL, but for results pySHACL is known to miss."""
    try:
        reference = oracle.validate(quads)
    except TypeError as exc:  # pySHACL 0.40 compares ill-typed literals in sh:lessThan(OrEquals) and dies
        pytest.skip(f"pySHACL cannot validate this graph, nothing to compare with: {exc}")
    ours = [v for v in report.violations if not _pyshacl_misses(v)]
    theirs = [v for v in reference.violations if not _pyshacl_misses(v)]
    assert sorted(v.key for v in ours) == sorted(v.key for v in theirs), (
        report.to_json(),
        reference.to_json(),
    )
    if len(ours) == len(report.violations):
        assert report.conforms == reference.conforms


@pytest.mark.parametrize("path", _valid_files(), ids=lambda p: p.name)
def test_every_example_conforms_and_engines_agree(path: Path, fast: Validator, oracle: Validator) -> None:
    quads = read(path)
    report = fast.validate(quads)
    assert report.conforms, json.dumps(report.to_json(), indent=1)
    assert_agree(report, oracle, quads)


@pytest.mark.parametrize(("path", "entry"), _invalid_cases())
def test_every_invalid_case_gives_its_violation(
    path: Path, entry: dict[str, Any], fast: Validator, oracle: Validator
) -> None:
    quads = read(path)
    report = fast.validate(quads)
    expected = entry["violation"]
    assert not report.conforms, entry["description"]
    primary = report.primary_violations()
    assert [(v.path and v.path.value, v.constraint_component.value) for v in primary] == [
        (expected["path"], expected["constraint"])
    ], json.dumps(report.to_json(), indent=1)
    focus = "root" if primary[0].focus_node == ROOT else "nested"
    assert focus == expected["focus"]
    assert_agree(report, oracle, quads)


def _edited(edit: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((EXAMPLES / "passports" / "lmt-ebike-nmc.json").read_text())
    edit(document)
    return document


#: name -> (edit of the LMT example, expected primary violations as (property, component, focus))
VARIANTS: dict[str, tuple[Any, set[tuple[str, str, str]]]] = {
    "mass_missing": (lambda d: d.pop("batteryMass"), {("batteryMass", "MinCount", "root")}),
    "mass_negative": (lambda d: d.update(batteryMass=-1), {("batteryMass", "MinExclusive", "root")}),
    "mass_not_a_number": (
        lambda d: d.update(batteryMass="heavy"),
        {("batteryMass", "Datatype", "root"), ("batteryMass", "MinExclusive", "root")},
    ),
    "category_unknown": (
        lambda d: d.update(batteryCategory="spaceship"),
        {("batteryCategory", "In", "root")},
    ),
    "category_twice": (
        lambda d: d.update(batteryCategory=["lmt", "portable"]),
        {("batteryCategory", "MaxCount", "root")},
    ),
    "schema_version": (lambda d: d.update(schemaVersion="one"), {("schemaVersion", "Pattern", "root")}),
    "warranty_fraction": (
        lambda d: d.update(warrantyPeriod=2.5),
        {("warrantyPeriod", "Datatype", "root"), ("warrantyPeriod", "MinInclusive", "root")},
    ),
    "carbon_footprint_stage_missing": (
        lambda d: d.update(
            carbonFootprintPerLifecycleStage=[
                s for s in d["carbonFootprintPerLifecycleStage"] if s["lifecycleStage"] != "distribution"
            ]
        ),
        {("", "Or", "root")},
    ),
    "repurposed_without_predecessor": (lambda d: d.update(batteryStatus="repurposed"), {("", "Or", "root")}),
    "ev_without_capacity_threshold": (lambda d: d.update(batteryCategory="ev"), {("", "Or", "root")}),
    "nested_unknown_property": (
        lambda d: d["operatorInformation"].update(
            {"https://w3id.org/passport-registry/battery#shoeSize": 44}
        ),
        {("shoeSize", "Closed", "nested")},
    ),
    # pySHACL accepts both of these ill-typed literals; the comparison allows for it (see STRICT_LEXICAL).
    "modified_date_without_time": (
        lambda d: d.update(lastModification="2026-03-15"),
        {("lastModification", "Datatype", "root")},
    ),
    "mass_infinite": (
        lambda d: d.update(batteryMass="INF"),
        {("batteryMass", "Datatype", "root"), ("batteryMass", "MinExclusive", "root")},
    ),
    "type_missing": (lambda d: d.pop("@type"), {("", "Class", "root")}),
    "nested_country": (
        lambda d: d["operatorInformation"]["postalAddress"].update(addressCountry="Netherlands"),
        {("addressCountry", "Pattern", "nested")},
    ),
    "nested_organisation_unidentified": (
        lambda d: [d["operatorInformation"].pop(key) for key in ("name", "identifier")],
        {("", "Or", "nested")},
    ),
    "nested_link_not_absolute": (
        lambda d: d["operatorInformation"].update(webAddress="www.voltara.example"),
        {("webAddress", "Pattern", "nested")},
    ),
    "nested_stage_not_a_number": (
        lambda d: d["carbonFootprintPerLifecycleStage"][0].update(carbonFootprint="x"),
        {("carbonFootprint", "Datatype", "nested")},
    ),
    "nested_document_url_missing": (
        lambda d: d["resultOfTestReport"][0].pop("documentURL"),
        {("documentURL", "MinCount", "nested")},
    ),
}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_invalid_variants_of_a_real_example(name: str, fast: Validator, oracle: Validator) -> None:
    edit, expected = VARIANTS[name]
    body = json.dumps(_edited(edit)).encode()
    quads = _named_root(parse(body, "application/json", ROOT.value), name)
    report = fast.validate(quads)
    assert not report.conforms
    found = {
        (
            v.path.value.rsplit("#", 1)[-1] if v.path else "",
            v.constraint_component.value.removeprefix(SH).removesuffix("ConstraintComponent"),
            "root" if v.focus_node == ROOT else "nested",
        )
        for v in report.primary_violations()
    }
    assert found == expected
    assert_agree(report, oracle, quads)
