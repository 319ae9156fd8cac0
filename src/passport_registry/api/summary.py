"""The top of a passport page: the facts a person reads in five seconds, and small charts (inline SVG,
no script) where looking beats reading: carbon footprint by life-cycle stage, material composition and
recycled content. Built from the triples of the view, so a chart shows only what the reader may read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from html import escape

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from passport_registry.catalogue import Catalogue
from passport_registry.vocabulary.terms import BPR

#: Recycled content: (label, pre-consumer property, post-consumer property), Art. 8 metals.
RECYCLED = (
    ("Cobalt", "preConsumerRecycledCobaltShare", "postConsumerRecycledCobaltShare"),
    ("Lithium", "preConsumerRecycledLithiumShare", "postConsumerRecycledLithiumShare"),
    ("Nickel", "preConsumerRecycledNickelShare", "postConsumerRecycledNickelShare"),
    ("Lead", "preConsumerRecycledLeadShare", "postConsumerRecycledLeadShare"),
)
_COLOURS = ("#0b6e4f", "#7fb8a4")
#: Life-cycle stages in the order of the PEF rules (and of the vocabulary's concept scheme).
STAGE_ORDER = ("raw-material-acquisition", "main-production", "distribution", "end-of-life-recycling")


@dataclass(frozen=True)
class Fact:
    label: str
    value: str
    key: str


@dataclass(frozen=True)
class Chart:
    """A titled chart; `svg` is markup built here with every text escaped."""

    key: str
    title: str
    svg: str


@dataclass(frozen=True)
class Summary:
    facts: list[Fact]
    charts: list[Chart]


class _Graph:
    """The view's triples by subject, with typed look-ups."""

    def __init__(self, triples: Iterable[Triple], catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.by_subject: dict[object, list[Triple]] = {}
        for t in triples:
            self.by_subject.setdefault(t.subject, []).append(t)

    def objects(self, subject: object, name: str) -> list[object]:
        return [t.object for t in self.by_subject.get(subject, []) if t.predicate.value == BPR + name]

    def text(self, subject: object, name: str) -> str | None:
        for obj in self.objects(subject, name):
            if isinstance(obj, Literal):
                return obj.value
            if isinstance(obj, NamedNode):
                return self.label(obj)
        return None

    def number(self, subject: object, name: str) -> Decimal | None:
        value = self.text(subject, name)
        try:
            return None if value is None else Decimal(value)
        except InvalidOperation:
            return None

    def label(self, node: NamedNode) -> str:
        if self.catalogue.knows(node.value):
            label = self.catalogue.describe(node.value).label
            return label[:1].upper() + label[1:]
        return node.value

    def unit(self, name: str, symbols: dict[str, str]) -> str:
        unit = self.catalogue.describe(BPR + name).unit
        return symbols.get(unit, unit) if unit else ""


def summarise(
    triples: Iterable[Triple], root: NamedNode, catalogue: Catalogue, units: dict[str, str]
) -> Summary:
    """The facts and charts of the passport `root` as far as `triples` (the reader's view) tell them."""
    graph = _Graph(triples, catalogue)
    facts = []
    for key, label, value in (
        ("battery", "Battery", graph.text(root, "productIdentifier")),
        ("category", "Category", graph.text(root, "batteryCategory")),
        ("chemistry", "Chemistry", graph.text(root, "batteryChemistry")),
        ("status", "Status", graph.text(root, "batteryStatus")),
        ("capacity", "Rated capacity", _with_unit(graph, root, "ratedCapacity", units)),
        ("energy", "Rated energy", _with_unit(graph, root, "ratedEnergy", units)),
        ("carbon-class", "Carbon footprint class", graph.text(root, "carbonFootprintPerformanceClass")),
        ("manufacturer", "Manufacturer", _manufacturer(graph, root)),
        ("manufactured", "Manufactured", graph.text(root, "manufacturingDate")),
    ):
        if value:
            facts.append(Fact(label, value, key))
    charts = [
        chart
        for chart in (_carbon(graph, root, units), _materials(graph, root), _recycled(graph, root))
        if chart is not None
    ]
    return Summary(facts, charts)


def _with_unit(graph: _Graph, root: NamedNode, name: str, units: dict[str, str]) -> str | None:
    value = graph.text(root, name)
    return None if value is None else f"{value} {graph.unit(name, units)}".strip()


def _manufacturer(graph: _Graph, root: NamedNode) -> str | None:
    for node in graph.objects(root, "manufacturerInformation"):
        if isinstance(node, NamedNode | BlankNode):
            return graph.text(node, "name") or graph.text(node, "identifier")
    return None


def _carbon(graph: _Graph, root: NamedNode, units: dict[str, str]) -> Chart | None:
    stages = []
    for node in graph.objects(root, "carbonFootprintPerLifecycleStage"):
        concepts = [c for c in graph.objects(node, "lifecycleStage") if isinstance(c, NamedNode)]
        value = graph.number(node, "carbonFootprint")
        if concepts and value is not None:
            slug = concepts[0].value.rsplit("/", 1)[-1]
            order = STAGE_ORDER.index(slug) if slug in STAGE_ORDER else len(STAGE_ORDER)
            stages.append((order, graph.label(concepts[0]), value))
    if not stages:
        return None
    bars = [(label, [value]) for _, label, value in sorted(stages, key=lambda s: (s[0], s[1]))]
    unit = graph.unit("carbonFootprint", units)
    return Chart("carbon", f"Carbon footprint by life-cycle stage ({unit})", bar_chart(bars, ""))


def _materials(graph: _Graph, root: NamedNode) -> Chart | None:
    bars = []
    for node in graph.objects(root, "batteryMaterials"):
        name, mass = graph.text(node, "batteryMaterialName"), graph.number(node, "batteryMaterialMass")
        if name and mass is not None:
            bars.append((name, [mass]))
    if not bars:
        return None
    bars.sort(key=lambda bar: -bar[1][0])
    return Chart("materials", "Material composition (kg)", bar_chart(bars, "kg"))


def _recycled(graph: _Graph, root: NamedNode) -> Chart | None:
    bars = []
    for metal, pre, post in RECYCLED:
        values = [graph.number(root, pre), graph.number(root, post)]
        if any(v is not None for v in values) and any(v for v in values):
            bars.append((metal, [v or Decimal(0) for v in values]))
    if not bars:
        return None
    legend = ("pre-consumer", "post-consumer")
    return Chart(
        "recycled", "Recycled content (% of the metal)", bar_chart(bars, "%", scale=100, legend=legend)
    )


def bar_chart(
    bars: Sequence[tuple[str, Sequence[Decimal]]],
    unit: str,
    *,
    scale: Decimal | int | None = None,
    legend: Sequence[str] = (),
) -> str:
    """Horizontal bars, one per (label, values); several values stack. `scale` fixes the full width
    (100 for shares), else the largest total fills it. Labels and values are escaped."""
    row, label_width, bar_width, value_width = 22, 240, 220, 130
    width = label_width + bar_width + value_width
    top = 18 if legend else 0
    height = top + row * len(bars) + 4
    full = Decimal(scale) if scale is not None else max((sum(v) for _, v in bars), default=Decimal(1))
    full = full or Decimal(1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" class="chart" font-size="12" font-family="system-ui, sans-serif">'
    ]
    for i, name in enumerate(legend):
        key_x = label_width + i * 120
        parts.append(f'<rect x="{key_x}" y="3" width="10" height="10" fill="{_COLOURS[i % 2]}"/>')
        parts.append(f'<text x="{key_x + 14}" y="12" fill="currentColor">{escape(name)}</text>')
    for index, (label, values) in enumerate(bars):
        y = top + index * row
        shown = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" fill="currentColor">'
            f"<title>{escape(label)}</title>{escape(shown)}</text>"
        )
        x = Decimal(label_width)
        for i, value in enumerate(values):
            length = Decimal(bar_width) * max(value, Decimal(0)) / full
            parts.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="14" fill="{_COLOURS[i % 2]}">'
                f"<title>{escape(label)}: {escape(_plain(value))} {escape(unit)}</title></rect>"
            )
            x += length
        total = " + ".join(_plain(v) for v in values)
        parts.append(
            f'<text x="{label_width + bar_width + 6}" y="{y + 15}" fill="currentColor" class="value">'
            f"{escape(f'{total} {unit}'.strip())}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")
