"""The query side of the W3C SPARQL 1.1 Protocol test suite, re-told for this endpoint and its graphs.

The W3C manifest (sparql11/protocol/manifest.ttl) loads three small graphs (data1..data3) and asks,
over GET, a URL-encoded form POST and a direct POST, whether protocol-given dataset parameters
(`default-graph-uri`, `named-graph-uri`, in the URL or in the form) select exactly those graphs, and
whether they override the query's own FROM / FROM NAMED; then that results come in an appropriate
media type, and that malformed requests get a 4xx. Here the three graphs are the registry's own: the
public group graph (G1), the ontology graph (G2) and the legitimate-interest-and-commission group
graph (G3), asked as a caller with the legitimate-interest role, who may read all three. Each test
names the manifest entry it re-tells. The update entries do not apply to a read-only endpoint; their
negative side (an update is refused with 4xx, also where the manifest expects 2xx) is kept.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

from passport_registry.access import AccessGroup
from passport_registry.store import LIVE_GRAPHS, ONTOLOGY_GRAPH

from .conftest import World
from .helpers import group_triples, ontology_triples, parse_results

CALLER = "legitimate_interest"
G1 = LIVE_GRAPHS[AccessGroup.PUBLIC].value
G2 = ONTOLOGY_GRAPH.value
G3 = LIVE_GRAPHS[AccessGroup.LEGITIMATE_INTEREST_AND_COMMISSION].value
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
BOOLEAN_TYPES = ("application/sparql-results+json", "application/sparql-results+xml")
TABULAR_TYPES = (*BOOLEAN_TYPES, "text/csv", "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/n-triples", "application/ld+json")


def _subject_of(triples: object) -> str:
    """A named subject of `triples`: proof that a pattern reached that graph."""
    return next(t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode))  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def subjects(world: World) -> dict[str, str]:
    store = world.client.app.state.registry.store  # type: ignore[attr-defined]
    return {
        G1: _subject_of(group_triples(store, AccessGroup.PUBLIC)),
        G2: _subject_of(ontology_triples()),
        G3: _subject_of(group_triples(store, AccessGroup.LEGITIMATE_INTEREST_AND_COMMISSION)),
    }


def _ask(world: World, response_body: bytes, content_type: str) -> bool:
    assert content_type.split(";")[0] in BOOLEAN_TYPES, content_type
    answer = parse_results(response_body, content_type).askAnswer
    assert isinstance(answer, bool)
    return answer


def _get(world: World, params: list[tuple[str, str]], caller: str = CALLER):  # type: ignore[no-untyped-def]
    return world.client.get("/sparql?" + urlencode(params), headers=world.headers(caller))


def _post(world: World, url_params: list[tuple[str, str]], body: str | bytes, content_type: str | None):  # type: ignore[no-untyped-def]
    headers = world.headers(CALLER)
    if content_type is not None:
        headers["Content-Type"] = content_type
    suffix = "?" + urlencode(url_params) if url_params else ""
    return world.client.post("/sparql" + suffix, content=body, headers=headers)


def _true(world: World, response) -> bool:  # type: ignore[no-untyped-def]
    assert 200 <= response.status_code < 400, response.text
    return _ask(world, response.content, response.headers["content-type"])


# -- positive entries --------------------------------------------------------------------------------


def test_query_get(world: World) -> None:
    """`query_get`: ASK {} by GET with a default graph parameter is true."""
    assert _true(world, _get(world, [("query", "ASK {}"), ("default-graph-uri", G1)]))


def test_query_post_form(world: World) -> None:
    """`query_post_form`: a form POST, the default graph given in the URL, not the form."""
    assert _true(world, _post(world, [("default-graph-uri", G1)], urlencode({"query": "ASK {}"}), FORM))


def test_query_post_direct(world: World) -> None:
    """`query_post_direct`: the query as an application/sparql-query body."""
    assert _true(world, _post(world, [], "ASK {}", DIRECT))


def _both_in_default(subjects: dict[str, str]) -> str:
    return f"ASK {{ <{subjects[G1]}> ?p ?o . <{subjects[G2]}> ?q ?r }}"


def test_query_dataset_default_graphs_get(world: World, subjects: dict[str, str]) -> None:
    """`query_dataset_default_graphs_get`: two default-graph-uri merge into the default graph."""
    query = _both_in_default(subjects)
    both = [("query", query), ("default-graph-uri", G1), ("default-graph-uri", G2)]
    assert _true(world, _get(world, both))
    # And only those: with one of them the other's triple is gone.
    assert not _true(world, _get(world, [("query", query), ("default-graph-uri", G1)]))


def test_query_dataset_default_graphs_post(world: World, subjects: dict[str, str]) -> None:
    """`query_dataset_default_graphs_post`: the same by direct POST, parameters in the URL."""
    query = _both_in_default(subjects)
    assert _true(world, _post(world, [("default-graph-uri", G1), ("default-graph-uri", G2)], query, DIRECT))
    # And in the body of a form POST.
    form = urlencode([("query", query), ("default-graph-uri", G1), ("default-graph-uri", G2)])
    assert _true(world, _post(world, [], form, FORM))


def _in_named(subjects: dict[str, str]) -> str:
    return f"ASK {{ GRAPH ?g1 {{ <{subjects[G1]}> ?p ?o }} GRAPH ?g2 {{ <{subjects[G2]}> ?q ?r }} }}"


def test_query_dataset_named_graphs_post(world: World, subjects: dict[str, str]) -> None:
    """`query_dataset_named_graphs_post`: named-graph-uri parameters are the named graphs."""
    named = [("named-graph-uri", G1), ("named-graph-uri", G2)]
    assert _true(world, _post(world, named, _in_named(subjects), DIRECT))
    assert not _true(world, _post(world, named[:1], _in_named(subjects), DIRECT))


def test_query_dataset_named_graphs_get(world: World, subjects: dict[str, str]) -> None:
    """`query_dataset_named_graphs_get`: the same by GET."""
    named = [("named-graph-uri", G1), ("named-graph-uri", G2)]
    assert _true(world, _get(world, [("query", _in_named(subjects)), *named]))


def test_query_dataset_full(world: World, subjects: dict[str, str]) -> None:
    """`query_dataset_full`: a default graph and two named graphs, all from the protocol."""
    query = (
        f"ASK {{ <{subjects[G3]}> ?x ?y GRAPH ?g1 {{ <{subjects[G1]}> ?p ?o }} "
        f"GRAPH ?g2 {{ <{subjects[G2]}> ?q ?r }} }}"
    )
    dataset = [("default-graph-uri", G3), ("named-graph-uri", G1), ("named-graph-uri", G2)]
    assert _true(world, _post(world, dataset, query, DIRECT))
    # G3 is the default graph only: it is not among the named graphs.
    assert not _true(world, _post(world, dataset, f"ASK {{ GRAPH <{G3}> {{ ?s ?p ?o }} }}", DIRECT))


def test_query_multiple_dataset(world: World, subjects: dict[str, str]) -> None:
    """`query_multiple_dataset`: the protocol's dataset replaces the query's FROM entirely."""
    query = (
        f"ASK FROM <{G3}> {{ GRAPH ?g1 {{ <{subjects[G1]}> ?p ?o }} GRAPH ?g2 {{ <{subjects[G2]}> ?q ?r }} }}"
    )
    named = [("named-graph-uri", G1), ("named-graph-uri", G2)]
    assert _true(world, _post(world, named, query, DIRECT))
    # The FROM <G3> of the query is not used: the default graph is empty.
    from_ignored = f"ASK FROM <{G3}> {{ <{subjects[G3]}> ?p ?o }}"
    assert not _true(world, _post(world, named, from_ignored, DIRECT))
    assert _true(world, _post(world, [], from_ignored, DIRECT))


def test_query_content_type_select(world: World) -> None:
    """`query_content_type_select`: SELECT results come as SPARQL results (tabular)."""
    response = _post(world, [("default-graph-uri", G1)], "SELECT (1 AS ?value) {}", DIRECT)
    assert response.status_code == 200, response.text
    media_type = response.headers["content-type"]
    assert media_type.split(";")[0] in TABULAR_TYPES
    assert [int(row[0]) for row in parse_results(response.content, media_type)] == [1]  # type: ignore[index]


def test_query_content_type_ask(world: World) -> None:
    """`query_content_type_ask`: ASK results come as boolean SPARQL results."""
    assert _true(world, _post(world, [("default-graph-uri", G1)], "ASK {}", DIRECT))


@pytest.mark.parametrize(
    "query",
    ["DESCRIBE <http://example.org/>", "CONSTRUCT { <s> <p> 1 } WHERE {}"],
    ids=["describe", "construct"],
)
def test_query_content_type_graph(world: World, query: str) -> None:
    """`query_content_type_describe` / `_construct`: graph results come as RDF (relative IRIs resolved
    against the endpoint)."""
    response = _post(world, [("default-graph-uri", G1)], query, DIRECT)
    assert response.status_code == 200, response.text
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type in RDF_TYPES
    triples = {q.triple for q in ox.parse(response.content, format=ox.RdfFormat.from_media_type(media_type))}
    if query.startswith("CONSTRUCT"):
        one = ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        assert triples == {
            ox.Triple(ox.NamedNode("http://testserver/s"), ox.NamedNode("http://testserver/p"), one)
        }


# -- negative entries --------------------------------------------------------------------------------


def test_bad_query_method(world: World) -> None:
    """`bad_query_method`: a method other than GET or POST."""
    response = world.client.put(
        "/sparql?" + urlencode({"query": "ASK {}", "default-graph-uri": G1}), headers={"Content-Type": FORM}
    )
    assert 400 <= response.status_code < 500


def test_bad_multiple_queries(world: World) -> None:
    """`bad_multiple_queries`: two query parameters."""
    response = _get(world, [("query", "ASK {}"), ("query", "SELECT * {}")])
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("ASK {}", "text/plain"),  # bad_query_wrong_media_type
        ("query=ASK%20%7B%7D", None),  # bad_query_missing_form_type
        ("ASK {}", None),  # bad_query_missing_direct_type
        ("ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16"),  # bad_query_non_utf8
        (b"ASK {\xff}", DIRECT),  # bad_query_non_utf8, undeclared
    ],
    ids=["wrong_media_type", "missing_form_type", "missing_direct_type", "non_utf8", "non_utf8_undeclared"],
)
def test_bad_post(world: World, body: str | bytes, content_type: str | None) -> None:
    """`bad_query_wrong_media_type`, `bad_query_missing_*_type`, `bad_query_non_utf8`."""
    response = _post(world, [], body, content_type)
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_bad_query_syntax(world: World) -> None:
    """`bad_query_syntax`: `ASK {` is a 4xx, with where the parse stopped."""
    response = _get(world, [("query", "ASK {")])
    assert response.status_code == 400
    assert "line 1" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "params", "body", "content_type"),
    [
        ("GET", [("update", "CLEAR ALL")], None, None),  # bad_update_get
        ("POST", [], "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", FORM),  # bad_multiple_updates
        ("POST", [], "update=CLEAR+ALL", FORM),  # update_post_form: refused here, read-only
        ("POST", [], "CLEAR ALL", "application/sparql-update"),  # update_post_direct: likewise
        ("POST", [("using-graph-uri", G1)], "CLEAR ALL", "application/sparql-update"),  # update_dataset_*
        ("POST", [], "CLEAR NAMED", "text/plain"),  # bad_update_wrong_media_type
    ],
    ids=["get", "multiple", "form", "direct", "dataset", "wrong_media_type"],
)
def test_updates_are_refused(
    world: World, method: str, params: list[tuple[str, str]], body: str | None, content_type: str | None
) -> None:
    """The update entries, on a read-only endpoint: each is a 4xx, and nothing changes."""
    before = _true(world, _get(world, [("query", "ASK { ?s ?p ?o }")]))
    response = _get(world, params) if method == "GET" else _post(world, params, body or "", content_type)
    assert 400 <= response.status_code < 500, response.text
    assert _true(world, _get(world, [("query", "ASK { ?s ?p ?o }")])) == before


def test_a_graph_outside_the_callers_dataset_is_forbidden(world: World) -> None:
    """Not in the manifest: a protocol-given graph the caller may not read is 403, by every form."""
    query = "ASK { ?s ?p ?o }"
    assert _get(world, [("query", query), ("default-graph-uri", G3)], caller="anonymous").status_code == 403
    anonymous = world.client.post(
        "/sparql?" + urlencode({"named-graph-uri": G3}), content=query, headers={"Content-Type": DIRECT}
    )
    assert anonymous.status_code == 403
