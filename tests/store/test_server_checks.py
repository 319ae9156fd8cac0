"""Start-up checks: a SPARQL server that lacks a guarantee the store relies on is refused, clearly.

The refused servers are small in-process SPARQL servers (pyoxigraph behind an httpx transport) that
each break exactly one guarantee; the accepted one is a real `oxigraph serve`.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest
from pyoxigraph import NamedNode, QueryResultsFormat, QuerySolutions, Store

from loopback import free_port
from oxigraph_server import OxigraphServer
from passport_registry.config import Settings
from passport_registry.errors import ConfigurationError, StoreUnavailable
from passport_registry.services.registry import Registry
from passport_registry.store.server_checks import check_server
from passport_registry.store.sparql_http import Endpoints, SparqlHttp

Flaw = str


def flawed_server(flaw: Flaw) -> Callable[[httpx.Request], httpx.Response]:
    """A SPARQL server on an in-memory pyoxigraph Store, with one `flaw`:
    `non-atomic` applies an update's operations one by one and keeps those before a failure;
    `lenient-create` ignores CREATE GRAPH of an existing graph; `ignores-dataset` answers every query
    over the union of all graphs, whatever `default-graph-uri` / `named-graph-uri` say; `caps-results`
    answers at most 10 solutions (as Virtuoso's `ResultSetMaxRows` does at 10,000)."""
    store = Store()

    def handle(request: httpx.Request) -> httpx.Response:
        fields = {k: v for k, v in parse_qs(request.content.decode()).items()}
        if request.url.path == "/update":
            text = fields["update"][0]
            operations = text.split(" ; ") if flaw == "non-atomic" else [text]
            for op in operations:
                if flaw == "lenient-create" and op.startswith("CREATE GRAPH"):
                    op = op.replace("CREATE GRAPH", "CREATE SILENT GRAPH", 1)
                try:
                    store.update(op)
                except (SyntaxError, OSError, RuntimeError) as exc:
                    return httpx.Response(500, text=str(exc))
            return httpx.Response(204)
        query = fields["query"][0]
        if flaw == "ignores-dataset":
            result = store.query(query, use_default_graph_as_union=True)
        else:
            result = store.query(
                query,
                default_graph=[NamedNode(g) for g in fields.get("default-graph-uri", [])],
                named_graphs=[NamedNode(g) for g in fields.get("named-graph-uri", [])] or None,
            )
        if request.headers["accept"] == "text/tab-separated-values":
            assert isinstance(result, QuerySolutions)
            rows = list(result)[:10] if flaw == "caps-results" else list(result)
            names = [v.value for v in result.variables]
            lines = ["\t".join("?" + n for n in names), *("\t".join(str(s[n]) for n in names) for s in rows)]
            return httpx.Response(200, text="\n".join(lines) + "\n")
        body = result.serialize(format=QueryResultsFormat.JSON)  # type: ignore[union-attr]
        return httpx.Response(200, content=body, headers={"Content-Type": "application/sparql-results+json"})

    return handle


@pytest.mark.parametrize(
    ("flaw", "message"),
    [
        ("non-atomic", "updates are not atomic"),
        ("lenient-create", "CREATE GRAPH of an existing graph succeeded"),
        ("ignores-dataset", "default-graph-uri"),
        ("caps-results", "a cap below the result limit"),
    ],
)
def test_a_server_lacking_a_guarantee_is_refused_with_the_reason(flaw: Flaw, message: str) -> None:
    http = SparqlHttp(
        Endpoints.from_url("http://sparql.test"), transport=httpx.MockTransport(flawed_server(flaw))
    )
    with pytest.raises(ConfigurationError, match=message) as error:
        check_server(http, max_results=50)
    assert "cannot hold the registry's data safely" in error.value.detail


def test_the_flawless_double_passes() -> None:
    """The test double without a flaw passes: each refusal above is its flaw's doing."""
    http = SparqlHttp(
        Endpoints.from_url("http://sparql.test"), transport=httpx.MockTransport(flawed_server("none"))
    )
    check_server(http, max_results=50)


def test_oxigraph_serve_passes_and_leaves_nothing_behind(oxigraph: OxigraphServer) -> None:
    oxigraph.reset()
    http = SparqlHttp(Endpoints.from_url(oxigraph.url))
    check_server(http, max_results=1000)
    assert not http.ask("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
    http.close()


def test_a_registry_on_a_server_that_does_not_answer_does_not_start() -> None:
    settings = Settings(dev=True, store_url=f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreUnavailable, match="did not answer"):
        Registry.open(settings)


@pytest.mark.parametrize(
    ("url", "query", "update", "graph_store"),
    [
        ("http://h:7878", "http://h:7878/query", "http://h:7878/update", "http://h:7878/store"),
        ("http://h/ds/query", "http://h/ds/query", "http://h/ds/update", None),
        ("http://h:8890/sparql", "http://h:8890/sparql", "http://h:8890/sparql", None),
    ],
)
def test_endpoints_follow_the_common_conventions(
    url: str, query: str, update: str, graph_store: str | None
) -> None:
    assert Endpoints.from_url(url) == Endpoints(query, update, graph_store)
