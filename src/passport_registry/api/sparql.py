"""`/sparql`: the SPARQL 1.1 Protocol (query operation only) over exactly what the caller may read."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request, Response

from passport_registry import rdf
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

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The query result: SELECT and ASK as SPARQL results (JSON, XML, CSV, TSV); "
        "CONSTRUCT and DESCRIBE as RDF (Turtle, JSON-LD, N-Triples, N-Quads, TriG, RDF/XML). "
        "Without a query, GET answers the SPARQL 1.1 Service Description.",
        "content": {m: {} for m in (*results.RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES)},
    },
    400: {"description": "Not a read-only SPARQL query (syntax error, SPARQL Update, SERVICE)."},
    403: {"description": "A requested graph is not in the caller's dataset."},
    406: {"description": "No offered media type matches Accept."},
    413: {"description": "The request is larger than the configured limit."},
    422: {"description": "The result has more solutions or triples than the configured limit."},
    503: {"description": "The query ran past its time limit and was stopped."},
    **AUTH_RESPONSES,
}


def get_queries(request: Request) -> SparqlQueries:
    """The query service over the registry opened by the app's lifespan, with the configured limits."""
    registry = request.app.state.registry
    settings = request.app.state.settings
    limits = SparqlLimits(timeout_s=settings.sparql_timeout_s, max_results=settings.sparql_max_results)
    return SparqlQueries(registry.store, registry.policy, limits)


QueriesDep = Annotated[SparqlQueries, Depends(get_queries)]


@router.get("/sparql", responses=_RESPONSES, summary="Query (SPARQL 1.1 Protocol) or service description")
def query_by_get(request: Request, user: OptionalUser, queries: QueriesDep) -> Response:
    """Run the read-only SPARQL query given as `query=` (with optional `default-graph-uri` and
    `named-graph-uri`, each repeatable) over the data you may read: anonymous callers read the public
    data of every passport, each role what Annex XIII grants it (the default graph), and everyone the
    ontology and vocabularies in the named graph `https://w3id.org/passport-registry/graph/ontology`.
    Without `query`, answers the SPARQL 1.1 Service Description of this endpoint for you."""
    params = request.query_params
    if "update" in params:
        raise BadRequest(_READ_ONLY)
    texts = params.getlist("query")
    if not texts:
        return _describe(request, user, queries)
    if len(texts) > 1:
        raise BadRequest("Give exactly one `query` parameter.")
    limit = request.app.state.settings.max_request_bytes
    if len(texts[0].encode()) > limit:
        raise PayloadTooLarge(f"The query may have at most {limit} bytes.", max_bytes=limit)
    return _answer(
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
    the URL) or as an HTML form (`application/x-www-form-urlencoded` with `query=`). SPARQL Update is
    refused with 400."""
    media_type = media_type_of(request)
    if media_type == SPARQL_QUERY:
        params = request.query_params
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
        return _answer(
            request,
            user,
            queries,
            texts[0],
            form.get("default-graph-uri", []),
            form.get("named-graph-uri", []),
        )
    if media_type == SPARQL_UPDATE:
        raise BadRequest(_READ_ONLY)
    raise UnsupportedMediaType(
        f"Send the query as {SPARQL_QUERY} or {FORM}; got {media_type or 'no Content-Type'}.",
        accepted=[SPARQL_QUERY, FORM],
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
    return Response(result.body, media_type=media_type, headers={"Vary": "Accept"})


def _describe(request: Request, user: OptionalUser, queries: SparqlQueries) -> Response:
    media_type = negotiate(request.headers.get("accept"), GRAPH_MEDIA_TYPES).media_type
    endpoint = request.app.state.settings.base_url + "/sparql"
    formats = [*results.FORMAT_IRIS.values(), *RDF_FORMAT_IRIS.values()]
    body = rdf.serialize(
        service_description(endpoint, queries.default_graphs(user), queries.graphs(user), formats),
        media_type,
        prefixes={"sd": "http://www.w3.org/ns/sparql-service-description#"},
    )
    return Response(body, media_type=media_type, headers={"Vary": "Accept"})
