"""SHACL -> JSON Schema mapping rules on a small fixture shapes graph and context; pySHACL is the oracle."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from jsonschema import Draft202012Validator
from pyshacl import validate as shacl_validate
from rdflib import Graph

from passport_registry.errors import UnprocessableInput
from passport_registry.json_schema import generate_schema, main, render
from passport_registry.json_schema.decimals import DECIMAL_PATTERN, bound_pattern

FIXTURES = Path(__file__).parent / "fixtures" / "jsonschema"
SHAPES = (FIXTURES / "shapes.ttl").read_text(encoding="utf-8")
CONTEXT = json.loads((FIXTURES / "context.jsonld").read_text(encoding="utf-8"))
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DECIMAL = XSD + "decimal"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return generate_schema(SHAPES, CONTEXT)


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    return Graph().parse(data=SHAPES, format="turtle")


def passport_props(schema: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = schema["$defs"]["BatteryPassportShape"]["properties"]
    return props


# --- (c) mapping rules, one fragment each ------------------------------------------------------------


def test_min_count_and_has_value_make_a_key_required(schema: dict[str, Any]) -> None:
    assert schema["$defs"]["BatteryPassportShape"]["required"] == [
        "batteryCategory",
        "batteryIdentifier",
        "labels",
        "manufacturer",
    ]


def test_string_lengths_pattern_and_name(schema: dict[str, Any]) -> None:
    assert passport_props(schema)["batteryIdentifier"] == {
        "type": "string",
        "minLength": 3,
        "maxLength": 64,
        "pattern": "^[A-Z0-9-]+$",
        "title": "battery identifier",
    }


def test_vocab_values_become_short_codes(schema: dict[str, Any]) -> None:
    props = passport_props(schema)
    assert props["batteryCategory"] == {"enum": ["ev", "lmt", "industrial", "portable"]}  # scoped @vocab
    assert props["batteryStatus"] == {
        "enum": ["original", "repurposed", "re-used", "remanufactured", "waste"]  # context terms
    }


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "ratedCapacity",  # a decimal: a string, its bound a pattern
            {
                "type": "string",
                "pattern": bound_pattern(Decimal(0), lower=True, inclusive=False),
                "allOf": [{"pattern": DECIMAL_PATTERN}],
            },
        ),
        ("expectedLifetimeCycles", {"type": "integer", "minimum": 0, "maximum": 100000}),
        ("warrantyEnd", {"type": "string", "format": "date"}),
        ("lastUpdate", {"type": "string", "format": "date-time"}),
        ("declarationOfConformity", {"type": "string", "format": "uri"}),
    ],
)
def test_datatypes_and_bounds(schema: dict[str, Any], key: str, expected: dict[str, Any]) -> None:
    assert passport_props(schema)[key] == expected


def test_boolean_without_coercion_is_native(schema: dict[str, Any]) -> None:
    assert passport_props(schema)["containsCriticalRawMaterials"] == {"type": "boolean"}


def test_sh_node_refers_to_the_shape_definition(schema: dict[str, Any]) -> None:
    assert passport_props(schema)["manufacturer"] == {"$ref": "#/$defs/OrganisationShape", "type": "object"}


def test_sh_class_needs_the_type_and_applies_the_shape_targeting_it(schema: dict[str, Any]) -> None:
    items = passport_props(schema)["hazardousSubstances"]["items"]
    assert items["$ref"] == "#/$defs/HazardousSubstanceShape"
    assert items["required"] == ["@type"]
    assert "HazardousSubstance" in items["properties"]["@type"]["anyOf"][0]["enum"]


def test_set_container_is_an_array_bounded_by_max_count(schema: dict[str, Any]) -> None:
    substances = passport_props(schema)["hazardousSubstances"]
    assert (substances["type"], substances["maxItems"]) == ("array", 3)


def test_id_coerced_iri_values_are_strings(schema: dict[str, Any]) -> None:
    assert passport_props(schema)["predecessors"] == {"type": "array", "items": {"type": "string"}}


def test_has_value_on_a_set_is_contains(schema: dict[str, Any]) -> None:
    assert passport_props(schema)["labels"]["contains"] == {"const": "CE"}


def test_max_count_zero_forbids_the_key(schema: dict[str, Any]) -> None:
    assert passport_props(schema)["legacyNote"] is False


def test_closed_shape_lists_the_allowed_keys(schema: dict[str, Any]) -> None:
    organisation = schema["$defs"]["OrganisationShape"]
    assert organisation["propertyNames"] == {"enum": ["@context", "@id", "@type", "country", "name"]}


def test_closed_shape_without_ignored_type_refuses_at_type() -> None:
    closed = "ex:Closed a sh:NodeShape ; sh:closed true ; sh:property [ sh:path bpr:p ] ."
    _, schema = one_property("sh:maxCount 1 ; sh:node ex:Closed", extra=closed)
    assert schema["$defs"]["Closed"]["propertyNames"] == {"enum": ["@context", "@id", "p"]}


def test_qualified_value_shape_is_contains_with_counts(schema: dict[str, Any]) -> None:
    stages = schema["$defs"]["CarbonFootprintShape"]["properties"]["lifecycleStages"]
    assert (stages["minContains"], stages["maxContains"]) == (1, 1)
    assert stages["items"] == {"$ref": "#/$defs/StageShape", "type": "object"}


def test_xone_is_one_of(schema: dict[str, Any]) -> None:
    assert len(schema["$defs"]["StageShape"]["oneOf"]) == 2


def test_or_with_a_negated_condition_reads_as_if_then(schema: dict[str, Any]) -> None:
    rule = schema["$defs"]["PredecessorRuleShape"]
    assert rule["if"]["required"] == ["batteryStatus"]
    assert rule["then"]["required"] == ["predecessors"]


def test_or_of_an_exemption_and_a_requirement_reads_as_if_else(schema: dict[str, Any]) -> None:
    carbon = schema["$defs"]["BatteryPassportShape"]
    assert carbon["else"]["required"] == ["carbonFootprint"]
    assert carbon["if"]["properties"]["batteryCategory"]["anyOf"][0]["enum"] == ["portable"]


def test_shapes_on_one_path_merge_counts_and_value_constraints(schema: dict[str, Any]) -> None:
    assert "allOf" not in passport_props(schema)["batteryIdentifier"]


def test_sequence_path_nests_the_value_constraint(schema: dict[str, Any]) -> None:
    node_ref, sequence = passport_props(schema)["remainingCapacity"]["allOf"]
    assert node_ref == {"$ref": "#/$defs/TimestampedValueShape", "type": "object"}
    one_object, array_of_objects = sequence["anyOf"]
    at_most_1000 = bound_pattern(Decimal(1000), lower=False, inclusive=True)
    assert one_object["properties"]["value"]["anyOf"][0]["pattern"] == at_most_1000
    assert array_of_objects["items"] == {"properties": one_object["properties"]}


def test_target_objects_of_applies_the_shape_to_that_keys_values(schema: dict[str, Any]) -> None:
    assert "TimestampedValueShape" not in schema.get("$comment", "")
    assert "TimestampedValueShape" in schema["$defs"]


def test_language_container_is_a_language_map(schema: dict[str, Any]) -> None:
    meaning = passport_props(schema)["labelingMeaning"]
    assert meaning["type"] == "object"
    assert meaning["propertyNames"] == {"enum": ["de", "en"]}


def test_root_applies_every_shape_targeting_the_passport_class(schema: dict[str, Any]) -> None:
    assert schema["allOf"] == [
        {"$ref": "#/$defs/BatteryPassportShape"},
        {"$ref": "#/$defs/PredecessorRuleShape"},
    ]
    assert schema["required"] == ["@type"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_inexpressible_constraints_are_named_where_they_apply_and_at_the_top(schema: dict[str, Any]) -> None:
    assert "sh:lessThanOrEquals warrantyEnd" in passport_props(schema)["manufacturingDate"]["$comment"]
    assert "manufacturingDate: sh:lessThanOrEquals warrantyEnd" in schema["$comment"]


def test_keys_spelled_as_iris_of_constrained_namespaces_are_refused(schema: dict[str, Any]) -> None:
    guard = {"not": {"pattern": "^(bpr:|https:\\/\\/w3id\\.org\\/passport-registry\\/battery#)"}}
    assert schema["propertyNames"] == guard
    assert schema["$defs"]["CarbonFootprintShape"]["propertyNames"] == guard


def test_uncoerced_decimal_is_flagged() -> None:
    shapes = SHAPES.replace("sh:path bpr:ratedCapacity", "sh:path bpr:uncoercedCapacity")
    schema = generate_schema(shapes, CONTEXT)
    assert "bpr:uncoercedCapacity: key not coerced" in schema["$comment"]


def test_schema_is_itself_valid_draft_2020_12(schema: dict[str, Any]) -> None:
    Draft202012Validator.check_schema(schema)


def test_output_is_byte_stable_whatever_the_triple_order(shapes_graph: Graph) -> None:
    lines = shapes_graph.serialize(format="nt").splitlines()
    random.Random(7).shuffle(lines)
    shuffled = Graph().parse(data="\n".join(lines), format="nt").serialize(format="turtle")
    assert render(generate_schema(shuffled, CONTEXT)) == render(generate_schema(SHAPES, CONTEXT))


def test_no_root_shape_is_an_error() -> None:
    with pytest.raises(UnprocessableInput, match="no shape targets"):
        generate_schema(SHAPES, CONTEXT, root_class="https://example.org/Nothing")


def test_invalid_turtle_is_an_error() -> None:
    with pytest.raises(UnprocessableInput, match="not valid Turtle"):
        generate_schema("this is not turtle", CONTEXT)


def test_module_entry_writes_and_checks(tmp_path: Path) -> None:
    shapes, context, out = tmp_path / "s.ttl", tmp_path / "c.jsonld", tmp_path / "out.json"
    shapes.write_text(SHAPES, encoding="utf-8")
    context.write_text(json.dumps(CONTEXT), encoding="utf-8")
    args = ["--shapes", str(shapes), "--context", str(context), "-o", str(out)]
    assert main([*args, "--check"]) == 1
    assert main(args) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == generate_schema(SHAPES, CONTEXT)
    assert main([*args, "--check"]) == 0


@pytest.mark.parametrize(
    "argv",
    [["--shapes", "/no/such/shapes.ttl"], ["-o", "/no/such/folder/schema.json"]],
    ids=["missing shapes", "missing output folder"],
)
def test_module_entry_reports_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err.startswith("error: ")


# --- the generated schema and pySHACL give the same verdict on plain JSON documents ----------------------

VALID: dict[str, Any] = {
    "@context": CONTEXT["@context"],
    "@id": "https://registry.example/passports/1",
    "@type": "BatteryPassport",
    "batteryIdentifier": "BAT-0001",
    "batteryCategory": "ev",
    "batteryStatus": "original",
    "ratedCapacity": "50",
    "expectedLifetimeCycles": 3000,
    "manufacturingDate": "2025-01-31",
    "warrantyEnd": "2030-01-31",
    "lastUpdate": "2025-02-01T10:00:00Z",
    "declarationOfConformity": "https://example.org/doc.pdf",
    "containsCriticalRawMaterials": True,
    "manufacturer": {"name": "Cells Inc.", "country": "DE"},
    "hazardousSubstances": [{"@type": "HazardousSubstance", "casNumber": "7439-92-1"}],
    "carbonFootprint": {
        "value": "61",
        "unit": "kg CO2e/kWh",
        "lifecycleStages": [{"stage": "production", "value": "40"}, {"stage": "end of life", "value": "2"}],
    },
    "labels": ["CE", "separate collection"],
    "remainingCapacity": {"value": "48", "lastUpdate": "2025-02-01T10:00:00Z"},
    "labelingMeaning": {"en": "Collect separately", "de": ["Getrennt sammeln"]},
}

Edit = Callable[[dict[str, Any]], None]


def _set(key: str, value: Any) -> Edit:
    return lambda doc: doc.__setitem__(key, value)


def _drop(key: str) -> Edit:
    return lambda doc: doc.pop(key)


def _nested(key: str, inner: str, value: Any) -> Edit:
    return lambda doc: doc[key].__setitem__(inner, value)


CASES: list[tuple[str, list[Edit], bool]] = [
    ("valid", [], True),
    ("minimal portable", [_set("batteryCategory", "portable"), _drop("carbonFootprint")], True),
    ("missing identifier", [_drop("batteryIdentifier")], False),
    ("identifier too short", [_set("batteryIdentifier", "AB")], False),
    ("identifier pattern", [_set("batteryIdentifier", "bat 1")], False),
    ("unknown category", [_set("batteryCategory", "toy")], False),
    ("two categories", [_set("batteryCategory", ["ev", "lmt"])], False),
    ("capacity zero", [_set("ratedCapacity", "0")], False),
    ("capacity with zeros only", [_set("ratedCapacity", "-0.000")], False),
    ("capacity just above zero", [_set("ratedCapacity", "+0.001")], True),
    ("cycles too many", [_set("expectedLifetimeCycles", 100001)], False),
    ("cycles not integer", [_set("expectedLifetimeCycles", "many")], False),
    (
        "bad date",
        [_drop("manufacturingDate"), _set("warrantyEnd", "2030-02-30")],
        False,
    ),  # no pair to compare
    ("bad date-time", [_set("lastUpdate", "yesterday")], False),
    ("boolean as string", [_set("containsCriticalRawMaterials", "yes")], False),
    ("manufacturer missing name", [_set("manufacturer", {"country": "DE"})], False),
    ("manufacturer closed", [_nested("manufacturer", "casNumber", "1-11-1")], False),
    ("country pattern", [_nested("manufacturer", "country", "Germany")], False),
    ("substance without type", [_set("hazardousSubstances", [{"casNumber": "7439-92-1"}])], False),
    (
        "substance bad cas",
        [_set("hazardousSubstances", [{"@type": "HazardousSubstance", "casNumber": "x"}])],
        False,
    ),
    (
        "too many substances",
        [
            _set(
                "hazardousSubstances",
                [{"@type": "HazardousSubstance", "casNumber": f"{i}-11-1"} for i in range(4)],
            )
        ],
        False,
    ),
    ("ev without carbon footprint", [_drop("carbonFootprint")], False),
    ("footprint missing value", [lambda d: d["carbonFootprint"].pop("value")], False),
    ("footprint unit", [_nested("carbonFootprint", "unit", "g")], False),
    (
        "no production stage",
        [_nested("carbonFootprint", "lifecycleStages", [{"stage": "raw material", "value": "1"}])],
        False,
    ),
    (
        "two production stages",
        [
            _nested(
                "carbonFootprint",
                "lifecycleStages",
                [{"stage": "production", "value": "1"}, {"stage": "production", "value": "2"}],
            )
        ],
        False,
    ),
    (
        "stage in both groups",
        [
            _nested(
                "carbonFootprint",
                "lifecycleStages",
                [{"stage": ["production", "distribution"], "value": "1"}],
            )
        ],
        False,
    ),
    ("repurposed without predecessor", [_set("batteryStatus", "repurposed")], False),
    (
        "repurposed with predecessor",
        [_set("batteryStatus", "repurposed"), _set("predecessors", ["https://registry.example/passports/0"])],
        True,
    ),
    ("labels without CE", [_set("labels", ["separate collection"])], False),
    ("no labels at all (sh:hasValue needs a value)", [_drop("labels")], False),
    (
        "no stages at all (qualified minimum 1)",
        [lambda d: d["carbonFootprint"].pop("lifecycleStages")],
        False,
    ),
    ("forbidden legacy key", [_set("legacyNote", "old")], False),
    ("unknown key is ignored by both", [_set("colour", "blue")], True),
    ("capacity over range", [_nested("remainingCapacity", "value", "1001")], False),
    ("capacity at the top of its range", [_nested("remainingCapacity", "value", "1000.000")], True),
    ("capacity without time", [lambda d: d["remainingCapacity"].pop("lastUpdate")], False),
    (
        "capacity as array",
        [_set("remainingCapacity", [{"value": "1001", "lastUpdate": "2025-02-01T10:00:00Z"}])],
        False,
    ),
    ("compact IRI key dodging the term", [_set("bpr:ratedCapacity", "lots")], False),
    (
        "full IRI key in a nested object",
        [_nested("manufacturer", "https://w3id.org/passport-registry/battery#country", "Germany")],
        False,
    ),
    ("meaning in french", [_set("labelingMeaning", {"fr": "Collecte séparée"})], False),
    ("meaning without language", [_set("labelingMeaning", "Collect separately")], False),
]


def shacl_conforms(document: dict[str, Any], shapes: Graph) -> bool:
    """pySHACL's verdict on `document` parsed as JSON-LD (JSON numbers for decimals normalised first)."""
    quads = []
    for quad in ox.parse(json.dumps(document).encode(), format=ox.RdfFormat.JSON_LD):
        obj = quad.object
        if isinstance(obj, ox.Literal) and obj.datatype.value == XSD_DECIMAL and "E" in obj.value:
            normal = format(Decimal(obj.value).normalize(), "f")
            obj = ox.Literal(normal, datatype=ox.NamedNode(XSD_DECIMAL))
        quads.append(ox.Quad(quad.subject, quad.predicate, obj))
    data = Graph().parse(data=ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    conforms, _, _ = shacl_validate(data, shacl_graph=shapes)
    return bool(conforms)


@pytest.mark.parametrize(("edits", "valid"), [(e, v) for _, e, v in CASES], ids=[n for n, _, _ in CASES])
def test_json_schema_and_shacl_agree(
    schema: dict[str, Any], shapes_graph: Graph, edits: list[Edit], valid: bool
) -> None:
    document = copy.deepcopy(VALID)
    for edit in edits:
        edit(document)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = [e.message for e in validator.iter_errors(document)]
    assert shacl_conforms(document, shapes_graph) is valid
    assert (not errors) is valid, errors


def test_dates_out_of_order_are_the_documented_gap(schema: dict[str, Any], shapes_graph: Graph) -> None:
    document = copy.deepcopy(VALID) | {"warrantyEnd": "2020-01-01"}
    assert not shacl_conforms(document, shapes_graph)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert validator.is_valid(document)  # sh:lessThanOrEquals has no JSON Schema equivalent


# --- single rules on a one-property shapes graph --------------------------------------------------------

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix bpr: <https://w3id.org/passport-registry/battery#> . @prefix ex: <https://example.org/> .
"""


def one_property(constraints: str, term: Any = "bpr:p", extra: str = "") -> tuple[Any, dict[str, Any]]:
    """The schema of key "p" when the passport shape has one property shape on bpr:p with `constraints`."""
    shapes = f"""{PREFIXES}
    ex:Root a sh:NodeShape ; sh:targetClass bpr:BatteryPassport ;
        sh:property [ sh:path bpr:p ; {constraints} ] .
    {extra}"""
    context = {"@context": {"bpr": "https://w3id.org/passport-registry/battery#", "xsd": XSD, "p": term}}
    schema = generate_schema(shapes, context)
    return schema["$defs"]["Root"]["properties"]["p"], schema


IRI_NODE = {"type": "object", "required": ["@id"]}


@pytest.mark.parametrize(
    ("constraints", "term", "expected"),
    [
        ("sh:nodeKind sh:IRI", "bpr:p", {"anyOf": [IRI_NODE, {"type": "array", "items": IRI_NODE}]}),
        ("sh:nodeKind sh:IRI ; sh:maxCount 1", {"@id": "bpr:p", "@type": "@id"}, {"type": "string"}),
        ("sh:nodeKind sh:Literal ; sh:maxCount 1", "bpr:p", {"type": ["string", "number", "boolean"]}),
        (
            "sh:and ( [ sh:minInclusive 1 ] [ sh:maxInclusive 2 ] ) ; sh:maxCount 1",
            "bpr:p",
            {"allOf": [{"maximum": 2}, {"minimum": 1}]},  # allOf is order-free, so sorted
        ),
        ("sh:minCount 2", "bpr:p", {"type": "array", "items": {}, "minItems": 2}),
        ("sh:hasValue 3 ; sh:maxCount 1", "bpr:p", {"const": 3}),
        (
            "sh:hasValue 2.50 ; sh:maxCount 1",
            {"@id": "bpr:p", "@type": "xsd:decimal"},
            {"const": "2.5"},  # a decimal under its coercion: a string, in the form the registry writes
        ),
        (
            "sh:datatype xsd:decimal ; sh:maxInclusive -0.5 ; sh:maxCount 1",
            {"@id": "bpr:p", "@type": "xsd:decimal"},
            {
                "type": "string",
                "pattern": bound_pattern(Decimal("-0.5"), lower=False, inclusive=True),
                "allOf": [{"pattern": DECIMAL_PATTERN}],
            },
        ),
        (
            "sh:datatype xsd:integer ; sh:minInclusive 0 ; sh:maxCount 1",
            {"@id": "bpr:p", "@type": "xsd:integer"},
            {"type": "integer", "minimum": 0},  # integers stay JSON numbers
        ),
        (
            "sh:datatype xsd:nonNegativeInteger ; sh:maxCount 1",
            {"@id": "bpr:p", "@type": "xsd:nonNegativeInteger"},
            {"type": "integer", "minimum": 0},
        ),
    ],
)
def test_single_rules(constraints: str, term: Any, expected: dict[str, Any]) -> None:
    assert one_property(constraints, term)[0] == expected


def test_deactivated_shapes_are_left_out() -> None:
    with pytest.raises(KeyError):
        one_property("sh:deactivated true ; sh:minCount 1")


@pytest.mark.parametrize(
    ("constraints", "term", "extra", "note"),
    [
        ('sh:pattern "^a" ; sh:flags "i"', "bpr:p", "", "sh:flags i on sh:pattern"),
        ("sh:datatype xsd:date", {"@id": "bpr:p", "@type": "xsd:dateTime"}, "", "context coerces to"),
        ("sh:datatype xsd:gMonth", {"@id": "bpr:p", "@type": "xsd:gMonth"}, "", "lexical form of"),
        ("sh:class bpr:Thing", {"@id": "bpr:p", "@type": "@id"}, "", "the type of a referenced IRI"),
        ("sh:equals bpr:q", "bpr:p", "", "sh:equals bpr:q compares two properties"),
        ('sh:pattern "^a"', {"@id": "bpr:p", "@type": "@vocab"}, "", "applies to the expanded IRI"),
        ("sh:minCount 1", "bpr:p", "ex:S a sh:NodeShape ; sh:targetNode ex:n .", "sh:targetNode targets"),
        (
            "sh:datatype <http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>",
            "bpr:p",
            "",
            "needs a language",
        ),
        ("sh:fooBar 1", "bpr:p", "", "sh:fooBar is not translated"),
        (
            "sh:node ex:N",
            {"@id": "bpr:p", "@type": "@id"},
            "ex:N a sh:NodeShape ; sh:property [ sh:path bpr:q ; sh:minCount 1 ] .",
            "p -> N: properties of a node given by its IRI are not checked",
        ),
        ("sh:maxCount 1 ; sh:severity sh:Warning", "bpr:p", "", "[p]: sh:severity sh:Warning is checked as"),
    ],
)
def test_gaps_are_noted(constraints: str, term: Any, extra: str, note: str) -> None:
    _, schema = one_property(constraints, term, extra)
    assert note in schema["$comment"]


def test_counts_along_a_sequence_path_are_noted() -> None:
    shapes = f"""{PREFIXES}
    ex:Root a sh:NodeShape ; sh:targetClass bpr:BatteryPassport ;
        sh:property [ sh:path ( bpr:p bpr:q ) ; sh:minCount 1 ; sh:maxInclusive 5 ] ."""
    context = {"@context": {"bpr": "https://w3id.org/passport-registry/battery#", "p": "bpr:p", "q": "bpr:q"}}
    schema = generate_schema(shapes, context)
    assert "p/q: sh:minCount along a sequence path" in schema["$comment"]
    assert "maximum" in json.dumps(schema["$defs"]["Root"]["properties"]["p"])


def test_target_subjects_of_applies_when_the_key_is_present() -> None:
    extra = (
        "ex:T a sh:NodeShape ; sh:targetSubjectsOf bpr:p ; sh:property [ sh:path bpr:q ; sh:minCount 1 ] ."
    )
    _, schema = one_property("sh:maxCount 1", extra=extra)
    assert {"if": {"required": ["p"]}, "then": {"$ref": "#/$defs/T"}} in schema["allOf"]
    validator = Draft202012Validator(schema)
    assert validator.is_valid({"@type": "bpr:BatteryPassport"})
    assert not validator.is_valid({"@type": "bpr:BatteryPassport", "p": 1})
    assert "$comment" not in schema  # no other object shape could carry "p"
