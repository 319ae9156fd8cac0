"""The four vocabulary files (ontology, SKOS vocabularies, SHACL shapes, JSON-LD context), read once.

The canonical files live in the repository's top-level ``ontology/`` and ``shapes/`` folders; the package's
``data/`` folder holds relative symbolic links to them, so an installed wheel carries copies and a source
checkout reads the originals. A registry may read its own copies instead, from a folder holding the same
four file names (`Settings.vocabulary_dir`, docs/vocabulary.md). Nothing is ever read from the network.

>>> VocabularyFiles.bundled().ontology.startswith(b"@prefix")
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from passport_registry.errors import ConfigurationError

#: The file name of each document, in the package's ``data/`` folder and in a vocabulary folder.
ONTOLOGY_FILE = "ontology.ttl"
VOCABULARIES_FILE = "vocabularies.ttl"
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"
FILE_NAMES = (ONTOLOGY_FILE, VOCABULARIES_FILE, SHAPES_FILE, CONTEXT_FILE)


def bundled_file(name: str) -> Traversable:
    """One of the files the package ships in ``data/`` (the four of `FILE_NAMES`, the schema, examples)."""
    return files("passport_registry").joinpath("data", name)


@dataclass(frozen=True, slots=True)
class VocabularyFiles:
    """The bytes of the four documents, and the folder they came from (None: the package's own)."""

    ontology: bytes
    vocabularies: bytes
    shapes: bytes
    context: bytes
    directory: Path | None = None

    @staticmethod
    @functools.cache
    def bundled() -> VocabularyFiles:
        """The files shipped with the package, read once per process."""
        ontology, vocabularies, shapes, context = (bundled_file(n).read_bytes() for n in FILE_NAMES)
        return VocabularyFiles(ontology, vocabularies, shapes, context)

    @classmethod
    def from_directory(cls, directory: Path) -> VocabularyFiles:
        """The four files of `directory`; ConfigurationError naming any that is missing."""
        missing = [name for name in FILE_NAMES if not (directory / name).is_file()]
        if missing:
            raise ConfigurationError(
                f"The vocabulary folder {directory} lacks {', '.join(missing)}: it must hold "
                f"{', '.join(FILE_NAMES)} (copies of the bundled files, edited; docs/vocabulary.md)."
            )
        ontology, vocabularies, shapes, context = ((directory / n).read_bytes() for n in FILE_NAMES)
        return cls(ontology, vocabularies, shapes, context, directory)

    @property
    def is_bundled(self) -> bool:
        """Whether these are the package's own files (so its committed JSON Schema describes them)."""
        return self.directory is None
