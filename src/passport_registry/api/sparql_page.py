"""The SPARQL page for people: `/sparql` asked for `text/html` answers a query form with the example
queries of `examples/queries/`, and a query's results as a table. No scripts, nothing from elsewhere.

HTML is offered after every result format, so a client that accepts anything (`*/*`) still gets what
the SPARQL 1.1 Protocol says; only a client that prefers HTML (a browser) gets the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from urllib.parse import urlencode

import pyoxigraph
from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from passport_registry.accounts.models import User
from passport_registry.api.negotiation import negotiate
from passport_registry.api.pages import Pages
from passport_registry.api.session import page_user, signed_in_name
from passport_registry.errors import NotAcceptable, RegistryError
from passport_registry.rdf.formats import N_TRIPLES
from passport_registry.services.sparql import SparqlQueries
from passport_registry.sparql.results import RESULTS_JSON
from passport_registry.store import ONTOLOGY_GRAPH

HTML = "text/html"
VARY = "Accept, Authorization, X-API-Key, Cookie"


@dataclass(frozen=True)
class Example:
    title: str
    text: str

    @property
    def href(self) -> str:
        return "/sparql?" + urlencode({"query": self.text})


@dataclass
class Cell:
    text: str
    iri: bool = False
    href: str | None = None


@dataclass
class Table:
    """A result as the page shows it: columns and rows of cells, or an ASK's boolean."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None


def wants_page(accept: str | None, offered: tuple[str, ...]) -> bool:
    """Whether the client prefers HTML to every media type of `offered` (HTML is offered last)."""
    try:
        return negotiate(accept, (*offered, HTML)).media_type == HTML
    except NotAcceptable:
        return False


@cache
def examples() -> tuple[Example, ...]:
    """The example queries of `examples/queries/` in their manifest's order, titled by their first
    comment line."""
    folder = files("passport_registry").joinpath("data", "queries")
    manifest = json.loads(folder.joinpath("manifest.json").read_text(encoding="utf-8"))
    found = []
    for entry in manifest["queries"]:
        text = folder.joinpath(entry["query"]).read_text(encoding="utf-8")
        first = text.splitlines()[0] if text else ""
        title = first.lstrip("#").strip() if first.startswith("#") else entry["query"]
        found.append(Example(title.split(". ")[0].rstrip("."), text))
    return tuple(found)


def _cell(term: dict[str, str], base_url: str) -> Cell:
    value = term.get("value", "")
    if term.get("type") == "uri":
        href = value.removeprefix(base_url) if value.startswith(base_url + "/passports/") else None
        return Cell(value, iri=True, href=href)
    if "xml:lang" in term:
        return Cell(f"{value} @{term['xml:lang']}")
    return Cell(value)


def _node(term: object, base_url: str) -> Cell:
    if isinstance(term, pyoxigraph.NamedNode):
        return _cell({"type": "uri", "value": term.value}, base_url)
    if isinstance(term, pyoxigraph.Literal):
        return _cell({"type": "literal", "value": term.value}, base_url)
    return Cell(str(term))


def _table(body: bytes, media_type: str, base_url: str) -> Table:
    if media_type == RESULTS_JSON:
        document = json.loads(body)
        if "boolean" in document:
            return Table(boolean=bool(document["boolean"]))
        columns = list(document["head"].get("vars", []))
        rows = [
            [_cell(b[c], base_url) if c in b else Cell("") for c in columns]
            for b in document["results"]["bindings"]
        ]
        return Table(columns, rows)
    triples = pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.N_TRIPLES)
    rows = [
        [_node(t.subject, base_url), _node(t.predicate, base_url), _node(t.object, base_url)] for t in triples
    ]
    return Table(["subject", "predicate", "object"], rows)


def _reader(user: User | None) -> str:
    if user is None:
        return "public data (anonymous)"
    roles = ", ".join(sorted(r.value for r in user.roles)) or "no role"
    return f"what {user.email} may read ({roles})"


async def page(
    request: Request,
    queries: SparqlQueries,
    text: str | None,
    default_graph_uris: list[str],
    named_graph_uris: list[str],
) -> Response:
    """The page, with the results of `text` when given (an error in the query is shown on the page,
    with the status it has in the protocol)."""
    user = await page_user(request)
    settings = request.app.state.settings
    status, table, error = 200, None, None
    if text is not None:
        try:
            result = await run_in_threadpool(
                queries.answer,
                text,
                user,
                default_graph_uris=default_graph_uris,
                named_graph_uris=named_graph_uris,
                results_type=RESULTS_JSON,
                graph_type=N_TRIPLES,
                base_iri=settings.base_url + "/",
            )
            table = _table(result.body, result.media_type, settings.base_url)
        except RegistryError as exc:
            status, error = exc.status, exc
    pages: Pages = request.app.state.pages
    body = pages.render(
        "sparql.html",
        query=text if text is not None else examples()[0].text,
        examples=examples(),
        result=table,
        error=error,
        reader=_reader(user),
        timeout=settings.sparql_timeout_s,
        ontology_graph=ONTOLOGY_GRAPH.value,
        signed_in=await signed_in_name(request),
    )
    headers = {"Vary": VARY, "Cache-Control": "private, no-cache" if user else "no-cache"}
    return Response(body, status_code=status, media_type="text/html; charset=utf-8", headers=headers)
