"""The JSON-LD context slice the schema generator reads: keys, coercions, short codes and spellings."""

from __future__ import annotations

import pytest

from passport_registry.errors import UnprocessableInput
from passport_registry.json_schema.context import JsonLdContext

EX = "https://example.org/"


def test_term_found_by_expanded_iri_whatever_the_key_order() -> None:
    ctx = JsonLdContext.from_document(
        {"@context": {"size": {"@id": "ex:size", "@type": "xsd:decimal"}, "ex": EX, "xsd": "urn:xsd#"}}
    )
    term = ctx.term_for_property(EX + "size")
    assert (term.key, term.type) == ("size", "urn:xsd#decimal")


def test_unmapped_property_gets_its_compact_iri_as_key() -> None:
    ctx = JsonLdContext.from_document({"@context": {"ex": EX}})
    assert ctx.term_for_property(EX + "weight").key == "ex:weight"
    assert ctx.term_for_property("urn:other:weight").key == "urn:other:weight"


def test_coerced_term_preferred_over_plain_alias() -> None:
    ctx = JsonLdContext.from_document(
        {"@context": {"ex": EX, "a": "ex:p", "longer": {"@id": "ex:p", "@container": "@set"}}}
    )
    assert ctx.term_for_property(EX + "p").key == "longer"


def test_code_for_prefers_a_term_then_vocab_then_compact_iri() -> None:
    ctx = JsonLdContext.from_document({"@context": {"ex": EX, "red": "ex:c/red", "@vocab": EX + "c/"}})
    assert ctx.code_for(EX + "c/red") == "red"
    assert ctx.code_for(EX + "c/blue") == "blue"
    assert ctx.code_for(EX + "d/green") == "ex:d/green"


def test_property_scoped_vocab_gives_short_codes() -> None:
    ctx = JsonLdContext.from_document(
        {
            "@context": {
                "ex": EX,
                "kind": {"@id": "ex:kind", "@type": "@vocab", "@context": {"@vocab": EX + "k/"}},
            }
        }
    )
    term = ctx.term_for_property(EX + "kind")
    assert ctx.scoped(term.scoped_context).code_for(EX + "k/ev") == "ev"
    assert ctx.code_for(EX + "k/ev") == "ex:k/ev"


def test_keyword_aliases_and_type_spellings() -> None:
    ctx = JsonLdContext.from_document({"@context": {"ex": EX, "type": "@type", "Thing": "ex:Thing"}})
    assert ctx.keys_for("@type") == ["@type", "type"]
    assert ctx.spellings_of(EX + "Thing") == ["Thing", "ex:Thing", EX + "Thing"]


def test_null_removes_a_term() -> None:
    ctx = JsonLdContext.from_document({"@context": [{"ex": EX, "a": "ex:a"}, {"a": None}]})
    assert "a" not in ctx.terms


@pytest.mark.parametrize(
    "document", [{"@context": "https://example.org/context.jsonld"}, {"x": 1}, {"@context": 3}]
)
def test_remote_or_malformed_contexts_are_refused(document: dict[str, object]) -> None:
    with pytest.raises(UnprocessableInput):
        JsonLdContext.from_document(document)
