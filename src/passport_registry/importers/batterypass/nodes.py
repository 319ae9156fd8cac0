"""Nested nodes that several Battery Pass aspects share: organisations and postal addresses."""

from __future__ import annotations

from passport_registry.importers.conversions import node
from passport_registry.importers.tables import Section, To, alike
from passport_registry.importers.values import Converter

__all__ = ["ADDRESS", "ORGANISATION", "address", "organisation"]

#: A PostalAddress; a country name becomes its ISO 3166-1 code.
ADDRESS = Section(
    {
        **alike(Converter.text, "streetAddress", "postalCode", "addressLocality"),
        "addressCountry": To("addressCountry", Converter.country),
    }
)
address = node(ADDRESS)

#: An Organisation from a Battery Pass contact.
ORGANISATION = Section(
    {
        **alike(Converter.text, "identifier", "name", "contactName", "emailAddress"),
        "webAddress": To("webAddress", Converter.iri),
        "postalAddress": To("postalAddress", address),
    }
)
organisation = node(ORGANISATION)
