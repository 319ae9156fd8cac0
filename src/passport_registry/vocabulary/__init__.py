"""The registry's vocabulary: the ontology, code lists, shapes and JSON-LD context, read once, asked by all.

`Vocabulary` loads the four documents (`vocabulary.files`) and indexes them once; every layer asks it:

- term <-> IRI, JSON key, datatype coercion and container: `context` (`ActiveContext`) and, for output,
  `context_index` (`ContextIndex`);
- label, comment, access group, DIN DKE SPEC 99100 attribute and clause, Annex XIII reference, unit (UCUM),
  `xsd:` datatype, concept scheme, and the code lists: `catalogue` (`Catalogue`, one walk over the triples);
- the documents themselves, for serving, validating and generating the JSON Schema: `files`, `triples`,
  `context_document`.

The IRIs Python needs behaviour for are named in `vocabulary.terms`; nothing else in the code names an
attribute. Adding an attribute is an edit to the ontology, the shapes and the context (docs/vocabulary.md).

>>> vocabulary = Vocabulary.bundled()
>>> vocabulary.term_for(BPR + "capacityFade").key, vocabulary.describe(BPR + "capacityFade").unit
('capacityFade', '%')
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph
from pyoxigraph import Triple

from passport_registry.errors import ConfigurationError, UnprocessableInput
from passport_registry.vocabulary.catalogue import Catalogue, CodeList, Concept, TermInfo
from passport_registry.vocabulary.context import ActiveContext, ContextIndex, TermDefinition
from passport_registry.vocabulary.files import VocabularyFiles
from passport_registry.vocabulary.terms import BPR

__all__ = [
    "BPR",
    "ActiveContext",
    "Catalogue",
    "CodeList",
    "Concept",
    "ContextIndex",
    "TermDefinition",
    "TermInfo",
    "Vocabulary",
    "VocabularyFiles",
]


class Vocabulary:
    """The four documents of one registry, parsed and indexed once; immutable, shared by every request."""

    def __init__(self, files: VocabularyFiles) -> None:
        """Parse `files`; ConfigurationError when one of them cannot be read."""
        self.files = files
        try:
            self.triples: tuple[Triple, ...] = tuple(
                quad.triple
                for document in (files.ontology, files.vocabularies)
                for quad in pyoxigraph.parse(
                    document, format=pyoxigraph.RdfFormat.TURTLE, rename_blank_nodes=True
                )
            )
            document = json.loads(files.context)
            self.context = ActiveContext.from_document(document)
        except (SyntaxError, ValueError, AttributeError, UnprocessableInput) as exc:
            where = files.directory or "the package"
            raise ConfigurationError(f"The vocabulary files of {where} cannot be read: {exc}") from exc
        self._context_document: dict[str, Any] = document
        self.catalogue = Catalogue(self.triples)
        self.context_index = ContextIndex(self.context)

    @staticmethod
    @functools.cache
    def bundled() -> Vocabulary:
        """The vocabulary shipped with the package, read once per process."""
        return Vocabulary(VocabularyFiles.bundled())

    @classmethod
    def load(cls, directory: Path | None = None) -> Vocabulary:
        """The vocabulary of `directory` (the four files of `files.FILE_NAMES`), else the bundled one."""
        return cls.bundled() if directory is None else cls(VocabularyFiles.from_directory(directory))

    @property
    def context_document(self) -> dict[str, Any]:
        """The JSON-LD context document (`{"@context": ...}`), parsed; a fresh copy on every call."""
        copy: dict[str, Any] = json.loads(json.dumps(self._context_document))
        return copy

    @property
    def context_value(self) -> Mapping[str, Any]:
        """The value of the context document's `@context` (read-only by convention: shared)."""
        value: Mapping[str, Any] = self._context_document["@context"]
        return value

    def term_for(self, iri: str) -> TermDefinition:
        """The context term that carries property `iri` (its JSON key, coercion and container)."""
        return self.context.term_for_property(iri)

    def iri_of(self, key: str) -> str:
        """The IRI a JSON key (or a compact IRI) expands to."""
        return self.context.expand(key)

    def describe(self, iri: str) -> TermInfo:
        """What the ontology and vocabularies say about `iri` (label, unit, access group, DIN number...)."""
        return self.catalogue.describe(iri)

    def code_lists(self) -> Mapping[str, CodeList]:
        """The concept schemes by IRI, each with its concepts' codes."""
        return self.catalogue.code_lists()
