"""What the ontology and the code lists say about each term, read in one walk over their triples.

A `Catalogue` answers, for any IRI of the ontology or the vocabularies: its label and comment, its Annex XIII
access group, DIN DKE SPEC 99100 attribute number and clause, Annex XIII reference, unit (UCUM code),
datatype (an `xsd:` range), the concept scheme of its values, and for a concept scheme its codes and
concepts, each with every spelling the vocabularies give it (`Concept`: notations, preferred, alternative
and hidden labels). Every layer asks it (the page, access control, the DPP sections, the schema of a new
attribute, the importers, the validation messages) instead of reading the annotations itself.

>>> from pyoxigraph import Literal, NamedNode, Triple
>>> from passport_registry.vocabulary.terms import BPR, BPR_ucumCode
>>> catalogue = Catalogue([Triple(NamedNode(BPR + "batteryMass"), BPR_ucumCode, Literal("kg"))])
>>> catalogue.describe(BPR + "batteryMass").unit, catalogue.describe(BPR + "batteryMass").label
('kg', 'batteryMass')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pyoxigraph import Literal, NamedNode, Quad, Triple

from passport_registry.vocabulary.terms import (
    XSD,
    BPR_accessGroup,
    BPR_annexXIII,
    BPR_annexXIIIPoint,
    BPR_conceptScheme,
    BPR_dinAttribute,
    BPR_dinClause,
    BPR_ucumCode,
    RDF_type,
    RDFS_comment,
    RDFS_label,
    RDFS_range,
    SKOS_altLabel,
    SKOS_ConceptScheme,
    SKOS_hiddenLabel,
    SKOS_inScheme,
    SKOS_notation,
    SKOS_prefLabel,
)

_TEXT = {
    RDFS_comment.value: "comment",
    BPR_dinAttribute.value: "din",
    BPR_dinClause.value: "clause",
    BPR_annexXIII.value: "annex",
    BPR_annexXIIIPoint.value: "point",
    BPR_ucumCode.value: "unit",
    SKOS_notation.value: "notation",
}
_LINKS = {
    RDFS_range.value: "range",
    BPR_conceptScheme.value: "scheme",
    SKOS_inScheme.value: "in_scheme",
}
_LABELS = (RDFS_label.value, SKOS_prefLabel.value)
#: The SKOS properties that spell a concept, in the order `Concept.names` gives them.
_SPELLINGS = {
    SKOS_notation.value: "notations",
    SKOS_prefLabel.value: "pref_labels",
    SKOS_altLabel.value: "alt_labels",
    SKOS_hiddenLabel.value: "hidden_labels",
}


@dataclass(frozen=True)
class TermInfo:
    """One ontology or vocabulary term as a person (and the code) reads it."""

    iri: str
    label: str
    comment: str | None = None
    access_group: str | None = None
    din_attribute: int | None = None
    unit: str | None = None
    din_clause: str | None = None
    annex_xiii: str | None = None  # the Annex XIII reference, e.g. "4(b)"; of a group: its point, e.g. "4"
    datatype: str | None = None  # the `xsd:` range of a datatype property
    concept_scheme: str | None = None  # the scheme whose concepts are the property's values
    notation: str | None = None  # of a concept: its short code


@dataclass(frozen=True)
class Concept:
    """One SKOS concept and every spelling of it, each kind in the order the vocabularies write them
    (labels of every language: the hidden labels keep the upstream spellings importers read)."""

    iri: str
    schemes: tuple[str, ...] = ()
    notations: tuple[str, ...] = ()
    pref_labels: tuple[str, ...] = ()
    alt_labels: tuple[str, ...] = ()
    hidden_labels: tuple[str, ...] = ()

    @property
    def notation(self) -> str | None:
        """The concept's code: its first `skos:notation`, None when it has none."""
        return self.notations[0] if self.notations else None

    def names(self) -> tuple[str, ...]:
        """Every spelling: notations, then preferred, alternative and hidden labels."""
        return (*self.notations, *self.pref_labels, *self.alt_labels, *self.hidden_labels)


@dataclass(frozen=True)
class CodeList:
    """One SKOS concept scheme: its IRI, its concepts by IRI, each with its code (`skos:notation`), and
    every concept of the scheme (`skos:inScheme`, with or without a code) in the order first named."""

    scheme: str
    codes: Mapping[str, str] = field(default_factory=dict)
    concepts: Mapping[str, Concept] = field(default_factory=dict)


class Catalogue:
    """An immutable lookup of term descriptions, built once from the ontology and vocabulary triples."""

    def __init__(self, triples: Iterable[Triple | Quad]) -> None:
        fields: dict[str, dict[str, str]] = {}
        spellings: dict[str, dict[str, list[str]]] = {}
        annotations: list[Triple | Quad] = []
        schemes: list[str] = []
        for triple in triples:
            predicate = triple.predicate.value
            if predicate == BPR_accessGroup.value:
                annotations.append(triple)  # checked by `access.GroupResolver`, whatever it links
            if not isinstance(triple.subject, NamedNode):
                continue
            obj = triple.object
            entry = fields.setdefault(triple.subject.value, {})
            kind = _SPELLINGS.get(predicate) if isinstance(obj, Literal) else None
            if isinstance(obj, NamedNode) and predicate == SKOS_inScheme.value:
                kind = "schemes"
            if kind is not None and isinstance(obj, Literal | NamedNode):
                spellings.setdefault(triple.subject.value, {}).setdefault(kind, []).append(obj.value)
            if isinstance(obj, Literal):
                english = obj.language in (None, "en")
                if predicate in _LABELS and english:
                    entry.setdefault("label", obj.value)
                elif predicate in _TEXT and (english or predicate != RDFS_comment.value):
                    entry.setdefault(_TEXT[predicate], obj.value)
            elif isinstance(obj, NamedNode):
                if predicate == BPR_accessGroup.value:
                    entry["group"] = obj.value
                elif predicate in _LINKS:
                    entry.setdefault(_LINKS[predicate], obj.value)
                elif predicate == RDF_type.value and obj == SKOS_ConceptScheme:
                    schemes.append(triple.subject.value)
        self.access_group_annotations: tuple[Triple | Quad, ...] = tuple(annotations)
        self._terms = {iri: _info(iri, entry) for iri, entry in fields.items()}
        self._concepts = MappingProxyType(
            {
                iri: Concept(iri, **{kind: tuple(values) for kind, values in kinds.items()})
                for iri, kinds in spellings.items()
            }
        )
        members: dict[str, dict[str, str]] = {scheme: {} for scheme in schemes}
        for iri, entry in fields.items():
            if entry.get("in_scheme") in members and "notation" in entry:
                members[entry["in_scheme"]][iri] = entry["notation"]
        concepts: dict[str, dict[str, Concept]] = {scheme: {} for scheme in schemes}
        for concept in self._concepts.values():
            for scheme in concept.schemes:
                if scheme in concepts:
                    concepts[scheme].setdefault(concept.iri, concept)
        self._code_lists = MappingProxyType(
            {
                scheme: CodeList(scheme, MappingProxyType(codes), MappingProxyType(concepts[scheme]))
                for scheme, codes in members.items()
            }
        )

    def knows(self, iri: str) -> bool:
        return iri in self._terms

    def describe(self, iri: str) -> TermInfo:
        """The term's description; an unknown IRI gets its local name as label."""
        return self._terms.get(iri) or TermInfo(iri=iri, label=_local_name(iri))

    def terms(self) -> Iterable[TermInfo]:
        """Every described term, in the order the triples first named them."""
        return self._terms.values()

    def code_lists(self) -> Mapping[str, CodeList]:
        """Every concept scheme of the vocabularies by its IRI."""
        return self._code_lists

    def concept(self, iri: str) -> Concept | None:
        """The spellings and schemes of the concept `iri`; None when the triples give it none."""
        return self._concepts.get(iri)


def _info(iri: str, entry: Mapping[str, str]) -> TermInfo:
    datatype = entry.get("range")
    return TermInfo(
        iri=iri,
        label=entry.get("label") or _local_name(iri),
        comment=entry.get("comment"),
        access_group=entry.get("group"),
        din_attribute=int(entry["din"]) if entry.get("din", "").isdigit() else None,
        unit=entry.get("unit"),
        din_clause=entry.get("clause"),
        annex_xiii=entry.get("annex") or entry.get("point"),
        datatype=datatype if datatype is not None and datatype.startswith(XSD) else None,
        concept_scheme=entry.get("scheme"),
        notation=entry.get("notation"),
    )


def _local_name(iri: str) -> str:
    for separator in ("#", "/", ":"):
        _, sep, tail = iri.rpartition(separator)
        if sep and tail:
            return tail
    return iri
