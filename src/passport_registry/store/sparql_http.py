"""A SPARQL 1.1 server over HTTP: the Protocol for queries, Update for writes, the Graph Store Protocol
for whole graphs; one pooled HTTP client, nothing beyond the W3C recommendations.

    SPARQL 1.1 Protocol §2.1 (query via POST, form-encoded; `default-graph-uri` / `named-graph-uri`)
    SPARQL 1.1 Protocol §2.2 (update via POST, form-encoded)
    SPARQL 1.1 Graph Store HTTP Protocol §5.3 (PUT `?graph=`: replace one graph)

Every answer this module hands on is complete: a results document is parsed to its end (a server that
cuts a document off, as `oxigraph serve --timeout-s` does with a 200, yields a parse error here, never
fewer solutions).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import httpx
from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    Triple,
    parse_query_results,
)

from passport_registry.errors import RegistryError, StoreUnavailable

RESULTS_JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


Term = NamedNode | BlankNode | Literal | Triple


@dataclass(frozen=True, slots=True)
class Solutions:
    """A complete SELECT answer: variable names and rows of terms (None: unbound)."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]


class UpdateRefused(Exception):
    """The server answered an update with an error status: nothing of the update was applied (the
    server's transactional update is checked at start-up, `server_checks`)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the server answers queries, updates and Graph Store requests.

    A URL with no path (`http://host:7878`) is a server root with Oxigraph's and Fuseki's conventions:
    `/query`, `/update`, `/store`. A URL with a path is the query endpoint; the update endpoint is the
    same URL with a final `/query` made `/update`, else the URL itself (Virtuoso's single `/sparql`),
    unless given.
    """

    query: str
    update: str
    graph_store: str | None

    @classmethod
    def from_url(
        cls, url: str, *, update_url: str | None = None, graph_store_url: str | None = None
    ) -> Endpoints:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not an http(s) URL: {url!r}")
        path = parts.path.rstrip("/")
        if not path:
            root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
            return cls(root + "/query", update_url or root + "/update", graph_store_url or root + "/store")
        update = url
        if path.endswith("/query"):
            update = urlunsplit((parts.scheme, parts.netloc, path.removesuffix("/query") + "/update", "", ""))
        return cls(url, update_url or update, graph_store_url)


class SparqlHttp:
    """One SPARQL 1.1 server, through a pooled, thread-safe HTTP client.

    `timeout_s` bounds connecting and each read of store-internal requests; updates wait as long as the
    server takes (`update_timeout_s`), because a write whose answer was not awaited has an unknown
    outcome. Transport failures raise StoreUnavailable (503).
    """

    def __init__(
        self,
        endpoints: Endpoints,
        *,
        timeout_s: float = 30.0,
        update_timeout_s: float | None = 600.0,
        max_connections: int = 16,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.endpoints = endpoints
        self._update_timeout = httpx.Timeout(timeout_s, read=update_timeout_s)
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            transport=transport,
            headers={"User-Agent": "passport-registry"},
        )

    def close(self) -> None:
        self._client.close()

    @property
    def client(self) -> httpx.Client:
        """The pooled client, for the SPARQL endpoint's streaming queries (`remote_query`)."""
        return self._client

    def select(
        self,
        query: str,
        *,
        default_graphs: Iterable[str] = (),
        named_graphs: Iterable[str] = (),
    ) -> Solutions | bool:
        """The complete answer of a SELECT (variables and every row) or ASK, read as SPARQL JSON results.

        Raises StoreUnavailable (transport), RegistryError (the server refused the query, or its answer
        was not a complete results document).
        """
        data = form(query=query, default_graphs=default_graphs, named_graphs=named_graphs)
        response = self._send(
            "POST", self.endpoints.query, content=data, headers={"Content-Type": FORM, "Accept": RESULTS_JSON}
        )
        if response.status_code != 200:
            raise RegistryError(f"The SPARQL server refused a query: {_message(response)}")
        try:
            result = parse_query_results(response.content, QueryResultsFormat.JSON)
            if isinstance(result, QueryBoolean):
                return bool(result)
            assert isinstance(result, QuerySolutions)
            names = [v.value for v in result.variables]
            # Read to the end now: a cut-off document raises here, never after some rows were used.
            return Solutions(names, [tuple(s) for s in result])
        except SyntaxError as exc:
            raise RegistryError(f"The SPARQL server sent an incomplete results document: {exc}") from None

    def rows(self, query: str, **dataset: Iterable[str]) -> list[dict[str, Any]]:
        """The solutions of a SELECT as dicts of variable name -> term (unbound ones left out); typed
        Any because the query, not the type system, says which term each variable holds."""
        result = self.select(query, **dataset)
        if isinstance(result, bool):
            raise RegistryError("The SPARQL server answered a SELECT with a boolean")
        return [
            {n: t for n, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows
        ]

    def ask(self, query: str, **dataset: Iterable[str]) -> bool:
        result = self.select(query, **dataset)
        if not isinstance(result, bool):
            raise RegistryError("The SPARQL server answered an ASK with solutions")
        return result

    def count_rows(self, query: str) -> int:
        """How many solutions a SELECT answers, counted in its TSV document (SPARQL 1.1 Query Results
        TSV: one line a solution after the header), without building them: for start-up probes."""
        response = self._send(
            "POST",
            self.endpoints.query,
            content=form(query=query),
            headers={"Content-Type": FORM, "Accept": "text/tab-separated-values"},
        )
        if response.status_code != 200:
            raise RegistryError(f"The SPARQL server refused a query: {_message(response)}")
        return max(0, response.content.rstrip(b"\n").count(b"\n"))

    def update(self, text: str) -> None:
        """Send one SPARQL Update request. Raises UpdateRefused when the server answers with an error
        status (the update was not applied), StoreUnavailable when no answer came."""
        response = self._send(
            "POST",
            self.endpoints.update,
            content=form(update=text),
            headers={"Content-Type": FORM},
            timeout=self._update_timeout,
        )
        if not 200 <= response.status_code < 300:
            raise UpdateRefused(response.status_code, _message(response))

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace `graph` with `ntriples` (Graph Store Protocol PUT, one request). Without a Graph Store
        endpoint, one update does the same (`DROP SILENT` + `INSERT DATA`)."""
        if self.endpoints.graph_store is None:
            self.update(
                f"DROP SILENT GRAPH <{graph}> ;\nINSERT DATA {{ GRAPH <{graph}> {{\n{ntriples.decode()}}} }}"
            )
            return
        response = self._send(
            "PUT",
            self.endpoints.graph_store,
            params={"graph": graph},
            content=ntriples,
            headers={"Content-Type": "application/n-triples"},
            timeout=self._update_timeout,
        )
        if not 200 <= response.status_code < 300:
            raise UpdateRefused(response.status_code, _message(response))

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"The SPARQL server at {url} did not answer: {exc}") from None


def form(
    *,
    query: str | None = None,
    update: str | None = None,
    default_graphs: Iterable[str] = (),
    named_graphs: Iterable[str] = (),
) -> bytes:
    """A form-encoded Protocol request body (§2.1.2 / §2.2.1); graph parameters repeat per IRI."""
    fields: list[tuple[str, str]] = []
    if query is not None:
        fields.append(("query", query))
    if update is not None:
        fields.append(("update", update))
    fields += [("default-graph-uri", g) for g in default_graphs]
    fields += [("named-graph-uri", g) for g in named_graphs]
    return urlencode(fields).encode("ascii")


def _message(response: httpx.Response) -> str:
    text = response.text.strip()
    return (text[:300] + "...") if len(text) > 300 else text or f"HTTP {response.status_code}"
