"""No query form reaches a triple outside the caller's access groups: GRAPH ?g, FROM, DESCRIBE, paths."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from passport_registry.access import AccessGroup, AccessPolicy
from passport_registry.roles import Role
from passport_registry.store import LIVE_GRAPHS, META_GRAPH, ONTOLOGY_GRAPH

from .conftest import EXAMPLES, World, passport_iri
from .helpers import graph_iris, group_triples, hidden_terms, ontology_triples, parse_results, triples_of

P, LI, LIC, AUTH = (
    AccessGroup.PUBLIC,
    AccessGroup.LEGITIMATE_INTEREST,
    AccessGroup.LEGITIMATE_INTEREST_AND_COMMISSION,
    AccessGroup.AUTHORITIES,
)
#: Caller -> the groups its SPARQL dataset holds (the union over its roles; owners get their role's).
DATASETS = {
    "anonymous": frozenset({P}),
    "economic_operator": frozenset({P}),
    "admin": frozenset({P}),
    "legitimate_interest": frozenset({P, LIC, LI}),
    "notified_body": frozenset({P, LIC, AUTH}),
    "market_surveillance": frozenset({P, LIC, AUTH}),
    "commission": frozenset({P, LIC, AUTH}),
    "operator_and_notified_body": frozenset({P, LIC, AUTH}),
}
SELECT_JSON = "application/sparql-results+json"


def _store(world: World):  # type: ignore[no-untyped-def]
    return world.client.app.state.registry.store  # type: ignore[attr-defined]


def construct(world: World, query: str, caller: str = "anonymous", **params: str) -> set[ox.Triple]:
    headers = {"Accept": "application/n-triples", **world.headers(caller)}
    response = world.client.get("/sparql", params={"query": query, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return triples_of(response.content)


def select_terms(world: World, query: str, caller: str = "anonymous") -> set[rdflib.term.Node]:
    response = world.select(query, caller)
    assert response.status_code == 200, response.text
    return {t for row in parse_results(response.content, SELECT_JSON) for t in row if t is not None}


def test_policy_table_matches_the_access_module() -> None:
    policy = AccessPolicy()
    for role in Role:
        if role.value in DATASETS:
            assert policy.readable_groups(role) == DATASETS[role.value]


@pytest.mark.parametrize("caller", sorted(DATASETS))
def test_default_graph_is_exactly_the_callers_groups(world: World, caller: str) -> None:
    store = _store(world)
    expected = {t for g in DATASETS[caller] for t in group_triples(store, g)}
    assert construct(world, "CONSTRUCT WHERE { ?s ?p ?o }", caller) == expected


@pytest.mark.parametrize("caller", sorted(DATASETS))
def test_the_ontology_graph_is_a_named_graph_of_everyone(world: World, caller: str) -> None:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH.value}> {{ ?s ?p ?o }} }}"
    got = construct(world, query, caller)
    assert len(got) == len(ontology_triples())
    assert {
        t for t in got if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    } == {
        t
        for t in ontology_triples()
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
    }


@pytest.mark.parametrize("caller", sorted(DATASETS))
def test_graph_variable_names_only_the_callers_graphs(world: World, caller: str) -> None:
    found = select_terms(world, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", caller)
    assert {str(g) for g in found} == graph_iris(DATASETS[caller])


@pytest.mark.parametrize("caller", sorted(DATASETS))
def test_each_live_graph_by_from_holds_its_group(world: World, caller: str) -> None:
    store = _store(world)
    for group in DATASETS[caller]:
        query = f"CONSTRUCT {{ ?s ?p ?o }} FROM <{LIVE_GRAPHS[group].value}> WHERE {{ ?s ?p ?o }}"
        assert construct(world, query, caller) == group_triples(store, group)


TRICKY = [
    "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
    "SELECT ?o WHERE { ?s (<urn:x:p>|!<urn:x:p>)* ?o }",
    "SELECT DISTINCT ?o WHERE { <http://testserver/passports/ev-nmc-car-pack> (!<urn:x:p>)+ ?o }",
    "SELECT DISTINCT ?o WHERE { ?o (^!<urn:x:p>)+ <http://testserver/passports/ev-nmc-car-pack> }",
    f"SELECT ?s ?p ?o WHERE {{ GRAPH <{META_GRAPH.value}> {{ ?s ?p ?o }} }}",
    f"SELECT ?p ?o WHERE {{ GRAPH <{LIVE_GRAPHS[LI].value}> {{ ?s ?p ?o }} }}",
    f"SELECT ?p ?o WHERE {{ GRAPH <{LIVE_GRAPHS[AUTH].value}> {{ ?s ?p ?o }} }}",
    "SELECT ?o WHERE { ?s <https://w3id.org/passport-registry/meta#owner> ?o }",
    "SELECT ?s ?o WHERE { ?s <https://w3id.org/passport-registry/meta#node> ?o }",
]


@pytest.mark.parametrize("query", TRICKY)
def test_no_hidden_term_reaches_an_anonymous_caller(world: World, query: str) -> None:
    # Terms compared in N-Triples form, so "24"^^xsd:integer and "24" stay apart.
    hidden = {str(t) for t in hidden_terms(_store(world), DATASETS["anonymous"])}
    assert hidden, "the examples have data outside the public group"
    seen = {t.n3() for t in select_terms(world, query)}
    assert not seen & hidden
    assert '"economic_operator"' not in seen  # the owner: registry metadata


def test_count_over_everything_counts_only_the_callers_graphs(world: World) -> None:
    store = _store(world)
    public = len(group_triples(store, P))
    response = world.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    (row,) = parse_results(response.content, SELECT_JSON)
    assert int(row[0]) == public + len(ontology_triples())  # type: ignore[index]


def test_describe_of_a_restricted_node_is_empty_for_anonymous(world: World) -> None:
    store = _store(world)
    restricted = next(
        t.subject for t in group_triples(store, LI) if t.subject.value.split("#")[-1].startswith("n-")
    )
    assert construct(world, f"DESCRIBE <{restricted.value}>") == set()
    assert construct(world, f"DESCRIBE <{restricted.value}>", "legitimate_interest")


def test_describe_of_a_passport_gives_its_public_root_only(world: World) -> None:
    store = _store(world)
    passport = passport_iri(sorted(EXAMPLES.glob("*.json"))[0])
    got = construct(world, f"DESCRIBE <{passport.value}>")
    assert got and got <= group_triples(store, P)
    assert all(t.subject == passport for t in got)


@pytest.mark.parametrize(
    "clause",
    [
        f"FROM <{LIVE_GRAPHS[LI].value}>",
        f"FROM NAMED <{META_GRAPH.value}>",
        f"FROM <{ONTOLOGY_GRAPH.value}> FROM NAMED <{LIVE_GRAPHS[AUTH].value}>",
        "FROM <http://testserver/passports/ev-nmc-car-pack/versions/1#public>",
    ],
)
def test_from_outside_the_dataset_is_forbidden(world: World, clause: str) -> None:
    response = world.select(f"SELECT * {clause} WHERE {{ ?s ?p ?o }}")
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_protocol_graphs_outside_the_dataset_are_forbidden(world: World, param: str) -> None:
    response = world.select("SELECT * WHERE { ?s ?p ?o }", **{param: META_GRAPH.value})
    assert response.status_code == 403, response.text
    granted = world.select(
        "SELECT * WHERE { ?s ?p ?o }", "legitimate_interest", **{param: LIVE_GRAPHS[LI].value}
    )
    assert granted.status_code == 200, granted.text


def test_protocol_dataset_overrides_the_query_dataset(world: World) -> None:
    store = _store(world)
    query = f"CONSTRUCT {{ ?s ?p ?o }} FROM <{ONTOLOGY_GRAPH.value}> WHERE {{ ?s ?p ?o }}"
    got = construct(world, query, **{"default-graph-uri": LIVE_GRAPHS[P].value})
    assert got == group_triples(store, P)


def test_the_ontology_answers_which_properties_are_public(world: World) -> None:
    query = """PREFIX bpr: <https://w3id.org/passport-registry/battery#>
        SELECT ?property FROM <https://w3id.org/passport-registry/graph/ontology>
        WHERE { ?property bpr:accessGroup bpr:PublicAccess }"""
    found = {str(t) for t in select_terms(world, query)}
    resolver = world.client.app.state.registry.resolver  # type: ignore[attr-defined]
    assert found == set(resolver.properties(P))
