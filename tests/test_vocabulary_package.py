"""The vocabulary package: the files read once, and every view answering from that one reading."""

from __future__ import annotations

import doctest
import json
from pathlib import Path
from types import ModuleType

import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.namespace import RDF, SKOS

from passport_graphs import example
from passport_registry import resources, vocabulary
from passport_registry.access import AccessGroup, GroupResolver
from passport_registry.errors import ConfigurationError
from passport_registry.importers import codes
from passport_registry.rdf import bundled_context, parse
from passport_registry.validation import Validator
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


def test_the_code_lists_hold_every_spelling_rdflib_reads() -> None:
    """Each concept scheme's concepts, with their notations and labels, as rdflib reads the file."""
    graph = rdflib.Graph().parse(data=resources.vocabularies_bytes(), format="turtle")
    lists = Vocabulary.bundled().code_lists()
    assert set(lists) == {str(s) for s in graph.subjects(RDF.type, SKOS.ConceptScheme)}
    for scheme, code_list in lists.items():
        members = set(graph.subjects(SKOS.inScheme, rdflib.URIRef(scheme)))
        assert set(code_list.concepts) == {str(c) for c in members}
        for concept in members:
            read = code_list.concepts[str(concept)]
            for predicate, spelt in [
                (SKOS.notation, read.notations),
                (SKOS.prefLabel, read.pref_labels),
                (SKOS.altLabel, read.alt_labels),
                (SKOS.hiddenLabel, read.hidden_labels),
            ]:
                assert sorted(spelt) == sorted(str(o) for o in graph.objects(concept, predicate))
            assert scheme in read.schemes
    assert codes.bundled()["category"].lookup("EV") == {"ev"}  # a hidden label, as the importers read it


def test_a_label_added_to_a_copy_of_the_vocabularies_words_the_messages(tmp_path: Path) -> None:
    """The validation messages read the concepts' labels from the vocabulary they are built with."""
    for name in FILE_NAMES:
        (tmp_path / name).write_bytes(files.bundled_file(name).read_bytes())
    lmt = b"<https://w3id.org/passport-registry/battery/vocab/category/lmt> skos:altLabel "
    with (tmp_path / files.VOCABULARIES_FILE).open("ab") as turtle:
        turtle.write(b"\n" + lmt + b'"pedelec pack"@en .\n')
    document = example("ev-nmc-car-pack.json")
    document["batteryCategory"] = "Pedelec-Pack"
    data = parse(json.dumps(document).encode(), "application/ld+json")

    def message(validator: Validator) -> str:
        (problem,) = [
            p for p in validator.validate(data).problems if p.path == NamedNode(BPR + "batteryCategory")
        ]
        assert problem.message is not None
        return problem.message

    assert message(Validator.from_vocabulary(Vocabulary.load(tmp_path))).endswith("did you mean lmt?")
    assert "did you mean lmt" not in message(Validator.from_resources())
    concept = Vocabulary.load(tmp_path).catalogue.concept(lmt.split(b">")[0][1:].decode())
    assert concept is not None and concept.alt_labels == ("pedelec pack",)
