"""`/sparql`: the SPARQL 1.1 Protocol (query operation only) over exactly what the caller may read.

The route reads the request, negotiates the result media types and hands the query text on; it never
parses the query (that happens where the query runs, within its time limit: `store/query.py`).
Every answer varies with the caller (`Vary: Accept, Authorization, X-API-Key`).
"""

from __future__ import annotations

from email.message import Message
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from passport_registry import rdf
from passport_registry.api import sparql_page
from passport_registry.api.bodies import media_type_of, read_body
from passport_registry.api.deps import AUTH_RESPONSES, OptionalUser
from passport_registry.api.negotiation import negotiate
from passport_registry.errors import (
    BadRequest,
    NotAcceptable,
    PayloadTooLarge,
    UnparseableInput,
    UnsupportedMediaType,
)
from passport_registry.services.sparql import SparqlLimits, SparqlQueries
from passport_registry.sparql import results
from passport_registry.sparql.description import RDF_FORMAT_IRIS, service_description
from passport_registry.store import GRAPH_MEDIA_TYPES

router = APIRouter(tags=["sparql"])

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"

#: SELECT / ASK media types offered, in order; `application/json` is answered with SPARQL JSON results.
RESULT_OFFERS = (*results.RESULT_MEDIA_TYPES, "application/json")

_READ_ONLY = "SPARQL Update is refused: this endpoint is read-only."
#: Results depend on who asks: caches must key them on the credentials as well as on Accept.
VARY = "Accept, Authorization, X-API-Key"

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The query result: SELECT and ASK as SPARQL results (JSON, XML, CSV, TSV); "
        "CONSTRUCT and DESCRIBE as RDF (Turtle, JSON-LD, N-Triples, N-Quads, TriG, RDF/XML). "
        "Without a query, GET answers the SPARQL 1.1 Service Description. A client preferring "
        "text/html (a browser) gets the query page, with results as a table.",
        "content": {m: {} for m in (*results.RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES, "text/html")},
    },
    400: {"description": "Not a read-only SPARQL 1.1 query (syntax error, SPARQL Update, SERVICE)."},
    403: {"description": "A requested graph is not in the caller's dataset."},
    406: {
        "description": "No offered media type matches Accept, or the result cannot be written in the "
        "chosen one (a character XML 1.0 cannot carry, for XML formats)."
    },
    413: {"description": "The request or the query is larger than the configured limit."},
    415: {"description": "The body is neither application/sparql-query nor a form, or not UTF-8."},
    422: {
        "description": "The query nests too deeply to evaluate, or its result has more solutions or "
        "triples than the configured limit."
    },
    503: {
        "description": "The query ran past its time limit and was stopped, or the engine failed on it "
        "(a fresh query process is ready for the next query)."
    },
    **AUTH_RESPONSES,
}


def get_queries(request: Request) -> SparqlQueries:
    """The query service over the registry opened by the app's lifespan, with the configured limits."""
    registry = request.app.state.registry
    settings = request.app.state.settings
    limits = SparqlLimits(timeout_s=settings.sparql_timeout_s, max_results=settings.sparql_max_results)
    return SparqlQueries(registry.store, registry.policy, limits)


QueriesDep = Annotated[SparqlQueries, Depends(get_queries)]


_GET_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "description": "The SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE); without it, the "
        "service description is answered.",
        "schema": {"type": "string"},
    },
    *(
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": f"A graph of the query's {kind} (repeatable; SPARQL 1.1 Protocol §2.1.4); it "
            "must be one of the caller's graphs.",
            "schema": {"type": "array", "items": {"type": "string", "format": "iri"}},
            "style": "form",
            "explode": True,
        }
        for name, kind in (("default-graph-uri", "default graph"), ("named-graph-uri", "named graphs"))
    ),
]


@router.get(
    "/sparql",
    responses=_RESPONSES,
    summary="Query (SPARQL 1.1 Protocol) or service description",
    openapi_extra={"parameters": _GET_PARAMETERS},
)
async def query_by_get(request: Request, user: OptionalUser, queries: QueriesDep) -> Response:
    """Run the read-only SPARQL query given as `query=` (with optional `default-graph-uri` and
    `named-graph-uri`, each repeatable) over the data you may read: anonymous callers read the public
    data of every passport, each role what Annex XIII grants it (the default graph), and everyone the
    ontology and vocabularies in the named graph `https://w3id.org/passport-registry/graph/ontology`.
    Without `query`, answers the SPARQL 1.1 Service Description of this endpoint for you.
    A browser (a client preferring `text/html` to every format above) gets a query page instead, with
    example queries and the results as a table."""
    params = request.query_params
    if "update" in params:
        raise BadRequest(_READ_ONLY)
    texts = params.getlist("query")
    accept = request.headers.get("accept")
    if not texts:
        if "default-graph-uri" in params or "named-graph-uri" in params:
            raise BadRequest(
                "default-graph-uri and named-graph-uri choose the dataset of a query; give `query`."
            )
        if sparql_page.wants_page(accept, GRAPH_MEDIA_TYPES):
            return await sparql_page.page(request, queries, None, [], [])
        return await run_in_threadpool(_describe, request, user, queries)
    if len(texts) > 1:
        raise BadRequest("Give exactly one `query` parameter.")
    if sparql_page.wants_page(accept, (*RESULT_OFFERS, *GRAPH_MEDIA_TYPES)):
        defaults, named = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
        _check_size(request, texts[0])
        return await sparql_page.page(request, queries, texts[0], defaults, named)
    return await run_in_threadpool(
        _answer,
        request,
        user,
        queries,
        texts[0],
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
    )


@router.post(
    "/sparql",
    responses=_RESPONSES,
    summary="Query (SPARQL 1.1 Protocol, POST)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                SPARQL_QUERY: {"schema": {"type": "string"}},
                FORM: {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "query": {"type": "string"},
                            "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                            "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["query"],
                    }
                },
            },
        }
    },
)
def query_by_post(
    request: Request, user: OptionalUser, queries: QueriesDep, body: Annotated[bytes, Depends(read_body)]
) -> Response:
    """Run a read-only SPARQL query sent as the body (`application/sparql-query`; dataset parameters in
    the URL) or as an HTML form (`application/x-www-form-urlencoded` with `query=`; dataset parameters
    in the form, the URL, or both: all are used). Bodies must be UTF-8. SPARQL Update is refused with
    400."""
    media_type = media_type_of(request)
    params = request.query_params
    if "query" in params or "update" in params:
        raise BadRequest("With POST, send the query in the body, not in the URL.")
    if media_type in (SPARQL_QUERY, FORM):
        _require_utf8(request)
    if media_type == SPARQL_QUERY:
        return _answer(
            request,
            user,
            queries,
            _text(body),
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
        )
    if media_type == FORM:
        form = parse_qs(_text(body), keep_blank_values=True)
        if "update" in form:
            raise BadRequest(_READ_ONLY)
        texts = form.get("query", [])
        if len(texts) != 1:
            raise BadRequest("Give exactly one `query` field.")
        # SPARQL 1.1 Protocol §2.1.4: dataset parameters given in the URL of a form POST count too.
        return _answer(
            request,
            user,
            queries,
            texts[0],
            [*params.getlist("default-graph-uri"), *form.get("default-graph-uri", [])],
            [*params.getlist("named-graph-uri"), *form.get("named-graph-uri", [])],
        )
    if media_type == SPARQL_UPDATE:
        raise BadRequest(_READ_ONLY)
    raise UnsupportedMediaType(
        f"Send the query as {SPARQL_QUERY} or {FORM}; got {media_type or 'no Content-Type'}.",
        accepted=[SPARQL_QUERY, FORM],
    )


def _require_utf8(request: Request) -> None:
    message = Message()
    message["content-type"] = request.headers.get("content-type", "")
    charset = message.get_param("charset")
    if isinstance(charset, str) and charset.lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(
            f"The query must be sent as UTF-8, not {charset}.", accepted=[SPARQL_QUERY, FORM]
        )


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise UnparseableInput("The query must be UTF-8.") from None


def _choose(accept: str | None, offered: tuple[str, ...]) -> str | None:
    try:
        return negotiate(accept, offered).media_type
    except NotAcceptable:
        return None


def _check_size(request: Request, text: str) -> None:
    settings = request.app.state.settings
    limit = min(settings.sparql_max_query_bytes, settings.max_request_bytes)
    if len(text.encode()) > limit:
        raise PayloadTooLarge(f"The query may have at most {limit} bytes.", max_bytes=limit)


def _answer(
    request: Request,
    user: OptionalUser,
    queries: SparqlQueries,
    text: str,
    default_graph_uris: list[str],
    named_graph_uris: list[str],
) -> Response:
    accept = request.headers.get("accept")
    results_type = _choose(accept, RESULT_OFFERS)
    graph_type = _choose(accept, GRAPH_MEDIA_TYPES)
    if results_type is None and graph_type is None:
        raise NotAcceptable(
            "None of the query result media types matches the Accept header.",
            offered=[*RESULT_OFFERS, *GRAPH_MEDIA_TYPES],
        )
    if results_type == "application/json":
        results_type = results.RESULTS_JSON
    _check_size(request, text)
    result = queries.answer(
        text,
        user,
        default_graph_uris=default_graph_uris,
        named_graph_uris=named_graph_uris,
        results_type=results_type,
        graph_type=graph_type,
        base_iri=request.app.state.settings.base_url + "/",
    )
    media_type = results.RESULT_MEDIA_TYPES.get(result.media_type, result.media_type)
    return Response(result.body, media_type=media_type, headers={"Vary": VARY})


def _describe(request: Request, user: OptionalUser, queries: SparqlQueries) -> Response:
    media_type = negotiate(request.headers.get("accept"), GRAPH_MEDIA_TYPES).media_type
    endpoint = request.app.state.settings.base_url + "/sparql"
    formats = [*results.FORMAT_IRIS.values(), *RDF_FORMAT_IRIS.values()]
    body = rdf.serialize(
        service_description(endpoint, queries.default_graphs(user), queries.graphs(user), formats),
        media_type,
        prefixes={"sd": "http://www.w3.org/ns/sparql-service-description#"},
    )
    return Response(body, media_type=media_type, headers={"Vary": VARY})
