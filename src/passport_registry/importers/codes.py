"""Code lists of the bundled SKOS vocabularies: an upstream label -> our short code (skos:notation).

A concept answers to its notation, its preferred labels and its hidden labels, where the vocabulary keeps
the spellings the Battery Pass v1.2 enumerations and Catena-X payloads use. So the vocabulary file stays the
one place that says which upstream value means which concept. A label is looked up as written, then
normalised (case, and spaces, underscores and hyphens read alike), then, for "Name (ABBR)", by its name or
its abbreviation. A label that finds no concept, or finds several, is never guessed. The concepts and
their spellings come from the vocabulary package's one reading of the file (`Vocabulary.code_lists`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from passport_registry.vocabulary import Vocabulary
from passport_registry.vocabulary.terms import BPRV


def normal(label: str) -> str:
    """`label` case-folded, with runs of spaces, underscores and hyphens read as one hyphen."""
    return re.sub(r"[\s_-]+", "-", label.strip().casefold())


@dataclass(frozen=True)
class CodeList:
    """The codes of one concept scheme and every label that names them."""

    scheme: str
    codes: frozenset[str]
    _exact: Mapping[str, frozenset[str]] = field(repr=False)
    _normal: Mapping[str, frozenset[str]] = field(repr=False)

    def lookup(self, label: str) -> frozenset[str]:
        """The codes `label` names: one when it is clear, several when ambiguous, none when unknown."""
        if label in self._exact:
            return self._exact[label]
        candidates = [label]
        abbreviated = re.fullmatch(r"(.*?)\s*\(([^()]+)\)\s*", label)
        if abbreviated:
            candidates += [abbreviated.group(1), abbreviated.group(2)]
        for candidate in candidates:
            found = self._normal.get(normal(candidate))
            if found:
                return found
        return frozenset()


@cache
def bundled() -> Mapping[str, CodeList]:
    """Every concept scheme of the bundled vocabularies by its local name ("category", "chemistry", ...).

    Indexed once per process from `Vocabulary.bundled()`; the result is read-only. A concept answers to
    its notations, preferred and hidden labels.
    """
    lists = {}
    for scheme, code_list in Vocabulary.bundled().code_lists().items():
        name = scheme.removeprefix(BPRV)
        exact: dict[str, set[str]] = {}
        normalised: dict[str, set[str]] = {}
        codes = set()
        for concept in code_list.concepts.values():
            code = concept.notation
            if code is None:
                continue
            codes.add(code)
            for label in (*concept.notations, *concept.pref_labels, *concept.hidden_labels):
                exact.setdefault(label, set()).add(code)
                normalised.setdefault(normal(label), set()).add(code)
        lists[name] = CodeList(
            scheme=name,
            codes=frozenset(codes),
            _exact=MappingProxyType({k: frozenset(v) for k, v in exact.items()}),
            _normal=MappingProxyType({k: frozenset(v) for k, v in normalised.items()}),
        )
    return MappingProxyType(lists)


# Battery Pass 1.2.0 RecycledMaterial -> the material part of our recycled-share property names.
RECYCLED_MATERIAL: Mapping[str, str] = MappingProxyType(
    {"Nickel": "Nickel", "Cobalt": "Cobalt", "Lithium": "Lithium", "Lead": "Lead"}
)

# ISO 3166-1 alpha-2 codes for country names that upstream payloads write out in English (EU/EEA, the
# United Kingdom and Switzerland, and the largest battery-producing countries). A two-letter code is
# taken as it is written.
COUNTRY: Mapping[str, str] = MappingProxyType(
    {
        "Austria": "AT",
        "Belgium": "BE",
        "Bulgaria": "BG",
        "Croatia": "HR",
        "Cyprus": "CY",
        "Czechia": "CZ",
        "Czech Republic": "CZ",
        "Denmark": "DK",
        "Estonia": "EE",
        "Finland": "FI",
        "France": "FR",
        "Germany": "DE",
        "Greece": "GR",
        "Hungary": "HU",
        "Ireland": "IE",
        "Italy": "IT",
        "Latvia": "LV",
        "Lithuania": "LT",
        "Luxembourg": "LU",
        "Malta": "MT",
        "Netherlands": "NL",
        "Poland": "PL",
        "Portugal": "PT",
        "Romania": "RO",
        "Slovakia": "SK",
        "Slovenia": "SI",
        "Spain": "ES",
        "Sweden": "SE",
        "Iceland": "IS",
        "Liechtenstein": "LI",
        "Norway": "NO",
        "Switzerland": "CH",
        "United Kingdom": "GB",
        "China": "CN",
        "Japan": "JP",
        "South Korea": "KR",
        "Republic of Korea": "KR",
        "United States": "US",
        "United States of America": "US",
        "Canada": "CA",
        "India": "IN",
        "Indonesia": "ID",
        "Mexico": "MX",
        "Morocco": "MA",
        "Serbia": "RS",
        "Turkey": "TR",
        "Türkiye": "TR",
        "Vietnam": "VN",
        "Thailand": "TH",
        "Taiwan": "TW",
        "Malaysia": "MY",
    }
)
