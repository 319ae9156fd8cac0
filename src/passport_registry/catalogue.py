"""What the ontology says about each term, as the views need it: label, unit, access group, DIN number."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Triple

BPR = "https://w3id.org/passport-registry/battery#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
BPR_ACCESS_GROUP = BPR + "accessGroup"
BPR_DIN_ATTRIBUTE = BPR + "dinAttribute"
BPR_UCUM_CODE = BPR + "ucumCode"


@dataclass(frozen=True)
class TermInfo:
    """One ontology or vocabulary term as a person reads it."""

    iri: str
    label: str
    comment: str | None = None
    access_group: str | None = None
    din_attribute: int | None = None
    unit: str | None = None


class Catalogue:
    """An immutable lookup of term descriptions, built once from the ontology and vocabulary triples."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        fields: dict[str, dict[str, str]] = {}
        for triple in triples:
            if not isinstance(triple.subject, NamedNode):
                continue
            obj = triple.object
            predicate = triple.predicate.value
            entry = fields.setdefault(triple.subject.value, {})
            if isinstance(obj, Literal):
                if predicate in (RDFS_LABEL, SKOS_PREF_LABEL) and obj.language in (None, "en"):
                    entry.setdefault("label", obj.value)
                elif predicate == RDFS_COMMENT and obj.language in (None, "en"):
                    entry.setdefault("comment", obj.value)
                elif predicate == BPR_DIN_ATTRIBUTE:
                    entry.setdefault("din", obj.value)
                elif predicate == BPR_UCUM_CODE:
                    entry.setdefault("unit", obj.value)
            elif isinstance(obj, NamedNode) and predicate == BPR_ACCESS_GROUP:
                entry["group"] = obj.value
        self._terms = {
            iri: TermInfo(
                iri=iri,
                label=entry.get("label") or _local_name(iri),
                comment=entry.get("comment"),
                access_group=entry.get("group"),
                din_attribute=int(entry["din"]) if entry.get("din", "").isdigit() else None,
                unit=entry.get("unit"),
            )
            for iri, entry in fields.items()
        }

    def knows(self, iri: str) -> bool:
        return iri in self._terms

    def describe(self, iri: str) -> TermInfo:
        """The term's description; an unknown IRI gets its local name as label."""
        return self._terms.get(iri) or TermInfo(iri=iri, label=_local_name(iri))


def _local_name(iri: str) -> str:
    for separator in ("#", "/", ":"):
        _, sep, tail = iri.rpartition(separator)
        if sep and tail:
            return tail
    return iri
