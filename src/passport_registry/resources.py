"""The bundled vocabulary files (ontology, SKOS vocabularies, SHACL shapes, JSON-LD context) and their URLs.

The canonical files live in the repository's top-level ``ontology/`` and ``shapes/`` folders; the package's
``data/`` folder holds relative symbolic links to them, so an installed wheel carries copies and a source
checkout reads the originals. Every function reads the packaged file, never the network.

>>> ontology_bytes().startswith(b"@prefix")
True
>>> context_document()["@context"]["@version"]
1.1
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

#: The stable, deployment-independent URL of the JSON-LD context (its persistent identifier, under the same
#: w3id.org namespace as the vocabulary; docs/identifiers.md has the redirect rules). Files the project ships
#: (examples, importer output) name it; every registry reads it as the bundled file and never fetches it.
CONTEXT_URL = "https://w3id.org/passport-registry/battery/context.jsonld"

#: Where every registry serves the context; documents it serves name `{base_url}` + this path by default,
#: so a client can dereference the context with nothing but the registry's response.
CONTEXT_PATH = "/contexts/battery-passport.jsonld"

#: IRI of the ontology document (the ``owl:Ontology`` node of ``ontology.ttl``).
ONTOLOGY_IRI = "https://w3id.org/passport-registry/battery"

#: Namespace of classes, properties and access groups.
BPR = "https://w3id.org/passport-registry/battery#"

#: Namespace of the SKOS concept schemes and concepts.
BPRV = "https://w3id.org/passport-registry/battery/vocab/"

#: Namespace of the SHACL shapes.
BPRS = "https://w3id.org/passport-registry/battery/shapes#"


def _data(name: str) -> Traversable:
    return files("passport_registry").joinpath("data", name)


def ontology_file() -> Traversable:
    """The OWL ontology in Turtle: classes, properties, annotations, access groups."""
    return _data("ontology.ttl")


def vocabularies_file() -> Traversable:
    """The SKOS concept schemes in Turtle (categories, chemistries, statuses, ...)."""
    return _data("vocabularies.ttl")


def shapes_file() -> Traversable:
    """The SHACL Core shapes for a whole passport, in Turtle."""
    return _data("shapes.ttl")


def context_file() -> Traversable:
    """The JSON-LD 1.1 context that maps plain JSON keys to the ontology."""
    return _data("context.jsonld")


def ontology_bytes() -> bytes:
    """The ontology as Turtle bytes (UTF-8)."""
    return ontology_file().read_bytes()


def vocabularies_bytes() -> bytes:
    """The concept schemes as Turtle bytes (UTF-8)."""
    return vocabularies_file().read_bytes()


def shapes_bytes() -> bytes:
    """The shapes as Turtle bytes (UTF-8)."""
    return shapes_file().read_bytes()


def context_bytes() -> bytes:
    """The JSON-LD context document as bytes (UTF-8)."""
    return context_file().read_bytes()


def context_document() -> dict[str, Any]:
    """The JSON-LD context document, parsed: a dict with one key, ``@context``. A fresh copy on every call."""
    document: dict[str, Any] = json.loads(context_bytes())
    return document
