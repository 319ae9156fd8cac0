"""What the ontology says about each term: `vocabulary.catalogue`, under the name the views import."""

from __future__ import annotations

from passport_registry.vocabulary.catalogue import Catalogue, CodeList, TermInfo

__all__ = ["Catalogue", "CodeList", "TermInfo"]
