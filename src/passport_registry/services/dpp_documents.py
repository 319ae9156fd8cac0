"""Our passports as EN 18222 / EN 18223 DPP documents, and back: the header table and the content sections.

A *compressed* DPP document is one JSON object: the EN 18223 header fields, then one member per content
section, named by the section's content specification id (listed in `contentSpecificationIds`). A section
holds the passport's top-level attributes of one DIN DKE SPEC 99100 cluster (the ontology's
`bpr:dinClause` says which), exactly as our compacted JSON-LD writes them, so a section is plain JSON a
partner reads with our context. The header is mapped by `HEADER` (docs/dpp.md has the table):

- *moved* fields live only in the header (`digitalProductPassportId` is our `batteryPassportIdentifier`);
- *copied* fields repeat one member of a section's node (`economicOperatorId` is
  `operatorInformation.identifier`), and must agree with it on writes;
- `dppStatus` and `contentSpecificationIds` are the registry's: `Active` while the passport is live.

Guarantee (tests/dpp): `to_jsonld(to_dpp(compacted))` denotes the same graph as the compacted passport,
for every view. The *full* representation (`full`) is derived from the compressed one, read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from passport_registry.errors import BadRequest
from passport_registry.vocabulary import Catalogue, ContextIndex
from passport_registry.vocabulary import TermDefinition as Term
from passport_registry.vocabulary.terms import XSD

#: Where our content specification ids live: one per DIN DKE SPEC 99100 cluster (clause 6.N).
SECTION_BASE = "https://w3id.org/passport-registry/battery/dpp/"
#: DIN DKE SPEC 99100 clause 6.N -> section name; attributes without a clause go to the first.
CLUSTERS: dict[str, str] = {
    "6.1": "general-information",
    "6.2": "labels-and-conformity",
    "6.3": "carbon-footprint",
    "6.4": "supply-chain-due-diligence",
    "6.5": "materials-and-composition",
    "6.6": "circularity",
    "6.7": "performance-and-durability",
}
SECTIONS: tuple[str, ...] = tuple(SECTION_BASE + name for name in CLUSTERS.values())
DEFAULT_SECTION = SECTIONS[0]

STATUS_ACTIVE = "Active"
GRANULARITIES = ("Item", "Model", "Batch")


@dataclass(frozen=True)
class HeaderField:
    """One EN 18223 header field: our top-level JSON key, and the member of its node when copied."""

    name: str
    key: str
    member: str | None = None


#: The header, in the order a document lists it. Data, not code: docs/dpp.md shows the same table.
HEADER: tuple[HeaderField, ...] = (
    HeaderField("digitalProductPassportId", "batteryPassportIdentifier"),
    HeaderField("uniqueProductIdentifier", "productIdentifier"),
    HeaderField("granularity", "granularity"),
    HeaderField("dppSchemaVersion", "schemaVersion"),
    HeaderField("lastUpdate", "lastModification"),
    HeaderField("economicOperatorId", "operatorInformation", "identifier"),
    HeaderField("facilityId", "manufacturingPlace", "identifier"),
)
#: Header fields the registry sets (never written from a document, apart from `Active`).
DERIVED_FIELDS = ("dppStatus", "contentSpecificationIds")
HEADER_NAMES = frozenset(f.name for f in HEADER) | frozenset(DERIVED_FIELDS)
_MOVED = {f.key: f for f in HEADER if f.member is None}


class DppDocuments:
    """Builds and reads DPP documents; one immutable instance, built once from the vocabulary's catalogue
    (the DIN clause of each attribute) and context."""

    def __init__(self, catalogue: Catalogue, context: ContextIndex, context_url: str) -> None:
        self.context = context
        self.context_url = context_url
        self._section_by_iri = {
            term.iri: SECTION_BASE + CLUSTERS.get(".".join(term.din_clause.split(".")[:2]), CLUSTERS["6.1"])
            for term in catalogue.terms()
            if term.din_clause is not None
        }
        self._terms: dict[str, Term | None] = {}

    # -- terms ----------------------------------------------------------------------------------

    def term(self, key: str) -> Term | None:
        """The context's term for a JSON key (cached)."""
        if key not in self._terms:
            self._terms[key] = self.context.term_named(key)
        return self._terms[key]

    def section_of(self, key: str) -> str:
        """The content section a top-level passport key belongs in (by its term's DIN clause)."""
        term = self.term(key)
        iri = term.iri if term is not None else key
        return self._section_by_iri.get(iri, DEFAULT_SECTION)

    # -- passport -> DPP ------------------------------------------------------------------------

    def to_dpp(self, compacted: Mapping[str, Any], *, fallback_id: str, issued: str) -> dict[str, Any]:
        """The compressed DPP document of a compacted passport (one view of it).

        `fallback_id` (the registry IRI) is the `digitalProductPassportId` of a view that lacks the
        passport identifier, and `issued` (when the registry stored the version) the `lastUpdate` of a
        passport without `lastModification`. Nested nodes lose their registry-made `@id`s
        (`{passport}#n-k`).
        """
        root = str(compacted.get("@id", fallback_id))
        body = {k: _without_ids(v, root + "#") for k, v in compacted.items() if not k.startswith("@")}
        document: dict[str, Any] = {}
        for field in HEADER:
            value = body.get(field.key)
            if field.member is None:
                body.pop(field.key, None)
            elif isinstance(value, Mapping):
                value = value.get(field.member)
            else:
                value = None
            if field.name == "granularity" and isinstance(value, str):
                value = value.capitalize()
            if value is None:
                value = {"digitalProductPassportId": fallback_id, "lastUpdate": issued}.get(field.name)
            if value is not None:
                document[field.name] = value
            if field.name == "dppSchemaVersion":
                document["dppStatus"] = STATUS_ACTIVE  # in the order EN 18223 lists the header
        sections: dict[str, dict[str, Any]] = {}
        for key, value in body.items():
            sections.setdefault(self.section_of(key), {})[key] = value
        ordered = [s for s in SECTIONS if s in sections]
        document["contentSpecificationIds"] = ordered
        for section in ordered:
            document[section] = sections[section]
        return document

    # -- DPP -> passport ------------------------------------------------------------------------

    def to_jsonld(self, document: Any) -> dict[str, Any]:
        """The passport (compacted JSON-LD with our context) a compressed DPP document describes.

        Raises BadRequest for what has no place in a passport: a member that is neither a header field
        nor a content section, an attribute in the wrong section or in both header and section, a
        header value of the wrong kind, a copied field that disagrees with its section, a `dppStatus`
        other than `Active`, or the full representation's `elements`.
        """
        if not isinstance(document, Mapping):
            raise BadRequest("A DPP document is a JSON object.")
        if "elements" in document:
            raise BadRequest("Write the compressed representation: `elements` is the read-only full form.")
        unknown = sorted(k for k in document if k not in HEADER_NAMES and k not in SECTIONS)
        if unknown:
            raise BadRequest(
                f"Neither header fields nor content sections: {', '.join(unknown)}; the sections are "
                f"{', '.join(SECTIONS)}."
            )
        status = document.get("dppStatus")
        if status is not None and status != STATUS_ACTIVE:
            raise BadRequest(
                f"dppStatus is {STATUS_ACTIVE} while a passport is live; end a passport with DELETE."
            )
        specs = document.get("contentSpecificationIds")
        if specs is not None and (not isinstance(specs, list) or any(s not in SECTIONS for s in specs)):
            raise BadRequest(f"contentSpecificationIds lists sections of {SECTION_BASE}... only.")
        passport: dict[str, Any] = {}
        for section in SECTIONS:
            content = document.get(section)
            if content is None:
                continue
            if not isinstance(content, Mapping):
                raise BadRequest(f"The section {section} is a JSON object.")
            for key, value in content.items():
                self._check_section_key(section, key)
                passport[key] = value
        for field in HEADER:
            value = document.get(field.name)
            if value is None:
                continue
            if not isinstance(value, str) or not value:
                raise BadRequest(f"{field.name} is a non-empty string.")
            if field.name == "granularity":
                if value not in GRANULARITIES:
                    raise BadRequest(f"granularity is one of {', '.join(GRANULARITIES)}.")
                value = value.lower()
            if field.member is None:
                passport[field.key] = value
            else:
                passport[field.key] = self._copied(field, passport.get(field.key), value)
        return {"@context": self.context_url, "@type": "BatteryPassport", **passport}

    def _check_section_key(self, section: str, key: str) -> None:
        if key.startswith("@"):
            raise BadRequest(f"{key} has no place in a content section ({section}).")
        moved = _MOVED.get(key)
        if moved is not None:
            raise BadRequest(f"{key} is the header field {moved.name}, not a member of {section}.")
        home = self.section_of(key)
        if home != section:
            raise BadRequest(f"{key} belongs in the section {home}, not {section}.")

    @staticmethod
    def _copied(field: HeaderField, node: Any, value: str) -> Any:
        assert field.member is not None
        if node is None:
            return {field.member: value}
        if not isinstance(node, Mapping):
            raise BadRequest(f"{field.key} is a JSON object.")
        current = node.get(field.member)
        if current is None:
            return {**node, field.member: value}
        if current != value:
            raise BadRequest(
                f"{field.name} is {value!r} but {field.key}.{field.member} is {current!r}: they are one "
                "attribute, give them the same value (or only one of them)."
            )
        return node

    # -- full representation --------------------------------------------------------------------

    def full(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """The full representation: the header as it is, and every section as a DataElementCollection
        in `elements` (each element's `dictionaryReference` is our ontology term)."""
        header = {k: v for k, v in document.items() if k in HEADER_NAMES}
        elements = [
            self.element(section, document[section], section)
            for section in SECTIONS
            if isinstance(document.get(section), Mapping)
        ]
        return {**header, "elements": elements}

    def element(self, name: str, value: Any, reference: str | None = None) -> dict[str, Any]:
        """The expanded DataElement of one compressed value named `name`."""
        term = self.term(name)
        if reference is None and term is not None:
            reference = term.iri
        found: dict[str, Any] = {"elementId": name}
        if reference is not None:
            found["dictionaryReference"] = reference
        if isinstance(value, Mapping) and term is not None and term.is_language_map:
            found["objectType"] = "MultiLanguageDataElement"
            found["value"] = [{"language": lang, "value": str(text)} for lang, text in value.items()]
        elif isinstance(value, Mapping):
            found["objectType"] = "DataElementCollection"
            found["elements"] = [self.element(k, v) for k, v in value.items() if not k.startswith("@")]
        elif isinstance(value, list):
            found["objectType"] = "MultiValuedDataElement"
            items = [self.element(name, item, reference) for item in value]
            if items and all(i["objectType"] == "SingleValuedDataElement" for i in items):
                found["valueDataType"] = items[0]["valueDataType"]
            found["elements"] = items
        else:
            found["objectType"] = "SingleValuedDataElement"
            found["valueDataType"] = _datatype(term, value)
            found["value"] = _lexical(value)
        return found


def _without_ids(value: Any, scope: str) -> Any:
    """`value` without the `@id`s the registry gave nested nodes (they read back as blank nodes)."""
    if isinstance(value, Mapping):
        return {
            k: _without_ids(v, scope)
            for k, v in value.items()
            if not (k == "@id" and isinstance(v, str) and v.startswith(scope))
        }
    if isinstance(value, list):
        return [_without_ids(v, scope) for v in value]
    return value


def _datatype(term: Term | None, value: Any) -> str:
    if term is not None and term.coercion is not None:
        if term.coercion.startswith(XSD):
            return "xsd:" + term.coercion[len(XSD) :]
        if term.coercion in ("@id", "@vocab"):
            return "xsd:anyURI"
    if isinstance(value, bool):
        return "xsd:boolean"
    if isinstance(value, int):
        return "xsd:integer"
    if isinstance(value, float):
        return "xsd:double"
    return "xsd:string"


def _lexical(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value
