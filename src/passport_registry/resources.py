"""The bundled vocabulary files and their URLs, under the names older callers import.

`vocabulary.files.VocabularyFiles` reads the files (once per process); `vocabulary.terms` names the URLs and
namespaces. Every function here answers from those.

>>> ontology_bytes().startswith(b"@prefix")
True
>>> context_document()["@context"]["@version"]
1.1
"""

from __future__ import annotations

import json
from importlib.resources.abc import Traversable
from typing import Any

from passport_registry.vocabulary.files import (
    CONTEXT_FILE,
    ONTOLOGY_FILE,
    SHAPES_FILE,
    VOCABULARIES_FILE,
    VocabularyFiles,
    bundled_file,
)
from passport_registry.vocabulary.terms import BPR, BPRS, BPRV, CONTEXT_PATH, CONTEXT_URL, ONTOLOGY_IRI

__all__ = [
    "BPR",
    "BPRS",
    "BPRV",
    "CONTEXT_PATH",
    "CONTEXT_URL",
    "ONTOLOGY_IRI",
    "context_bytes",
    "context_document",
    "context_file",
    "ontology_bytes",
    "ontology_file",
    "shapes_bytes",
    "shapes_file",
    "vocabularies_bytes",
    "vocabularies_file",
]


def ontology_file() -> Traversable:
    """The OWL ontology in Turtle: classes, properties, annotations, access groups."""
    return bundled_file(ONTOLOGY_FILE)


def vocabularies_file() -> Traversable:
    """The SKOS concept schemes in Turtle (categories, chemistries, statuses, ...)."""
    return bundled_file(VOCABULARIES_FILE)


def shapes_file() -> Traversable:
    """The SHACL Core shapes for a whole passport, in Turtle."""
    return bundled_file(SHAPES_FILE)


def context_file() -> Traversable:
    """The JSON-LD 1.1 context that maps plain JSON keys to the ontology."""
    return bundled_file(CONTEXT_FILE)


def ontology_bytes() -> bytes:
    """The ontology as Turtle bytes (UTF-8)."""
    return VocabularyFiles.bundled().ontology


def vocabularies_bytes() -> bytes:
    """The concept schemes as Turtle bytes (UTF-8)."""
    return VocabularyFiles.bundled().vocabularies


def shapes_bytes() -> bytes:
    """The shapes as Turtle bytes (UTF-8)."""
    return VocabularyFiles.bundled().shapes


def context_bytes() -> bytes:
    """The JSON-LD context document as bytes (UTF-8)."""
    return VocabularyFiles.bundled().context


def context_document() -> dict[str, Any]:
    """The JSON-LD context document, parsed: a dict with one key, ``@context``. A fresh copy on every call."""
    document: dict[str, Any] = json.loads(context_bytes())
    return document
