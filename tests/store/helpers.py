"""Test data for the passport store: a tiny ontology, an example passport, comparison helpers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import rdflib
from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize

PREFIXES = """
@prefix bpr: <https://w3id.org/passport-registry/battery#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

ONTOLOGY = (
    PREFIXES
    + """
bpr:productIdentifier bpr:accessGroup bpr:PublicAccess .
bpr:batteryCategory bpr:accessGroup bpr:PublicAccess .
bpr:manufacturer bpr:accessGroup bpr:PublicAccess .
bpr:cathodeComposition bpr:accessGroup bpr:LegitimateInterestAndCommissionAccess .
bpr:testReport bpr:accessGroup bpr:AuthoritiesAccess .
bpr:stateOfHealth bpr:accessGroup bpr:LegitimateInterestAccess .
bpr:name a <http://www.w3.org/2002/07/owl#DatatypeProperty> .
"""
)

EV = "https://w3id.org/passport-registry/battery/vocab/category/ev"
LMT = "https://w3id.org/passport-registry/battery/vocab/category/lmt"

#: One passport, root a blank node, one root property (and nested nodes) per access group.
PASSPORT = (
    PREFIXES
    + """
[] a bpr:BatteryPassport ;
  bpr:productIdentifier "{battery}" ;
  bpr:batteryCategory <{category}> ;
  bpr:manufacturer [ bpr:name "Acme Cells" ; bpr:address [ bpr:city "Berlin" ] ] ;
  bpr:cathodeComposition [ bpr:material "NMC811" ; bpr:share 0.6 ] ;
  bpr:testReport [ bpr:document <https://example.com/reports/{battery}.pdf> ] ;
  bpr:stateOfHealth [ bpr:value {soh} ; bpr:lastUpdate "2026-01-01T00:00:00Z"^^xsd:dateTime ] .
"""
)

#: The same passport split by access group, as the partition rule says it must be.
EXPECTED_BY_GROUP = {
    "public": """_:root a bpr:BatteryPassport ; bpr:productIdentifier "{battery}" ;
        bpr:batteryCategory <{category}> ;
        bpr:manufacturer [ bpr:name "Acme Cells" ; bpr:address [ bpr:city "Berlin" ] ] .""",
    "legitimate-interest-and-commission": """_:root bpr:cathodeComposition
        [ bpr:material "NMC811" ; bpr:share 0.6 ] .""",
    "authorities": """_:root bpr:testReport [ bpr:document <https://example.com/reports/{battery}.pdf> ] .""",
    "legitimate-interest": """_:root bpr:stateOfHealth
        [ bpr:value {soh} ; bpr:lastUpdate "2026-01-01T00:00:00Z"^^xsd:dateTime ] .""",
}


def passport_triples(battery: str = "BAT-1", soh: int = 97, category: str = EV) -> list[Triple]:
    """The example passport's triples (root a blank node), in document order."""
    text = PASSPORT.format(battery=battery, soh=soh, category=category)
    return [q.triple for q in parse(text.encode(), RdfFormat.TURTLE)]


def expected_graph(
    slugs: list[str], battery: str = "BAT-1", soh: int = 97, category: str = EV
) -> rdflib.Graph:
    """The expected triples of the given groups, root and nested nodes as blank nodes."""
    body = "\n".join(EXPECTED_BY_GROUP[s] for s in slugs)
    return rdflib.Graph().parse(
        data=PREFIXES + body.format(battery=battery, soh=soh, category=category), format="turtle"
    )


def deskolemised(triples: list[Triple], passport: NamedNode) -> rdflib.Graph:
    """`triples` as an rdflib graph with the passport and its `#n-k` nodes turned back into blank nodes."""
    text = serialize(triples, format=RdfFormat.N_TRIPLES).decode()
    text = re.sub(re.escape(f"<{passport.value}#n-") + r"(\d+)>", r"_:n\1", text)
    text = text.replace(f"<{passport.value}>", "_:root")
    return rdflib.Graph().parse(data=text, format="nt")


def isomorphic(a: rdflib.Graph, b: rdflib.Graph) -> bool:
    from rdflib.compare import isomorphic as iso

    return bool(iso(a, b))


class Clock:
    """A clock the test moves: each reading is one second after the previous one."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def iri(n: int | str) -> NamedNode:
    return NamedNode(f"http://testserver/passports/{n}")
