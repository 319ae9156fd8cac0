"""The ontology, vocabularies and shapes parse, carry their annotations and cover DIN attributes 1..93."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from passport_registry import resources

FIXTURES = Path(__file__).parent / "fixtures"
BPR = rdflib.Namespace(resources.BPR)
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
GROUP_OF_ACCESS = {
    "PUBLIC": BPR.PublicAccess,
    "LI+COM": BPR.LegitimateInterestAndCommissionAccess,
    "AUTH": BPR.AuthoritiesAccess,
    "LI": BPR.LegitimateInterestAccess,
    "LI (item)": BPR.LegitimateInterestAccess,
}
UCUM_OF_DIN_UNIT = {
    "kg": "kg",
    "kgCO2e/kWh": "kg/(kW.h)",
    "%": "%",
    "[tCO2e]": "t",
    "Ah": "A.h",
    "kWh": "kW.h",
    "V": "V",
    "W": "W",
    "W/Wh": "W/(W.h)",
    "%/month": "%/mo",
    "Ohm": "Ohm",
    "years": "a",
    "A/Ah": "A/(A.h)",
    "°C": "Cel",
    "Minutes": "min",
}


def annex_rows() -> Iterator[dict[str, str]]:
    """The rows of §5.2 of the attribute summary: number, clause, name, access, S/D, unit."""
    text = (FIXTURES / "annex-xiii-attributes.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 6 and cells[0].isdigit():
            yield {
                "din": cells[0],
                "clause": cells[1],
                "name": cells[2],
                "access": cells[3],
                "sd": cells[4],
                "unit": cells[5],
                "battery_pass": cells[7],
            }


@pytest.fixture(scope="module")
def rows() -> dict[int, dict[str, str]]:
    table = {int(r["din"]): r for r in annex_rows()}
    assert sorted(table) == list(range(1, 94))
    return table


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.ontology_bytes(), format="turtle")


@pytest.fixture(scope="module")
def vocabularies() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.vocabularies_bytes(), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(data=resources.shapes_bytes(), format="turtle")


def properties(ontology: rdflib.Graph) -> set[rdflib.URIRef]:
    found = set(ontology.subjects(RDF.type, OWL.ObjectProperty)) | set(
        ontology.subjects(RDF.type, OWL.DatatypeProperty)
    )
    return {p for p in found if isinstance(p, rdflib.URIRef)}


def root_properties(ontology: rdflib.Graph) -> set[rdflib.URIRef]:
    return {p for p in properties(ontology) if (p, RDFS.domain, BPR.BatteryPassport) in ontology}


def din_properties(ontology: rdflib.Graph) -> dict[int, list[rdflib.URIRef]]:
    found: dict[int, list[rdflib.URIRef]] = {}
    for p, din in ontology.subject_objects(BPR.dinAttribute):
        assert isinstance(p, rdflib.URIRef)
        found.setdefault(int(din), []).append(p)
    return found


@pytest.mark.parametrize(
    "data", [resources.ontology_bytes, resources.vocabularies_bytes, resources.shapes_bytes]
)
def test_turtle_parses_alike_in_rdflib_and_pyoxigraph(data) -> None:  # type: ignore[no-untyped-def]
    body = data()
    from_rdflib = rdflib.Graph().parse(data=body, format="turtle")
    from_oxigraph = list(ox.parse(body, format=ox.RdfFormat.TURTLE))
    assert len(from_rdflib) > 100
    assert len(from_oxigraph) == len(from_rdflib)


def test_every_din_attribute_sits_on_exactly_one_property(ontology: rdflib.Graph) -> None:
    found = din_properties(ontology)
    assert sorted(found) == list(range(1, 94))
    assert {din: len(props) for din, props in found.items() if len(props) != 1} == {}


def test_din_annotations_agree_with_the_attribute_table(
    ontology: rdflib.Graph, rows: dict[int, dict[str, str]]
) -> None:
    for din, (prop,) in sorted(din_properties(ontology).items()):
        row = rows[din]
        assert ontology.value(prop, BPR.accessGroup) == GROUP_OF_ACCESS[row["access"]], (din, prop)
        expected_kind = BPR.Static if row["sd"] == "S" else BPR.Dynamic
        assert ontology.value(prop, BPR.dataKind) == expected_kind, (din, prop)
        clause = str(ontology.value(prop, BPR.dinClause))
        assert row["clause"] in clause or clause.startswith(row["clause"].rsplit(".", 1)[0]), (din, clause)
        carries_unit_itself = (prop, RDF.type, OWL.DatatypeProperty) in ontology or (
            ontology.value(prop, RDFS.range) == BPR.TimestampedValue
        )
        if row["unit"] in UCUM_OF_DIN_UNIT and carries_unit_itself:
            assert str(ontology.value(prop, BPR.ucumCode)) == UCUM_OF_DIN_UNIT[row["unit"]], (din, prop)


def test_each_din_property_maps_to_the_battery_pass_element_the_table_names(
    ontology: rdflib.Graph, rows: dict[int, dict[str, str]]
) -> None:
    checked = 0
    for din, (prop,) in sorted(din_properties(ontology).items()):
        path = re.search(r"`([^`]+)`", rows[din]["battery_pass"])
        if path is None:  # DIN 26 and 84: no Battery Pass element
            continue
        element = re.sub(r"\[\]", "", path.group(1)).split(".")[-1].lstrip("…")
        names = {str(m).rsplit("#", 1)[-1] for m in ontology.objects(prop, SKOS.exactMatch)}
        assert element in names, (din, prop, element)
        checked += 1
    assert checked == 91


def test_several_din_numbers_share_a_property_only_for_the_lifecycle_stage_list(
    ontology: rdflib.Graph,
) -> None:
    shared = {p: sorted(int(d) for d in ontology.objects(p, BPR.dinAttribute)) for p in properties(ontology)}
    assert {str(p): d for p, d in shared.items() if len(d) > 1} == {
        str(BPR.carbonFootprintPerLifecycleStage): [20, 21, 22, 23]
    }


def test_every_property_and_class_is_labelled_described_and_typed(ontology: rdflib.Graph) -> None:
    classes = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}
    assert len(classes) > 15
    for term in properties(ontology) | classes:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term
        assert ontology.value(term, RDFS.isDefinedBy) == rdflib.URIRef(resources.ONTOLOGY_IRI), term
    for p in properties(ontology):
        assert ontology.value(p, RDFS.domain) is not None, p
        assert ontology.value(p, RDFS.range) is not None, p


def test_every_root_property_carries_the_required_annotations(ontology: rdflib.Graph) -> None:
    roots = root_properties(ontology)
    assert len(roots) > 90
    for p in roots:
        for annotation in (RDFS.label, RDFS.comment, RDFS.range, BPR.accessGroup, BPR.dataKind):
            assert ontology.value(p, annotation) is not None, (p, annotation)
        assert ontology.value(p, BPR.informationLevel) in (BPR.ModelLevel, BPR.ItemLevel), p
        assert ontology.value(p, RDFS.label).language == "en"  # type: ignore[union-attr]


def test_every_din_property_carries_clause_annex_reference_and_battery_pass_mapping(
    ontology: rdflib.Graph,
) -> None:
    for _din, props in din_properties(ontology).items():
        for p in props:
            assert ontology.value(p, BPR.dinClause) is not None, p
            assert ontology.value(p, BPR.annexXIII) is not None, p
            assert ontology.value(p, BPR.dataKind) is not None, p
            assert ontology.value(p, BPR.informationLevel) is not None, p
    unmapped = {
        p
        for props in din_properties(ontology).values()
        for p in props
        if not any(
            str(m).startswith("urn:samm:io.BatteryPass.") for m in ontology.objects(p, SKOS.exactMatch)
        )
    }
    # DIN 26 reuses general product information in the carbon footprint declaration, and Battery Pass does not
    # model DIN 84 (temperature information): no Battery Pass term for either.
    assert {p.fragment for p in unmapped} == {"carbonFootprintManufacturingPlant", "temperatureInformation"}


def samm_terms() -> set[str]:
    graph = rdflib.Graph()
    for folder in ("batterypass-datamodel", "idta-smt-semantic-models", "tractusx-semantic-models"):
        for path in (FIXTURES / folder).rglob("*.ttl"):
            graph.parse(path, format="turtle")
    return {str(s) for s in graph.subjects() if str(s).startswith("urn:samm:io.")}


def cirpass_terms() -> set[str]:
    graph = rdflib.Graph()
    for path in (FIXTURES / "cirpass2-battery-ontology").glob("*.ttl"):
        graph.parse(path, format="turtle")
    return {str(s) for s in graph.subjects() if str(s).startswith("https://w3id.org/eudpp/")}


def test_every_mapping_names_an_existing_battery_pass_or_cirpass_term(
    ontology: rdflib.Graph, vocabularies: rdflib.Graph
) -> None:
    known = samm_terms() | cirpass_terms()
    both = ontology + vocabularies
    targets = {str(o) for p in (SKOS.exactMatch, SKOS.closeMatch) for o in both.objects(None, p)}
    assert len(targets) > 100
    assert targets - known == set()


def test_units_are_qudt_iris_with_a_ucum_code(ontology: rdflib.Graph) -> None:
    with_unit = set(ontology.subjects(BPR.unit, None))
    assert len(with_unit) > 40
    for p in with_unit:
        assert str(ontology.value(p, BPR.unit)).startswith("http://qudt.org/vocab/unit/"), p
        assert ontology.value(p, BPR.ucumCode) is not None, p


PUBLIC_QUERY = """
PREFIX bpr: <https://w3id.org/passport-registry/battery#>
SELECT ?property ?din WHERE {
  ?property bpr:accessGroup bpr:PublicAccess ; bpr:dinAttribute ?din .
}
"""


def test_sparql_lists_exactly_the_public_attributes(rows: dict[int, dict[str, str]]) -> None:
    store = ox.Store()
    store.load(resources.ontology_bytes(), format=ox.RdfFormat.TURTLE)
    solutions = store.query(PUBLIC_QUERY)
    assert isinstance(solutions, ox.QuerySolutions)
    public = {int(s["din"].value) for s in solutions}  # type: ignore[union-attr]
    expected = {din for din, row in rows.items() if row["access"] == "PUBLIC"}
    assert len(expected) == 60
    assert public == expected


def test_partition_rule_nested_properties_share_the_group_of_every_root_property_reaching_them(
    ontology: rdflib.Graph,
) -> None:
    def domain_classes(p: rdflib.URIRef) -> set[rdflib.term.Node]:
        domain = ontology.value(p, RDFS.domain)
        union = ontology.value(domain, OWL.unionOf) if domain is not None else None
        if union is not None:
            return set(rdflib.collection.Collection(ontology, union))
        return {domain} if domain is not None else set()

    nested = [p for p in properties(ontology) if BPR.BatteryPassport not in domain_classes(p)]
    reaches: dict[rdflib.term.Node, set[rdflib.URIRef]] = {}  # class -> root properties reaching it
    frontier = [(ontology.value(r, RDFS.range), r) for r in root_properties(ontology)]
    while frontier:
        cls, root = frontier.pop()
        if cls is None or root in reaches.setdefault(cls, set()):
            continue
        reaches[cls].add(root)
        frontier += [(ontology.value(p, RDFS.range), root) for p in nested if cls in domain_classes(p)]
    checked = 0
    for p in nested:
        group = ontology.value(p, BPR.accessGroup)
        roots = set().union(*(reaches.get(c, set()) for c in domain_classes(p)))
        assert roots, f"{p} is not reachable from the root"
        groups = {ontology.value(r, BPR.accessGroup) for r in roots}
        if group is not None:  # no group: a structural property, its triples follow the node's root property
            checked += 1
            assert groups == {group}, (p, group, groups)
    assert checked > 20


def test_access_groups_and_annotation_properties_are_declared(ontology: rdflib.Graph) -> None:
    groups = set(ontology.subjects(RDF.type, BPR.AccessGroup))
    assert groups == {
        BPR.PublicAccess,
        BPR.LegitimateInterestAndCommissionAccess,
        BPR.AuthoritiesAccess,
        BPR.LegitimateInterestAccess,
    }
    used = {p for _, p, _ in ontology if p.startswith(resources.BPR)}
    declared = set(ontology.subjects(RDF.type, OWL.AnnotationProperty))
    assert used <= declared


def test_every_concept_has_a_label_a_notation_and_a_scheme(vocabularies: rdflib.Graph) -> None:
    concepts = set(vocabularies.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 80
    for c in concepts:
        scheme = vocabularies.value(c, SKOS.inScheme)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in vocabularies, c
        notation = str(vocabularies.value(c, SKOS.notation))
        assert str(c) == f"{scheme}/{notation}", c
        assert vocabularies.value(c, SKOS.prefLabel).language == "en"  # type: ignore[union-attr]


def test_required_schemes_hold_the_regulation_codes(vocabularies: rdflib.Graph) -> None:
    def codes(scheme: str) -> set[str]:
        iri = rdflib.URIRef(resources.BPRV + scheme)
        return {str(vocabularies.value(c, SKOS.notation)) for c in vocabularies.subjects(SKOS.inScheme, iri)}

    assert codes("category") == {"lmt", "ev", "industrial", "stationary", "sli", "portable"}
    assert codes("status") == {"original", "repurposed", "re-used", "remanufactured", "waste"}
    assert codes("lifecycle-stage") == {
        "raw-material-acquisition",
        "main-production",
        "distribution",
        "end-of-life-recycling",
    }
    assert {"nmc", "nca", "lfp", "lmo", "lto", "lco", "sodium-ion", "lead-acid", "nimh"} <= codes("chemistry")
    assert {"cell", "module", "pack", "anode", "cathode", "electrolyte"} <= codes("component")


def test_every_sh_in_value_is_a_concept_of_the_property_scheme(
    ontology: rdflib.Graph, vocabularies: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    concepts = set(vocabularies.subjects(RDF.type, SKOS.Concept))
    checked = 0
    for shape, values in shapes.subject_objects(SH["in"]):
        path = shapes.value(shape, SH.path)
        if isinstance(path, rdflib.BNode):  # a sequence path: the last step holds the code
            path = list(rdflib.collection.Collection(shapes, path))[-1]
        members = set(rdflib.collection.Collection(shapes, values))
        assert members <= concepts, shape
        scheme = ontology.value(path, BPR.conceptScheme)
        assert scheme is not None, path
        assert {vocabularies.value(m, SKOS.inScheme) for m in members} == {scheme}, path
        checked += 1
    assert checked > 15


def test_shapes_are_shacl_core_and_every_constraint_speaks_plain_english(shapes: rdflib.Graph) -> None:
    assert not set(shapes.subjects(SH.sparql, None))
    assert not set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
    property_shapes = set(shapes.subjects(RDF.type, SH.PropertyShape))
    assert len(property_shapes) > 150
    for shape in property_shapes:
        assert shapes.value(shape, SH.name) is not None, shape
        message = shapes.value(shape, SH.message)
        assert message is not None and message.language == "en", shape
        assert re.fullmatch(r"[A-Z].*\.", str(message)), message
    for shape in shapes.subjects(SH["or"], None):
        assert shapes.value(shape, SH.message) is not None, shape


def test_every_nested_node_shape_has_its_own_target(shapes: rdflib.Graph) -> None:
    referenced = set(shapes.objects(None, SH.node))
    assert len(referenced) > 10
    for shape in referenced:
        targets = list(shapes.objects(shape, SH.targetObjectsOf)) + list(
            shapes.objects(shape, SH.targetClass)
        )
        assert targets, shape


def test_every_ontology_property_is_constrained_by_a_shape(
    ontology: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    paths = {p for p in shapes.objects(None, SH.path) if isinstance(p, rdflib.URIRef)}
    assert properties(ontology) - paths == set()


def test_decimal_datatypes_in_shapes_match_the_ontology_ranges(
    ontology: rdflib.Graph, shapes: rdflib.Graph
) -> None:
    checked = 0
    for shape, datatype in shapes.subject_objects(SH.datatype):
        path = shapes.value(shape, SH.path)
        assert ontology.value(path, RDFS.range) == datatype, path
        checked += 1
    assert checked > 60
    assert XSD.decimal in set(shapes.objects(None, SH.datatype))


SAMM_C = rdflib.Namespace("urn:samm:org.eclipse.esmf.samm:characteristic:2.1.0#")
SAMM = rdflib.Namespace("urn:samm:org.eclipse.esmf.samm:meta-model:2.1.0#")


@pytest.fixture(scope="module")
def battery_pass() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in (FIXTURES / "batterypass-datamodel").rglob("*.ttl"):
        graph.parse(path, format="turtle")
    return graph


def samm_enumeration(graph: rdflib.Graph, local_name: str) -> set[str]:
    """The values of the Battery Pass enumeration behind the SAMM property with this local name."""
    values: set[str] = set()
    for prop in graph.subjects(RDF.type, SAMM.Property):
        if str(prop).rsplit("#", 1)[-1] != local_name:
            continue
        characteristic = graph.value(prop, SAMM.characteristic)
        while characteristic is not None and graph.value(characteristic, SAMM_C.values) is None:
            characteristic = graph.value(characteristic, SAMM_C.baseCharacteristic)
        if characteristic is not None:
            items = rdflib.collection.Collection(graph, graph.value(characteristic, SAMM_C.values))
            values |= {str(v) for v in items}
    return values


@pytest.mark.parametrize(
    ("samm_property", "scheme"),
    [
        ("batteryCategory", "category"),
        ("batteryStatus", "status"),
        ("lifecycleStage", "lifecycle-stage"),
        ("labelingSubject", "label-subject"),
        ("hazardousSubstanceClass", "hazard-class"),
        ("documentType", "document-type"),
        ("batteryComponent", "component"),
    ],
)
def test_every_battery_pass_enumeration_value_names_a_concept(
    samm_property: str, scheme: str, vocabularies: rdflib.Graph, battery_pass: rdflib.Graph
) -> None:
    upstream = samm_enumeration(battery_pass, samm_property)
    assert upstream, samm_property
    in_scheme = set(vocabularies.subjects(SKOS.inScheme, rdflib.URIRef(resources.BPRV + scheme)))
    spellings = {
        str(label)
        for concept in in_scheme
        for label in [
            *vocabularies.objects(concept, SKOS.notation),
            *vocabularies.objects(concept, SKOS.hiddenLabel),
        ]
    }
    assert upstream - spellings == set()


def test_each_life_cycle_stage_concept_names_its_din_attribute(
    ontology: rdflib.Graph, vocabularies: rdflib.Graph
) -> None:
    stages = rdflib.URIRef(resources.BPRV + "lifecycle-stage")
    numbers = {
        int(vocabularies.value(c, BPR.dinAttribute)) for c in vocabularies.subjects(SKOS.inScheme, stages)
    }
    shared = {int(d) for d in ontology.objects(BPR.carbonFootprintPerLifecycleStage, BPR.dinAttribute)}
    assert numbers == shared == {20, 21, 22, 23}
