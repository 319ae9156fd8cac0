"""The mapping table of docs/dpp.md, written again on the test side: a DPP document from one of our
passports and back, without the registry's code, so round trips through `/dpps` have an oracle of their
own."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from passport_registry import resources
from passports_support import Api

SECTION_BASE = "https://w3id.org/passport-registry/battery/dpp/"
#: DIN DKE SPEC 99100 clause 6.N -> content section (docs/dpp.md).
CLUSTERS = {
    "6.1": "general-information",
    "6.2": "labels-and-conformity",
    "6.3": "carbon-footprint",
    "6.4": "supply-chain-due-diligence",
    "6.5": "materials-and-composition",
    "6.6": "circularity",
    "6.7": "performance-and-durability",
}
SECTIONS = [SECTION_BASE + name for name in CLUSTERS.values()]
#: Header field -> our key (moved: only in the header).
MOVED = {
    "digitalProductPassportId": "batteryPassportIdentifier",
    "uniqueProductIdentifier": "productIdentifier",
    "granularity": "granularity",
    "dppSchemaVersion": "schemaVersion",
    "lastUpdate": "lastModification",
}
#: Header field -> (our key, member): repeated from a section.
COPIED = {
    "economicOperatorId": ("operatorInformation", "identifier"),
    "facilityId": ("manufacturingPlace", "identifier"),
}


def _clauses() -> dict[str, str]:
    ontology = ox.parse(resources.ontology_bytes(), format=ox.RdfFormat.TURTLE)
    found = {}
    for q in ontology:
        if q.predicate.value == resources.BPR + "dinClause" and q.subject.value.startswith(resources.BPR):
            found[q.subject.value[len(resources.BPR) :]] = q.object.value
    return found


CLAUSES = _clauses()


def section_of(key: str) -> str:
    clause = CLAUSES.get(key, "6.1")
    return SECTION_BASE + CLUSTERS[".".join(clause.split(".")[:2])]


def dpp_of(passport: dict[str, Any]) -> dict[str, Any]:
    """The compressed DPP document of a passport in our plain JSON(-LD)."""
    body = {k: v for k, v in passport.items() if not k.startswith("@")}
    document: dict[str, Any] = {}
    for field, key in MOVED.items():
        if key in body:
            value = body.pop(key)
            document[field] = value.capitalize() if field == "granularity" else value
    for field, (key, member) in COPIED.items():
        if member in body.get(key, {}):
            document[field] = body[key][member]
    document["dppStatus"] = "Active"
    sections: dict[str, dict[str, Any]] = {}
    for key, value in body.items():
        sections.setdefault(section_of(key), {})[key] = value
    document["contentSpecificationIds"] = [s for s in SECTIONS if s in sections]
    document.update(sections)
    return document


def passport_of(document: dict[str, Any]) -> dict[str, Any]:
    """Our JSON-LD passport from a compressed DPP document (the reverse of `dpp_of`)."""
    passport: dict[str, Any] = {"@context": resources.CONTEXT_URL, "@type": "BatteryPassport"}
    for section in document.get("contentSpecificationIds", []):
        passport.update(document[section])
    for field, key in MOVED.items():
        if field in document:
            passport[key] = document[field].lower() if field == "granularity" else document[field]
    for field, (key, member) in COPIED.items():
        if field in document:
            assert passport[key][member] == document[field], field
    return passport


def jsonld_bytes(passport: dict[str, Any]) -> bytes:
    return json.dumps(passport).encode("utf-8")


def dpp_path(dpp_id: str) -> str:
    return "/dpps/" + quote(dpp_id, safe="")


def passport_location(api: Api, dpp_id: str) -> str:
    """`/passports/{id}` of the live passport with the identifier `dpp_id` (through the lookup route)."""
    found = api.client.get("/passports/lookup", params={"identifier": dpp_id}, follow_redirects=False)
    assert found.status_code == 303, found.text
    location: str = found.headers["location"]
    return location
