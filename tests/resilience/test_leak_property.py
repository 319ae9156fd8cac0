"""Property: no REST representation and no SPARQL escape attempt ever gives a caller a triple of an access
group it may not read (Annex XIII; docs/model.md, docs/sparql.md).

Random passports from bench/generate.py (some updated, one ended), random callers (anonymous, an account
without role, admin, legitimate interest, notified body, market surveillance, Commission, another
economic operator, the owner), every representation (JSON-LD compacted, expanded, flattened, plain JSON,
Turtle, N-Triples, N-Quads, TriG, RDF/XML, HTML) of the current passport, of each version and `?at=`;
and SPARQL queries that try to widen the dataset (GRAPH ?g, FROM / FROM NAMED / GRAPH with every
registry graph name, the protocol's dataset parameters, DESCRIBE, property paths, COUNT, ASK, EXISTS,
subqueries, VALUES), sent by GET, form POST and direct POST. What may be read comes from
`leak_oracle` (the ontology file and docs/model.md's table), not from the registry's access code.
Bounded in CI; `make resilience` (or RESILIENCE_EXAMPLES) runs more examples.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
import rdflib
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from leak_oracle import (
    AUTHORITIES,
    BPR,
    BPRM,
    GRAPH_BASE,
    GROUPS,
    LI,
    LIC,
    PUBLIC,
    READS,
    Leaks,
    Passport,
    graph_leaks,
    internal_terms,
    ontology_terms,
    parse_rdf,
    property_groups,
    sparql_json_terms,
    split_by_group,
)
from rdflib.term import Node
from resilience_support import generated_passports, open_registry, record, scale

from passports_support import Api

PASSPORTS = 10
EXAMPLES = scale(40, 400, "RESILIENCE_EXAMPLES")
SLUGS = {PUBLIC: "public", LIC: LIC, AUTHORITIES: AUTHORITIES, LI: LI}
MEDIA = {
    "compacted": "application/ld+json",
    "expanded": 'application/ld+json; profile="http://www.w3.org/ns/json-ld#expanded"',
    "flattened": 'application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"',
    "json": "application/json",
    "turtle": "text/turtle",
    "n-triples": "application/n-triples",
    "n-quads": "application/n-quads",
    "trig": "application/trig",
    "rdf-xml": "application/rdf+xml",
    "html": "text/html",
}
REST_CALLERS = sorted(READS)
SPARQL_CALLERS = sorted(set(READS) - {"owner"})
Triple = tuple[Node, Node, Node]
#: The inputs are a handful of discrete choices, each printed when it fails: no shrinking (it would only
#: replay requests), no example database (passport ids differ per run).
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@dataclass(repr=False)
class World:
    registry: Api
    ids: list[str]
    owners: dict[str, str]  # id -> caller
    issued: dict[str, list[str]]  # id -> issue time of each version
    versions: dict[tuple[str, int], Passport]
    ended: set[str]
    rest: Leaks = field(default_factory=Leaks)
    sparql: Leaks = field(default_factory=Leaks)
    callers: set[str] = field(default_factory=set)

    views: dict[str, Visible] = field(default_factory=dict)

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return f"World({len(self.ids)} passports)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def latest(self, passport_id: str) -> int:
        return len(self.issued[passport_id])

    def view(self, kind: str) -> Visible:
        if kind not in self.views:
            self.views[kind] = visible(self, kind)
        return self.views[kind]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with open_registry(tmp_path_factory.mktemp("leaks")) as registry:
        yield _populate(registry)


def _populate(registry: Api) -> World:
    client = registry.client
    ids, owners = [], {}
    for n, document in enumerate(generated_passports(PASSPORTS, seed=11)):
        caller = f"operator-{document['operatorInformation']['identifier']}"
        headers = registry.headers(caller, content_type="application/json")
        created = client.post("/passports", content=json.dumps(document), headers=headers)
        assert created.status_code == 201, created.text
        passport_id = created.json()["id"]
        ids.append(passport_id)
        owners[passport_id] = caller
        if n % 2 == 0:  # a second version, so history differs from the live passport
            patch = {"warrantyPeriod": 12 + n}
            updated = client.patch(
                f"/passports/{passport_id}",
                content=json.dumps(patch),
                headers=registry.headers(
                    caller, content_type="application/merge-patch+json", if_match=created.headers["etag"]
                ),
            )
            assert updated.status_code == 200, updated.text
    ended = {ids[-1]}
    gone = client.delete(f"/passports/{ids[-1]}", headers=registry.headers(owners[ids[-1]], if_match="*"))
    assert gone.status_code == 204, gone.text
    issued, versions = {}, {}
    for passport_id in ids:
        owner = owners[passport_id]
        listing = client.get(f"/passports/{passport_id}/versions", headers=registry.headers(owner))
        assert listing.status_code == 200, listing.text
        issued[passport_id] = [v["issued"] for v in listing.json()]
        for number in range(1, len(issued[passport_id]) + 1):
            url = f"/passports/{passport_id}/versions/{number}"
            full = client.get(url, headers=registry.headers(owner, accept="application/n-triples"))
            assert full.status_code == 200, full.text
            graph = parse_rdf(full.content, "application/n-triples", "http://testserver/")
            iri = rdflib.URIRef(f"http://testserver/passports/{passport_id}")
            triples = split_by_group(graph, iri)
            assert {g for g in triples.values()} >= {PUBLIC, LIC}, "the oracle found no restricted data"
            versions[(passport_id, number)] = Passport(str(iri), owner, triples)
    return World(registry, ids, owners, issued, versions, ended)


@pytest.fixture(scope="module", autouse=True)
def figures(world: World) -> Iterator[None]:
    yield
    record(
        "leak_property",
        {
            "passports": PASSPORTS,
            "rest_scenarios": world.rest.checked,
            "rest_refused_4xx": world.rest.refused,
            "sparql_escape_attempts": world.sparql.checked,
            "sparql_refused_4xx": world.sparql.refused,
            "leaks_found": len(world.rest.found) + len(world.sparql.found),
            "callers": sorted(world.callers),
            "command": f"RESILIENCE_EXAMPLES={EXAMPLES} pytest tests/resilience/test_leak_property.py",
        },
    )


def _caller(world: World, kind: str, passport_id: str) -> str:
    owner = world.owners[passport_id]
    if kind == "owner":
        return owner
    if kind == "other_operator":
        return next(c for c in sorted(world.registry.tokens) if c.startswith("operator-") and c != owner)
    return kind


# -- REST ------------------------------------------------------------------------------------------------


@PROPERTY
@given(
    pick=st.integers(0, PASSPORTS - 1),
    kind=st.sampled_from(REST_CALLERS),
    form=st.sampled_from(sorted(MEDIA)),
    route=st.sampled_from(["current", "version", "at", "list"]),
    version=st.integers(0, 7),
)
def test_no_rest_representation_shows_a_group_the_caller_may_not_read(
    world: World, pick: int, kind: str, form: str, route: str, version: int
) -> None:
    passport_id = world.ids[pick]
    number = version % world.latest(passport_id) + 1
    caller = _caller(world, kind, passport_id)
    if route == "current":
        url, number = f"/passports/{passport_id}", world.latest(passport_id)
    elif route == "version":
        url = f"/passports/{passport_id}/versions/{number}"
    elif route == "at":
        url = f"/passports/{passport_id}?at={world.issued[passport_id][number - 1]}"
    else:
        url = f"/passports/{passport_id}/versions"
    response = world.registry.client.get(url, headers=world.registry.headers(caller, accept=MEDIA[form]))
    world.rest.checked += 1
    world.callers.add(kind)
    assert response.status_code < 500, (url, response.status_code, response.text[:500])
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith(("application/problem+json", "text/html"))
        world.rest.refused += 1
        return
    if route == "list":
        assert not internal_terms(rdflib.URIRef(v["url"]) for v in response.json() if "#" in v["url"])
        return
    passport = world.versions[(passport_id, number)]
    groups = READS[kind]
    media_type = response.headers["content-type"]
    if media_type.startswith("text/html"):
        leaks = _html_leaks(response.text, passport, groups)
    else:
        graph = parse_rdf(response.content, media_type, "http://testserver/")
        assert len(graph) > 0, (url, "an empty representation proves nothing")
        leaks = graph_leaks(graph, passport, groups)
    world.rest.found += leaks
    assert not leaks, (url, kind, form, leaks)


def _html_leaks(page: str, passport: Passport, groups: frozenset[str]) -> list[str]:
    """Values only a forbidden group holds (distinctive ones: 6+ characters, not part of a readable
    value) must not appear on the page."""
    text = html.unescape(page)
    readable = " ".join(str(o) for (_, _, o) in passport.allowed(groups) if isinstance(o, rdflib.Literal))
    hidden = {
        str(o)
        for (_, _, o) in passport.forbidden(groups)
        if isinstance(o, rdflib.Literal) and len(str(o)) >= 6 and str(o) not in readable
    }
    return [f"hidden value {value!r} on the page" for value in sorted(hidden) if value in text][:3]


# -- SPARQL ----------------------------------------------------------------------------------------------


@dataclass
class Visible:
    """What one kind of caller's SPARQL dataset may and may not hold."""

    allowed: set[Triple]
    forbidden: set[Triple]
    hidden_terms: set[Node]  # subjects and objects found only in forbidden triples
    forbidden_properties: list[str]  # annotated with a group the caller does not read, with data
    graphs: set[str]  # graph names the caller may see bound to ?g


def visible(world: World, kind: str) -> Visible:
    groups = READS[kind]
    allowed: set[Triple] = set()
    forbidden: set[Triple] = set()
    for (passport_id, number), passport in world.versions.items():
        live = passport_id not in world.ended and number == world.latest(passport_id)
        allowed |= passport.allowed(groups) if live else set()
        forbidden |= passport.forbidden(groups) if live else set(passport.triples)
    forbidden -= allowed
    seen = {term for t in allowed for term in (t[0], t[1], t[2])} | ontology_terms()
    hidden = {term for t in forbidden for term in (t[0], t[2]) if term not in seen}
    in_data = {str(p) for (_, p, _) in forbidden}
    properties = sorted(p for p, g in property_groups().items() if g not in groups and p in in_data)
    graphs = {GRAPH_BASE + SLUGS[g] for g in groups} | {GRAPH_BASE + "ontology"}
    return Visible(allowed, forbidden, hidden, properties, graphs)


def registry_graphs(world: World) -> list[str]:
    """Every kind of graph name the store uses, for one live passport with history and one ended."""
    names = [GRAPH_BASE + SLUGS[g] for g in GROUPS] + [GRAPH_BASE + "meta", GRAPH_BASE + "ontology"]
    names += [GRAPH_BASE + "index/" + SLUGS[g] for g in GROUPS]
    for passport_id in (world.ids[0], world.ids[-1]):
        iri = f"http://testserver/passports/{passport_id}"
        names += [f"{iri}/versions/1#{SLUGS[g]}" for g in GROUPS] + [
            f"{iri}#minted",
            f"{iri}/versions/2#head",
        ]
    return names


@dataclass(frozen=True)
class Attempt:
    query: str
    params: tuple[tuple[str, str], ...] = ()
    must_be_empty: bool = False  # it asks only for data the caller may not read


def attempts(world: World, view: Visible, picks: tuple[int, ...]) -> list[Attempt]:
    """Every escape template, filled with the graph, passport, property and node that `picks` select."""
    graphs = registry_graphs(world)
    graph = graphs[picks[0] % len(graphs)]
    passport = f"http://testserver/passports/{world.ids[picks[1] % len(world.ids)]}"
    secrets = view.forbidden_properties or [BPRM + "owner"]
    secret = secrets[picks[2] % len(secrets)]
    metas = [BPRM + "owner", BPRM + "version", BPRM + "node", BPRM + "issuedBy"]
    meta = metas[picks[3] % len(metas)]
    hidden_nodes = sorted(
        str(t) for t in view.hidden_terms if isinstance(t, rdflib.URIRef) and "#n-" in str(t)
    )
    node = hidden_nodes[picks[4] % len(hidden_nodes)] if hidden_nodes else passport + "#n-1"
    spo = "?s ?p ?o"
    choices = [
        Attempt(f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ {spo} }} }} LIMIT 5000"),
        Attempt(f"SELECT ?s ?p ?o FROM <{graph}> WHERE {{ {spo} }} LIMIT 5000"),
        Attempt(f"SELECT ?g ?s ?p ?o FROM NAMED <{graph}> WHERE {{ GRAPH ?g {{ {spo} }} }} LIMIT 5000"),
        Attempt(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ {spo} }} }} LIMIT 5000"),
        Attempt(f"SELECT ?s ?p ?o WHERE {{ VALUES ?g {{ <{graph}> }} GRAPH ?g {{ {spo} }} }} LIMIT 5000"),
        Attempt(f"CONSTRUCT {{ {spo} }} WHERE {{ GRAPH ?g {{ {spo} }} }} LIMIT 5000"),
        Attempt(f"CONSTRUCT WHERE {{ {spo} }} LIMIT 5000", (("default-graph-uri", graph),)),
        Attempt(
            f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ {spo} }} }} LIMIT 5000", (("named-graph-uri", graph),)
        ),
        Attempt(f"SELECT ?s ?p ?o WHERE {{ {spo} }} LIMIT 5000", (("default-graph-uri", graph),)),
        Attempt(f"DESCRIBE <{passport}>"),
        Attempt(f"DESCRIBE <{node}>"),
        Attempt(f"DESCRIBE ?s FROM <{graph}> WHERE {{ ?s ?p ?o }} LIMIT 50"),
        Attempt(f"DESCRIBE ?s WHERE {{ GRAPH ?g {{ ?s <{secret}> ?o }} }}", must_be_empty=True),
        Attempt(f"SELECT ?o WHERE {{ <{passport}> (<urn:x:none>|!<urn:x:none>)* ?o }} LIMIT 5000"),
        Attempt(f"SELECT ?o WHERE {{ GRAPH ?g {{ <{passport}> !<urn:x:none>+ ?o }} }} LIMIT 5000"),
        Attempt(f"SELECT ?o WHERE {{ ?s <{secret}>/(!<urn:x:none>)* ?o }}", must_be_empty=True),
        Attempt(f"SELECT ?s WHERE {{ ?o ^<{secret}> ?s }}", must_be_empty=True),
        Attempt(
            f"SELECT ?s ?o WHERE {{ <{node}> (<urn:x:none>|^<urn:x:none>|!<urn:x:none>)+ ?o }} LIMIT 500"
        ),
        Attempt(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s <{secret}> ?o }}", must_be_empty=True),
        Attempt(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s <{secret}> ?o }} }}", must_be_empty=True),
        Attempt(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?s <{secret}> ?o }}", must_be_empty=True),
        Attempt(f"ASK {{ GRAPH ?g {{ ?s <{secret}> ?o }} }}", must_be_empty=True),
        Attempt(f"ASK FROM <{graph}> {{ ?s <{secret}> ?o }}", must_be_empty=True),
        Attempt(f"ASK {{ ?s <{meta}> ?o }}", must_be_empty=True),
        Attempt(f"SELECT ?s ?o WHERE {{ GRAPH ?g {{ ?s <{meta}> ?o }} }}", must_be_empty=True),
        Attempt(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s <{meta}> ?o }} }}", must_be_empty=True
        ),
        Attempt(
            f"SELECT ?s WHERE {{ ?s a <{BPR}BatteryPassport> "
            f"FILTER EXISTS {{ GRAPH ?g {{ ?s <{secret}> ?o }} }} }}",
            must_be_empty=True,
        ),
        Attempt(
            f"SELECT * WHERE {{ {{ SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ {spo} }} }} }} "
            f"UNION {{ {spo} }} }} LIMIT 5000"
        ),
    ]
    return choices


@PROPERTY
@given(
    kind=st.sampled_from(SPARQL_CALLERS),
    template=st.integers(0, 1000),
    picks=st.tuples(*[st.integers(0, 1000)] * 5),
    transport=st.sampled_from(["get", "form", "direct"]),
)
def test_no_sparql_escape_attempt_reads_a_group_the_caller_may_not_read(
    world: World, kind: str, template: int, picks: tuple[int, ...], transport: str
) -> None:
    view = world.view(kind)
    choices = attempts(world, view, picks)
    attempt = choices[template % len(choices)]
    caller = _caller(world, kind, world.ids[0])
    graph_form = attempt.query.startswith(("CONSTRUCT", "DESCRIBE"))
    accept = "application/n-triples" if graph_form else "application/sparql-results+json"
    headers = world.registry.headers(caller, accept=accept)
    fields = [("query", attempt.query), *attempt.params]
    client = world.registry.client
    if transport == "get":  # the three ways of SPARQL 1.1 Protocol §2.1
        response = client.get("/sparql", params=fields, headers=headers)
    elif transport == "form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = client.post("/sparql", content=urlencode(fields), headers=headers)
    else:
        headers["Content-Type"] = "application/sparql-query"
        response = client.post("/sparql", params=list(attempt.params), content=attempt.query, headers=headers)
    world.sparql.checked += 1
    world.callers.add(kind)
    assert response.status_code < 500, (attempt, response.status_code, response.text[:500])
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json"), response.text
        world.sparql.refused += 1
        return
    leaks = _sparql_leaks(response.content, graph_form, attempt, view)
    world.sparql.found += leaks
    assert not leaks, (kind, attempt, leaks)


def _sparql_leaks(body: bytes, graph_form: bool, attempt: Attempt, view: Visible) -> list[str]:
    if graph_form:
        graph = parse_rdf(body, "application/n-triples", "http://testserver/")
        rows: list[dict[str, Node]] = [{"s": s, "p": p, "o": o} for s, p, o in graph]
        answer = None
    else:
        rows, answer = sparql_json_terms(body)
    leaks: list[str] = []
    if attempt.must_be_empty:
        if answer:
            leaks.append("ASK answered true for data the caller may not read")
        counts = [int(r["n"]) for r in rows if "n" in r]
        if any(counts) or (rows and not counts):
            leaks.append(f"rows for data the caller may not read: {rows[:2]}")
    for row in rows:
        if {"s", "p", "o"} <= row.keys() and (row["s"], row["p"], row["o"]) in view.forbidden:
            leaks.append(f"forbidden triple {row['s']} {row['p']} {row['o']}")
        if "g" in row and str(row["g"]) not in view.graphs:
            leaks.append(f"graph {row['g']} outside the dataset")
        leaks += [f"hidden term {t}" for t in row.values() if t in view.hidden_terms]
        leaks += internal_terms(row.values())
    return leaks[:5]


def test_the_oracle_sees_restricted_data_and_refuses_nothing_unplaced(world: World) -> None:
    """Guards against a vacuous property: the passports hold data of every group, and the SPARQL view of
    an anonymous caller has properties to hide."""
    groups = {g for passport in world.versions.values() for g in passport.triples.values()}
    assert groups == set(GROUPS)
    assert visible(world, "anonymous").forbidden_properties
    assert visible(world, "anonymous").hidden_terms
