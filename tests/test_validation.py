"""The validator on small shapes of our own: every engine against pySHACL, reports as JSON and RDF."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from passport_registry.rdf import parse
from passport_registry.validation import DEFAULT_ENGINE, Validator
from passport_registry.validation.engines import ENGINES, MAX_RESULTS

DATA = Path(__file__).parent / "data"
BPR = "https://w3id.org/passport-registry/battery#"
SH = "http://www.w3.org/ns/shacl#"
ROOT = "http://registry.test/passports/p1"
VALID = (DATA / "valid.ttl").read_text()
SHAPES = (DATA / "shapes.ttl").read_bytes()
VOCAB = (DATA / "vocab.ttl").read_bytes()

#: name -> (edited Turtle, expected (focus is root?, path, constraint component) keys)
INVALID = {
    "nested_country": (
        VALID.replace('"DE"', '"Germany"'),
        {(True, "manufacturer", "NodeConstraintComponent")},
    ),
    "missing_mass": (
        VALID.replace("bpr:batteryMass 350.5 ;", ""),
        {(True, "batteryMass", "MinCountConstraintComponent")},
    ),
    "mass_not_a_number": (
        VALID.replace("350.5", '"heavy"'),
        {
            (True, "batteryMass", "DatatypeConstraintComponent"),
            (True, "batteryMass", "MinInclusiveConstraintComponent"),
        },
    ),
    "category_unknown": (
        VALID.replace("category\\/ev", "category\\/xx"),
        {
            (True, "batteryCategory", "ClassConstraintComponent"),
            (True, "batteryCategory", "InConstraintComponent"),
        },
    ),
    "version_not_listed": (VALID.replace('"1.1"', '"1.3"'), {(True, "dataVersion", "InConstraintComponent")}),
    "id_pattern": (
        VALID.replace("BAT-0001", "bat 1"),
        {(True, "productIdentifier", "PatternConstraintComponent")},
    ),
}


@pytest.fixture(scope="module", params=sorted(ENGINES))
def validator(request: pytest.FixtureRequest) -> Validator:
    return Validator.from_documents(SHAPES, VOCAB, engine=request.param)


@pytest.fixture(scope="module")
def oracle() -> Validator:
    return Validator.from_documents(SHAPES, VOCAB, engine="pyshacl")


def quads(turtle: str) -> list[pyoxigraph.Quad]:
    return parse(turtle.encode(), "text/turtle", ROOT)


def test_valid_data_conforms(validator: Validator) -> None:
    report = validator.validate(quads(VALID))
    assert report.conforms, report.to_json()
    assert report.violations == []


@pytest.mark.parametrize("name", sorted(INVALID))
def test_each_invalid_variant_gives_its_violations(
    validator: Validator, oracle: Validator, name: str
) -> None:
    turtle, expected = INVALID[name]
    report = validator.validate(quads(turtle))
    assert not report.conforms
    found = {
        (
            v.focus_node.value == ROOT,
            v.path.value.removeprefix(BPR) if v.path else None,
            v.constraint_component.value.removeprefix(SH),
        )
        for v in report.violations
    }
    assert found == expected
    reference = oracle.validate(quads(turtle)).violations
    assert sorted(v.key for v in report.violations) == sorted(v.key for v in reference)


def test_a_session_engine_forgets_the_previous_graph(validator: Validator) -> None:
    # pyrudof keeps loaded documents between calls unless reset: an invalid graph must not leak.
    assert not validator.validate(quads(INVALID["missing_mass"][0])).conforms
    assert validator.validate(quads(VALID)).conforms


def test_a_blank_focus_node_is_keyed_without_its_label(validator: Validator) -> None:
    data = quads(VALID.replace('"ACME Cells" ;', '"ACME Cells" ; bpr:address [ bpr:country "FR" ] ;'))
    report = validator.validate(data)
    (violation,) = report.violations
    assert violation.constraint_component.value == SH + "NodeConstraintComponent"
    assert isinstance(violation.value, pyoxigraph.BlankNode)
    assert violation.key == (ROOT, BPR + "manufacturer", SH + "NodeConstraintComponent")


def test_the_report_graph_is_a_shacl_validation_report(oracle: Validator) -> None:
    validator = Validator.from_documents(SHAPES, VOCAB, engine=DEFAULT_ENGINE)
    report = validator.validate(quads(INVALID["version_not_listed"][0]))
    graph = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    expected = rdflib.Graph().parse(
        data=f"""
        @prefix sh: <{SH}> .
        [] a sh:ValidationReport ; sh:conforms false ;
           sh:result [ a sh:ValidationResult ; sh:focusNode <{ROOT}> ; sh:resultPath <{BPR}dataVersion> ;
                       sh:resultSeverity sh:Violation ;
                       sh:sourceConstraintComponent sh:InConstraintComponent ;
                       sh:sourceShape ?shape ; sh:value "1.3" ] .
        """.replace("?shape", report.violations[0].source_shape.__str__()),
        format="turtle",
    )
    assert isomorphic(graph, expected)


def test_the_json_report_names_every_field() -> None:
    validator = Validator.from_documents(SHAPES, VOCAB)
    body = validator.validate(quads(INVALID["missing_mass"][0])).to_json()
    assert body["conforms"] is False
    (violation,) = body["violations"]
    assert violation["focusNode"] == ROOT
    assert violation["path"] == BPR + "batteryMass"
    assert violation["message"] == "Battery mass in kg: one non-negative decimal."
    assert violation["severity"] == "Violation"
    assert violation["constraintComponent"] == SH + "MinCountConstraintComponent"
    assert violation["value"] is None


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        Validator("", engine="nope")


def test_subclasses_from_the_ontology_reach_class_targets() -> None:
    ontology = f"""
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        <urn:x:EvPassport> rdfs:subClassOf <{BPR}BatteryPassport> ; rdfs:label "EV passport" .
        <{BPR}batteryMass> a owl:DatatypeProperty .
    """.encode()
    validator = Validator.from_documents(SHAPES, VOCAB, ontology)
    data = INVALID["missing_mass"][0].replace("a bpr:BatteryPassport", "a <urn:x:EvPassport>")
    assert [v.key for v in validator.validate(quads(data)).violations] == [
        (ROOT, BPR + "batteryMass", SH + "MinCountConstraintComponent")
    ]
    assert Validator.from_documents(SHAPES, VOCAB).validate(quads(data)).conforms


def test_primary_violations_drop_the_sh_node_results_above_a_nested_one(validator: Validator) -> None:
    # Like the passport shapes: every nested shape also targets the nodes it describes.
    targeted = (
        SHAPES
        + b"""
        s:OrganisationShape sh:targetObjectsOf bpr:manufacturer .
        s:AddressShape sh:targetObjectsOf bpr:address .
    """
    )
    nested = Validator.from_documents(targeted, VOCAB, engine=validator.engine.name)
    report = nested.validate(quads(INVALID["nested_country"][0]))
    components = sorted(v.constraint_component.value.removeprefix(SH) for v in report.violations)
    assert components == ["NodeConstraintComponent", "NodeConstraintComponent", "PatternConstraintComponent"]
    (primary,) = report.primary_violations()
    assert primary.path == pyoxigraph.NamedNode(BPR + "country")
    assert isinstance(primary.focus_node, pyoxigraph.BlankNode)
    steps = [BPR + "manufacturer", BPR + "address"]
    assert [step.value for step in report.focus_path(primary)] == steps
    (reported,) = [v for v in report.to_json()["violations"] if v["path"] == BPR + "country"]
    assert reported["focusPath"] == steps


def test_a_sh_node_result_without_a_nested_one_is_primary(validator: Validator) -> None:
    report = validator.validate(quads(INVALID["nested_country"][0]))
    assert report.primary_violations() == report.violations


def test_regression_json_number_as_double_lexical_is_not_a_decimal(validator: Validator) -> None:
    # What pyld and pyoxigraph make of `"batteryMass": 350.5` under an xsd:decimal coercion. The engines
    # disagree on it (shacl, pyrudof and shacl-rust call it ill-typed, as XSD does; pySHACL and
    # pyshacl-turbo accept it), so rdf.parse rewrites it and every engine then sees the same valid value.
    turtle = VALID.replace("350.5", '"3.505E2"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    raw = list(pyoxigraph.parse(turtle, pyoxigraph.RdfFormat.TURTLE))
    if validator.engine.name == DEFAULT_ENGINE:
        assert (BPR + "batteryMass", SH + "DatatypeConstraintComponent") in {
            v.key[1:] for v in validator.validate(raw).violations
        }
    assert validator.validate(quads(turtle)).conforms


def test_a_systematically_wrong_graph_stops_at_the_result_limit() -> None:
    validator = Validator.from_documents(SHAPES, VOCAB)
    passport = pyoxigraph.NamedNode(BPR + "BatteryPassport")
    rdf_type = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    data = [pyoxigraph.Quad(pyoxigraph.NamedNode(f"urn:x:p{i}"), rdf_type, passport) for i in range(2000)]
    report = validator.validate(data)
    assert not report.conforms
    assert len(report.violations) == MAX_RESULTS


def test_one_validator_serves_concurrent_callers(validator: Validator) -> None:
    graphs = [quads(VALID), quads(INVALID["missing_mass"][0])] * 8
    with ThreadPoolExecutor(max_workers=4) as pool:
        verdicts = list(pool.map(lambda data: validator.validate(data).conforms, graphs))
    assert verdicts == [True, False] * 8
