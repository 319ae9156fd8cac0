"""The vocabulary package: the files read once, and every view answering from that one reading."""

from __future__ import annotations

import doctest
import json
from pathlib import Path
from types import ModuleType

import pytest

from passport_registry import resources, vocabulary
from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.errors import ConfigurationError
from passport_registry.rdf import bundled_context
from passport_registry.vocabulary import Vocabulary, catalogue, context, files, terms
from passport_registry.vocabulary.files import FILE_NAMES, VocabularyFiles

BPR = terms.BPR


@pytest.mark.parametrize("module", [vocabulary, catalogue, context, files, terms, resources])
def test_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


def test_the_bundled_vocabulary_is_read_once_per_process() -> None:
    assert Vocabulary.bundled() is Vocabulary.bundled()
    assert VocabularyFiles.bundled() is Vocabulary.bundled().files
    assert resources.ontology_bytes() is Vocabulary.bundled().files.ontology


def test_the_context_views_agree_on_every_term() -> None:
    """Output (ContextIndex), parsing (prepared context) and the schema (ActiveContext) read one context."""
    bundled = Vocabulary.bundled()
    parsing = bundled_context()
    for key, term in bundled.context.terms.items():
        if term.prefix:
            continue
        assert bundled.context_index.term_named(key) is term
        assert bundled.iri_of(key) == term.iri
        if term.coercion == "@vocab" and term.vocab is not None:
            assert parsing.code_terms[key] == term.vocab
        if term.coercion == "@id":
            assert key in parsing.link_terms
    assert set(parsing.code_terms) == {
        k for k, t in bundled.context.terms.items() if t.coercion == "@vocab" and t.vocab
    }


def test_the_catalogue_answers_what_the_ontology_annotates() -> None:
    bundled = Vocabulary.bundled()
    remaining = bundled.describe(BPR + "remainingCapacity")
    assert remaining.label == "remaining capacity"
    assert remaining.unit == "A.h"
    assert remaining.din_attribute == 53
    assert remaining.din_clause == "6.7.2.3"
    assert remaining.annex_xiii == "4(b)"
    assert remaining.access_group == AccessGroup.LEGITIMATE_INTEREST.value
    assert bundled.describe(BPR + "capacityFade").datatype == terms.XSD + "decimal"
    assert bundled.describe(AccessGroup.AUTHORITIES.value).annex_xiii == "3"
    category = bundled.describe(BPR + "batteryCategory").concept_scheme
    assert category is not None
    assert set(bundled.code_lists()[category].codes.values()) >= {"ev", "lmt", "industrial"}


def test_access_groups_come_from_the_same_walk_as_labels() -> None:
    bundled = Vocabulary.bundled()
    resolver = GroupResolver.from_catalogue(bundled.catalogue)
    annotated = {t.iri for t in bundled.catalogue.terms() if t.access_group is not None}
    assert annotated == set().union(*(resolver.properties(g) for g in AccessGroup))
    assert resolver.properties(AccessGroup.LEGITIMATE_INTEREST) == GroupResolver.from_triples(
        bundled.triples
    ).properties(AccessGroup.LEGITIMATE_INTEREST)


def test_a_vocabulary_folder_is_read_whole(tmp_path: Path) -> None:
    for name in FILE_NAMES:
        (tmp_path / name).write_bytes(files.bundled_file(name).read_bytes())
    document = json.loads((tmp_path / "context.jsonld").read_text())
    document["@context"]["coolantVolume"] = {"@id": "bpr:coolantVolume", "@type": "xsd:decimal"}
    (tmp_path / "context.jsonld").write_text(json.dumps(document))
    loaded = Vocabulary.load(tmp_path)
    assert not loaded.files.is_bundled
    assert loaded.term_for(BPR + "coolantVolume").coercion == terms.XSD + "decimal"
    assert Vocabulary.bundled().term_for(BPR + "coolantVolume").coercion is None  # untouched


def test_a_broken_vocabulary_folder_is_refused_with_its_reason(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"lacks ontology\.ttl"):
        Vocabulary.load(tmp_path)
    for name in FILE_NAMES:
        (tmp_path / name).write_bytes(files.bundled_file(name).read_bytes())
    (tmp_path / "context.jsonld").write_text('{"no": "context"}')
    with pytest.raises(ConfigurationError, match=r"cannot be read.*@context"):
        Vocabulary.load(tmp_path)
    (tmp_path / "ontology.ttl").write_text("@prefix broken")
    with pytest.raises(ConfigurationError, match="cannot be read"):
        Vocabulary.load(tmp_path)
