"""The passport page: grouped by access group, labels from the ontology, escaped, QR code inline."""

from __future__ import annotations

from html.parser import HTMLParser

import pyoxigraph as ox

from passport_registry.api.html import GROUP_HEADINGS, PassportPage
from passport_registry.catalogue import Catalogue

BPR = "https://w3id.org/passport-registry/battery#"
ROOT = "https://registry.example/passports/p1"
ONTOLOGY = f"""
@prefix bpr: <{BPR}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
bpr:batteryMass rdfs:label "Battery mass"@en ; bpr:accessGroup bpr:PublicAccess ; bpr:ucumCode "kg" ;
    bpr:dinAttribute 10 .
bpr:stateOfCharge rdfs:label "State of charge"@en ; bpr:accessGroup bpr:LegitimateInterestAccess .
bpr:manufacturer rdfs:label "Manufacturer"@en ; bpr:accessGroup bpr:PublicAccess .
bpr:name rdfs:label "Name"@en .
bpr:batteryCategory rdfs:label "Battery category"@en ; bpr:accessGroup bpr:PublicAccess .
<https://w3id.org/passport-registry/battery/vocab/category/ev> skos:prefLabel "Electric vehicle battery"@en .
"""
DATA = f"""
@prefix bpr: <{BPR}> .
<{ROOT}> a bpr:BatteryPassport ; bpr:batteryMass 452.5 ; bpr:stateOfCharge 81 ;
    bpr:batteryCategory <https://w3id.org/passport-registry/battery/vocab/category/ev> ;
    bpr:manufacturer [ bpr:name "Cell<forge> & Co" ] ;
    bpr:declarationOfConformity <https://cellforge.example/doc.pdf> .
"""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.chunks.append(data.strip())


def _page() -> tuple[str, _Text]:
    catalogue = Catalogue(q.triple for q in ox.parse(ONTOLOGY.encode(), format=ox.RdfFormat.TURTLE))
    triples = [q.triple for q in ox.parse(DATA.encode(), format=ox.RdfFormat.TURTLE)]
    html = PassportPage(catalogue).render(
        triples, ox.NamedNode(ROOT), {"text/turtle": f"{ROOT}?format=ttl"}, title="Battery X1"
    )
    parser = _Text()
    parser.feed(html)
    return html, parser


def test_groups_values_under_their_access_group() -> None:
    html, parsed = _page()
    text = " ".join(parsed.chunks)
    public = GROUP_HEADINGS[BPR + "PublicAccess"]
    item = GROUP_HEADINGS[BPR + "LegitimateInterestAccess"]
    assert public in text and item in text
    assert html.index(public) < html.index("Battery mass") < html.index(item) < html.index("State of charge")
    assert "452.5" in text and "kg" in text
    assert "Electric vehicle battery" in text


def test_escapes_data_and_links_documents() -> None:
    html, _ = _page()
    assert "Cell<forge>" not in html and "Cell&lt;forge&gt; &amp; Co" in html
    assert 'href="https://cellforge.example/doc.pdf"' in html


def test_carries_a_qr_code_and_alternates() -> None:
    html, parsed = _page()
    assert "svg" in parsed.tags
    assert '<link rel="alternate" type="text/turtle"' in html
    assert "<script" not in html


def test_rows_follow_din_order_with_readable_units_and_a_telling_title() -> None:
    ontology = (
        ONTOLOGY
        + """
bpr:ratedEnergy rdfs:label "certified usable battery energy"@en ; bpr:accessGroup bpr:PublicAccess ;
    bpr:ucumCode "kW.h" ; bpr:dinAttribute 55 .
bpr:productIdentifier rdfs:label "battery identifier"@en ; bpr:accessGroup bpr:PublicAccess ;
    bpr:dinAttribute 2 .
"""
    )
    data = DATA + f"""<{ROOT}> bpr:ratedEnergy 77.4 ; bpr:productIdentifier "VX77-0004711" ."""
    catalogue = Catalogue(q.triple for q in ox.parse(ontology.encode(), format=ox.RdfFormat.TURTLE))
    triples = [q.triple for q in ox.parse(data.encode(), format=ox.RdfFormat.TURTLE)]
    html = PassportPage(catalogue).render(triples, ox.NamedNode(ROOT), {})
    assert html.index("Battery identifier") < html.index("Battery mass") < html.index("Certified usable")
    assert '77.4 <span class="unit">kWh</span>' in html
    assert "<title>Battery passport · Electric vehicle battery · VX77-0004711</title>" in html


def test_texts_in_several_languages_read_english_first_and_marked() -> None:
    data = f"""@prefix bpr: <{BPR}> .
<{ROOT}> bpr:labelMeaning "Getrennt sammeln"@de, "Collect separately"@en ."""
    catalogue = Catalogue(q.triple for q in ox.parse(ONTOLOGY.encode(), format=ox.RdfFormat.TURTLE))
    triples = [q.triple for q in ox.parse(data.encode(), format=ox.RdfFormat.TURTLE)]
    html = PassportPage(catalogue).render(triples, ox.NamedNode(ROOT), {})
    assert html.index('<span lang="en">Collect separately') < html.index('<span lang="de">Getrennt sammeln')
