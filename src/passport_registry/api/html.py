"""The passport page a person sees after scanning the QR code: readable, self-contained, no scripts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import segno
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from passport_registry.api import pages
from passport_registry.api.summary import summarise
from passport_registry.catalogue import Catalogue
from passport_registry.store import PassportRecord, Status
from passport_registry.vocabulary.terms import BPR, RDF_type

RDF_TYPE = RDF_type.value

#: UCUM codes (the ontology's `bpr:ucumCode`) as a person reads them on the page.
UNIT_SYMBOLS = {
    "kW.h": "kWh",
    "A.h": "Ah",
    "Cel": "°C",
    "kg/(kW.h)": "kg CO₂e/kWh",
    "t": "t CO₂e",
    "%/mo": "% per month",
    "mo": "months",
    "a": "years",
    "min": "minutes",
    "W/(W.h)": "W/Wh",
    "A/(A.h)": "A/Ah",
    "Ohm": "Ω",
}

#: Headings for the access groups, in the order Annex XIII lists them.
GROUP_HEADINGS = {
    "https://w3id.org/passport-registry/battery#PublicAccess": "Public information (Annex XIII point 1)",
    "https://w3id.org/passport-registry/battery#LegitimateInterestAndCommissionAccess": (
        "For persons with a legitimate interest and the Commission (point 2)"
    ),
    "https://w3id.org/passport-registry/battery#AuthoritiesAccess": (
        "For notified bodies, market surveillance authorities and the Commission (point 3)"
    ),
    "https://w3id.org/passport-registry/battery#LegitimateInterestAccess": (
        "Individual battery data for persons with a legitimate interest (point 4)"
    ),
}
OTHER_HEADING = "Other information"


@dataclass
class Value:
    """One value on the page: text, an optional link, or a nested block of rows."""

    text: str = ""
    href: str | None = None
    lang: str | None = None
    rows: list[Row] = field(default_factory=list)


@dataclass
class Row:
    label: str
    help: str | None
    unit: str | None
    values: list[Value]
    order: tuple[int, str] = (0, "")


@dataclass
class Section:
    heading: str
    rows: list[Row]


class PassportPage:
    """Renders a passport view as HTML; one instance (templates compiled once) serves every request."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        environment = pages.environment()
        self.template = environment.get_template("passport.html")
        self.ended_template = environment.get_template("ended.html")

    def render_ended(self, record: PassportRecord) -> str:
        """The page of an ended passport: that it ended, when, why and by whom; its data is not shown."""
        recycled = record.status is Status.CEASED
        ended_at = record.ended_at or record.updated
        return self.ended_template.render(
            passport_iri=record.iri.value,
            heading="This battery was recycled" if recycled else "This passport was withdrawn",
            reason=(
                "The battery was recycled, so its passport ceased to exist "
                "(Regulation (EU) 2023/1542, Art. 77)."
                if recycled
                else "The economic operator responsible for it withdrew this passport."
            ),
            ended_date=ended_at.strftime("%d %B %Y"),
            ended_iso=ended_at.isoformat(),
            ended_day=ended_at.date().isoformat(),
            ended_by=record.ended_by or "unknown",
            status=record.status.value,
        )

    def render(
        self,
        triples: Iterable[Triple],
        root: NamedNode,
        alternates: dict[str, str],
        title: str | None = None,
        *,
        complete: bool = True,
    ) -> str:
        """The page for the passport `root`; `alternates` maps media types to URLs of other formats.
        `complete` is false when the reader sees only some access groups (the page offers a sign-in)."""
        triples = list(triples)
        by_subject: dict[str, list[Triple]] = defaultdict(list)
        for triple in triples:
            by_subject[_key(triple.subject)].append(triple)
        seen = {root.value}
        grouped: dict[str, list[Row]] = defaultdict(list)
        root_triples = by_subject.get(root.value, [])
        for predicate, objects in _by_predicate(root_triples):
            if predicate == RDF_TYPE:
                continue
            info = self.catalogue.describe(predicate)
            row = self._row(predicate, [self._value(o, by_subject, seen) for o in objects])
            grouped[info.access_group or ""].append(row)
        # Rows follow the DIN DKE SPEC 99100 attribute order, as the standard and its readers list them.
        sections = [
            Section(h, sorted(grouped[g], key=lambda r: r.order))
            for g, h in GROUP_HEADINGS.items()
            if grouped.get(g)
        ]
        if grouped.get(""):
            sections.append(Section(OTHER_HEADING, sorted(grouped[""], key=lambda r: r.order)))
        if title is None:
            title = self._title(root_triples)
        qr = segno.make(root.value, error="m").svg_inline(scale=3, title="QR code of this passport")
        return self.template.render(
            title=title or "Battery passport",
            passport_iri=root.value,
            sections=sections,
            alternates=alternates,
            qr_svg=qr,
            summary=summarise(triples, root, self.catalogue, UNIT_SYMBOLS),
            complete=complete,
            sign_in="/auth/session?" + urlencode({"next": urlsplit(root.value).path}),
        )

    def _row(self, predicate: str, values: list[Value]) -> Row:
        # Texts in several languages: English first, then by language tag.
        values = sorted(values, key=lambda v: (v.lang is not None and v.lang != "en", v.lang or ""))
        info = self.catalogue.describe(predicate)
        unit = UNIT_SYMBOLS.get(info.unit, info.unit) if info.unit else None
        label = _capitalised(info.label)
        return Row(label, info.comment, unit, values, (info.din_attribute or 1000, label))

    def _title(self, root_triples: list[Triple]) -> str:
        """ "Battery passport" with what identifies the battery: category, chemistry and identifier."""
        parts = []
        for name in ("batteryCategory", "batteryChemistry", "productIdentifier"):
            for triple in root_triples:
                if triple.predicate.value == BPR + name:
                    obj = triple.object
                    if isinstance(obj, NamedNode) and self.catalogue.knows(obj.value):
                        parts.append(_capitalised(self.catalogue.describe(obj.value).label))
                    elif isinstance(obj, Literal):
                        parts.append(obj.value)
                    break
        return " · ".join(["Battery passport", *parts])

    def _value(self, obj: object, by_subject: dict[str, list[Triple]], seen: set[str]) -> Value:
        if isinstance(obj, Literal):
            return Value(text=obj.value, lang=obj.language)
        assert isinstance(obj, NamedNode | BlankNode)
        key = _key(obj)
        if key in by_subject and key not in seen:
            seen.add(key)
            rows = [
                self._row(predicate, [self._value(o, by_subject, seen) for o in objects])
                for predicate, objects in _by_predicate(by_subject[key])
                if predicate != RDF_TYPE
            ]
            return Value(rows=sorted(rows, key=lambda r: r.order))
        if isinstance(obj, NamedNode):
            if self.catalogue.knows(obj.value):  # a controlled value reads as its label
                return Value(text=self.catalogue.describe(obj.value).label)
            link = obj.value if obj.value.startswith(("http://", "https://")) else None
            return Value(text=obj.value, href=link)
        return Value(text="")


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def _by_predicate(triples: list[Triple]) -> list[tuple[str, list[object]]]:
    grouped: dict[str, list[object]] = defaultdict(list)
    for triple in triples:
        grouped[triple.predicate.value].append(triple.object)
    return list(grouped.items())


def _key(node: object) -> str:
    if isinstance(node, BlankNode):
        return f"_:{node.value}"
    assert isinstance(node, NamedNode)
    return node.value
