"""Parsing and serialising RDF: formats, the bundled context, number lexical forms, and refusals."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from passport_registry.errors import (
    NotAcceptable,
    PayloadTooLarge,
    UnparseableInput,
    UnsupportedMediaType,
)
from passport_registry.rdf import (
    CONTEXT_URL,
    ParseLimits,
    bundled_context,
    media_type_for_path,
    parse,
    serialize,
)
from passport_registry.rdf.literals import normalise_numbers

BPR = "https://w3id.org/passport-registry/battery#"
XSD = "http://www.w3.org/2001/XMLSchema#"
CONTEXT: dict[str, Any] = {
    "@vocab": BPR,
    "xsd": XSD,
    "id": "@id",
    "type": "@type",
    "BatteryPassport": BPR + "BatteryPassport",
    "mass": {"@id": BPR + "mass", "@type": "xsd:decimal"},
    "cycles": {"@id": BPR + "cycles", "@type": "xsd:integer"},
    "manufacturer": {"@id": BPR + "manufacturer", "@type": "@id"},
}
BASE = "http://registry.test/passports/"
TURTLE = f"""
@prefix bpr: <{BPR}> . @prefix xsd: <{XSD}> .
<{BASE}p1> a bpr:BatteryPassport ; bpr:mass 3.5 ; bpr:cycles 4 ;
    bpr:manufacturer [ bpr:name "ACME" ] .
"""


def as_graph(quads: list[pyoxigraph.Quad]) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=serialize(quads, "application/n-triples").decode(), format="nt")
    return graph


def expected() -> rdflib.Graph:
    return rdflib.Graph().parse(data=TURTLE, format="turtle")


def plain_json(**extra: Any) -> dict[str, Any]:
    return {
        "id": BASE + "p1",
        "type": "BatteryPassport",
        "mass": 3.5,
        "cycles": 4,
        "manufacturer": {"name": "ACME"},
        **extra,
    }


def test_plain_json_gets_the_bundled_context() -> None:
    quads = parse(json.dumps(plain_json()).encode(), "application/json", BASE, context=CONTEXT)
    assert isomorphic(as_graph(quads), expected())


def test_json_ld_naming_our_context_url_reads_the_bundled_copy() -> None:
    body = json.dumps({"@context": CONTEXT_URL, **plain_json()}).encode()
    quads = parse(body, "application/ld+json; charset=utf-8", BASE, context=CONTEXT)
    assert isomorphic(as_graph(quads), expected())


def test_our_context_url_inside_a_context_array_is_inlined() -> None:
    body = json.dumps({"@context": [CONTEXT_URL, {"extra": BPR + "extra"}], **plain_json()}).encode()
    graph = as_graph(parse(body, "application/ld+json", BASE, context=CONTEXT))
    assert len(graph) == len(expected())


@pytest.mark.parametrize(
    "remote",
    [
        "https://evil.example/context.jsonld",
        ["https://evil.example/context.jsonld"],
        {"@import": "https://evil.example/context.jsonld"},
        {"term": {"@id": BPR + "t", "@context": "https://evil.example/scoped.jsonld"}},
    ],
)
def test_any_other_remote_context_is_refused_not_fetched(remote: Any) -> None:
    body = json.dumps({"@context": remote, "@id": BASE + "p1", BPR + "x": 1}).encode()
    with pytest.raises(UnparseableInput, match="never fetches"):
        parse(body, "application/ld+json", BASE, context=CONTEXT)


SERVED = "https://registry.example/contexts/battery-passport.jsonld"


@pytest.mark.parametrize("named", [SERVED, [SERVED], CONTEXT_URL])
def test_the_context_is_read_for_the_url_a_registry_serves_it_at_too(named: Any) -> None:
    context = bundled_context().named_also([SERVED])
    document = {"@context": named, "@type": "BatteryPassport", "batteryMass": "1.5"}
    quads = parse(json.dumps(document).encode(), "application/ld+json", BASE, context=context)
    reference = {**document, "@context": CONTEXT_URL}
    assert canonical(quads) == canonical(parse(json.dumps(reference).encode(), "application/ld+json", BASE))


def test_another_registrys_context_url_is_refused_naming_the_urls_that_are_read() -> None:
    context = bundled_context().named_also([SERVED])
    other = "https://other-registry.example/contexts/battery-passport.jsonld"
    body = json.dumps({"@context": other, "@type": "BatteryPassport"}).encode()
    with pytest.raises(UnparseableInput, match="never fetches") as caught:
        parse(body, "application/ld+json", BASE, context=context)
    assert SERVED in caught.value.detail and CONTEXT_URL in caught.value.detail
    with pytest.raises(UnparseableInput, match="never fetches"):  # without being told, only the stable URL
        parse(json.dumps({"@context": SERVED}).encode(), "application/ld+json", BASE)


def test_a_remote_context_on_a_nested_node_is_refused() -> None:
    body = json.dumps(plain_json(manufacturer={"@context": "http://evil.example/c", "name": "x"})).encode()
    with pytest.raises(UnparseableInput, match="never fetches"):
        parse(body, "application/json", BASE, context=CONTEXT)


@pytest.mark.parametrize(
    ("given", "lexical"),
    [(3.5, "3.5"), (12, "12"), (1e-7, "0.0000001"), (2.50, "2.5"), (1e21, "1000000000000000000000.0")],
)
def test_a_json_number_for_a_decimal_gets_a_decimal_lexical_form(given: float, lexical: str) -> None:
    quads = parse(json.dumps(plain_json(mass=given)).encode(), "application/json", BASE, context=CONTEXT)
    (mass,) = [q.object for q in quads if q.predicate.value == BPR + "mass"]
    assert mass == pyoxigraph.Literal(lexical, datatype=pyoxigraph.NamedNode(XSD + "decimal"))


def test_an_integer_written_as_4_point_0_is_an_integer() -> None:
    body = b'{"id": "%s", "cycles": 4.0, "mass": 1}' % (BASE + "p1").encode()
    quads = parse(body, "application/json", BASE, context=CONTEXT)
    (cycles,) = [q.object for q in quads if q.predicate.value == BPR + "cycles"]
    assert cycles == pyoxigraph.Literal("4", datatype=pyoxigraph.NamedNode(XSD + "integer"))


@pytest.mark.parametrize(("field", "given"), [("cycles", 4.5), ("cycles", "four"), ("mass", "heavy")])
def test_values_the_datatype_cannot_hold_are_left_for_shacl_to_report(field: str, given: object) -> None:
    quads = parse(
        json.dumps(plain_json(**{field: given})).encode(), "application/json", BASE, context=CONTEXT
    )
    (value,) = [q.object for q in quads if q.predicate.value == BPR + field]
    assert isinstance(value, pyoxigraph.Literal)
    assert value.value in (str(given), "4.5E0")


def test_an_absurd_exponent_is_not_expanded() -> None:
    body = f'<{BASE}p1> <{BPR}mass> "1.0E999999"^^<{XSD}decimal> .'.encode()
    (quad,) = parse(body, "application/n-triples")
    assert isinstance(quad.object, pyoxigraph.Literal)
    assert quad.object.value == "1.0E999999"


def test_a_decimal_typed_double_in_turtle_is_normalised_too() -> None:
    body = f'<{BASE}p1> <{BPR}mass> "3.5E0"^^<{XSD}decimal> .'.encode()
    (quad,) = parse(body, "application/n-triples")
    assert quad.object == pyoxigraph.Literal("3.5", datatype=pyoxigraph.NamedNode(XSD + "decimal"))


@pytest.mark.parametrize(
    "media_type", ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"]
)
def test_every_format_round_trips(media_type: str) -> None:
    quads = parse(TURTLE.encode(), "text/turtle", BASE)
    again = parse(serialize(quads, media_type, {"bpr": BPR}), media_type, BASE)
    assert isomorphic(as_graph(again), expected())


@pytest.mark.parametrize("media_type", ["application/n-quads", "application/trig"])
def test_dataset_formats_keep_named_graphs(media_type: str) -> None:
    body = f'<{BASE}p1> <{BPR}mass> "1.5"^^<{XSD}decimal> <{BASE}g> .'.encode()
    quads = parse(body, "application/n-quads")
    assert parse(serialize(quads, media_type), media_type) == quads


def test_syntax_errors_carry_line_and_column() -> None:
    with pytest.raises(UnparseableInput) as info:
        parse(b'<a> <b> <c> .\n<a> <b> "x .', "text/turtle", BASE)
    assert info.value.extensions["line"] == 2
    assert "column" in info.value.extensions
    assert info.value.detail.startswith("Invalid text/turtle")


def test_broken_json_has_line_and_column() -> None:
    with pytest.raises(UnparseableInput, match="line 2") as info:
        parse(b'{"id": "x",\n "mass": }', "application/json", BASE, context=CONTEXT)
    assert info.value.extensions == {"line": 2, "column": 10}


def test_not_utf8_is_refused_with_position() -> None:
    with pytest.raises(UnparseableInput, match="not UTF-8") as info:
        parse(b'<a> <b> "caf\xe9" .', "application/n-triples", BASE)
    assert info.value.extensions == {"line": 1, "column": 13}


def test_utf16_gets_a_helpful_message() -> None:
    body = "\ufeff" + json.dumps(plain_json())
    with pytest.raises(UnparseableInput, match="UTF-16"):
        parse(body.encode("utf-16-le"), "application/json", BASE, context=CONTEXT)


def test_a_utf8_byte_order_mark_is_tolerated() -> None:
    body = b"\xef\xbb\xbf" + json.dumps(plain_json()).encode()
    assert isomorphic(as_graph(parse(body, "application/json", BASE, context=CONTEXT)), expected())


def test_input_over_the_byte_limit_is_too_large() -> None:
    with pytest.raises(PayloadTooLarge):
        parse(TURTLE.encode(), "text/turtle", BASE, limits=ParseLimits(max_bytes=100))


def test_deep_nesting_is_refused_before_parsing() -> None:
    body = b'{"id": "x", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(UnparseableInput, match="nests deeper than 32"):
        parse(body, "application/json", BASE, context=CONTEXT)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    name = "[" * 100 + '"{'
    quads = parse(json.dumps(plain_json(label=name)).encode(), "application/json", BASE, context=CONTEXT)
    assert any(q.object.value == name for q in quads)


def test_rdf_xml_entities_are_refused() -> None:
    body = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY ex "http://ex/">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="&ex;a"><rdf:type rdf:resource="&ex;B"/></rdf:Description>
</rdf:RDF>"""
    with pytest.raises(UnparseableInput, match="DOCTYPE"):
        parse(body, "application/rdf+xml", BASE)


def test_unknown_media_type_and_charset_are_unsupported() -> None:
    with pytest.raises(UnsupportedMediaType, match="text/csv"):
        parse(b"a,b", "text/csv", BASE)
    with pytest.raises(UnsupportedMediaType, match="latin-1"):
        parse(TURTLE.encode(), "text/turtle; charset=latin-1", BASE)


def test_plain_json_must_be_an_object() -> None:
    with pytest.raises(UnparseableInput, match="object"):
        parse(b"42", "application/json", BASE, context=CONTEXT)


def test_plain_json_is_not_an_output_format() -> None:
    with pytest.raises(NotAcceptable):
        serialize([], "application/json")


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("a.jsonld", "application/ld+json"), ("A.TTL", "text/turtle"), ("x.rdf", "application/rdf+xml")],
)
def test_media_type_by_extension(name: str, media_type: str) -> None:
    assert media_type_for_path(name) == media_type


def test_unknown_extension_is_unsupported() -> None:
    with pytest.raises(UnsupportedMediaType, match=r"\.csv"):
        media_type_for_path("x.csv")


EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples" / "passports").glob("*.json"))


def canonical(quads: list[pyoxigraph.Quad]) -> pyoxigraph.Dataset:
    """The dataset with blank nodes relabelled by RDFC-1.0, so isomorphic graphs compare equal (fast)."""
    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def _graph_with_full_context(document: dict[str, Any]) -> pyoxigraph.Dataset:
    """The reference reading: pyoxigraph with the bundled context inline, scoped contexts and all."""
    body = {"@context": bundled_context().context, **{k: v for k, v in document.items() if k != "@context"}}
    quads = list(pyoxigraph.parse(json.dumps(body), pyoxigraph.RdfFormat.JSON_LD, base_iri=BASE))
    return canonical(normalise_numbers(quads))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_fast_context_path_reads_every_example_as_the_full_context_does(path: Path) -> None:
    document = json.loads(path.read_bytes())
    fast = canonical(parse(path.read_bytes(), "application/ld+json", BASE))
    assert len(fast) > 100
    assert fast == _graph_with_full_context(document)


@pytest.mark.parametrize(
    "edit",
    [
        {"batteryCategory": "BatteryPassport"},  # a code that is also a term: JSON-LD expands the term
        {"batteryCategory": "https://example.org/categories/custom"},
        {"batteryCategory": ["ev", "lmt"]},
        {"manufacturerInformation": {"@context": {"x": "urn:x:"}, "name": "ACME"}},
    ],
    ids=["term", "absolute-iri", "list", "nested-context"],
)
def test_unusual_documents_read_as_the_full_context_does(edit: dict[str, Any]) -> None:
    document = {"@context": CONTEXT_URL, "@type": "BatteryPassport", "batteryMass": 1.5, **edit}
    fast = canonical(parse(json.dumps(document).encode(), "application/ld+json", BASE))
    assert fast == _graph_with_full_context(document)
