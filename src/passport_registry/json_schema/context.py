"""The JSON-LD context as the schema generator reads it: `vocabulary.context.ActiveContext`, old name."""

from __future__ import annotations

from passport_registry.vocabulary.context import ActiveContext as JsonLdContext
from passport_registry.vocabulary.context import TermDefinition

__all__ = ["JsonLdContext", "TermDefinition"]
