"""Self-description at stable paths: the ontology, the vocabularies, the shapes, the JSON-LD context and
the JSON Schema; the RDF documents with content negotiation (Turtle first, as written). Each is the
registry's own (`Registry.vocabulary`: the bundled files, or those of `Settings.vocabulary_dir`)."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any

import pyoxigraph
from fastapi import APIRouter, Header, Request, Response

from passport_registry.api.conditional import Validators, evaluate
from passport_registry.api.deps import CREDENTIALS_CHECKED
from passport_registry.api.negotiation import negotiate
from passport_registry.errors import NotFound
from passport_registry.json_schema import schema_bytes
from passport_registry.rdf import serialize
from passport_registry.rdf.formats import JSON_LD, N_QUADS, N_TRIPLES, RDF_XML, TRIG, TURTLE
from passport_registry.vocabulary import Vocabulary
from passport_registry.vocabulary.terms import BPR, BPRV

router = APIRouter(tags=["self-description"], dependencies=CREDENTIALS_CHECKED)

#: The RDF documents are offered in these types; Turtle (the source file, comments kept) first.
RDF_OFFERED = (TURTLE, JSON_LD, N_TRIPLES, N_QUADS, TRIG, RDF_XML)
SCHEMA_JSON = "application/schema+json"
_CACHE = "public, max-age=3600"

_CONDITIONAL: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: If-None-Match or If-Modified-Since matched."},
    412: {"description": "If-Match names none of the document's ETags."},
}
_RDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document.",
        "content": {
            m: {"schema": {"type": ["object", "array"]} if m == JSON_LD else {"type": "string"}}
            for m in RDF_OFFERED
        },
    },
    406: {"description": "None of the offered media types is acceptable (RFC 9457 problem details)."},
    **_CONDITIONAL,
}

Accept = Annotated[str | None, Header()]


def _document(request: Request, body: bytes, media_type: str, headers: dict[str, str]) -> Response:
    """`body` with a strong ETag (a digest of the bytes), or 304 / 412 as the request's conditional
    headers ask: the documents change only when the registry is upgraded."""
    validators = Validators(etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    headers = {**headers, **validators.headers(), "Cache-Control": _CACHE}
    if evaluate(request.headers, validators):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _vocabulary(request: Request) -> Vocabulary:
    vocabulary: Vocabulary = request.app.state.registry.vocabulary
    return vocabulary


def _rdf_document(request: Request, source: bytes, accept: str | None) -> Response:
    choice = negotiate(accept, RDF_OFFERED)
    if choice.media_type == TURTLE:
        return _document(request, source, "text/turtle; charset=utf-8", {"Vary": "Accept"})
    quads = pyoxigraph.parse(source, format=pyoxigraph.RdfFormat.TURTLE)
    prefixes = {"bpr": BPR, "bprv": BPRV} if choice.media_type == TRIG else None
    body = serialize(quads, choice.media_type, prefixes)
    return _document(request, body, choice.media_type, {"Vary": "Accept"})


@router.get("/ontology", responses=_RDF_RESPONSES, response_class=Response)
def read_ontology(request: Request, accept: Accept = None) -> Response:
    """The OWL ontology: every attribute with its access group, DIN DKE SPEC 99100 number, unit."""
    return _rdf_document(request, _vocabulary(request).files.ontology, accept)


@router.get("/vocabularies", responses=_RDF_RESPONSES, response_class=Response)
def read_vocabularies(request: Request, accept: Accept = None) -> Response:
    """The SKOS concept schemes: categories, chemistries, battery statuses and the other code lists."""
    return _rdf_document(request, _vocabulary(request).files.vocabularies, accept)


@router.get("/shapes", responses=_RDF_RESPONSES, response_class=Response)
def read_shapes(request: Request, accept: Accept = None) -> Response:
    """The SHACL shapes every passport is validated against."""
    return _rdf_document(request, _vocabulary(request).files.shapes, accept)


@router.get(
    "/contexts/battery-passport.jsonld",
    responses={
        200: {"content": {JSON_LD: {"schema": {"type": "object"}}}, "description": "The context."},
        **_CONDITIONAL,
    },
    response_class=Response,
)
def read_context(request: Request) -> Response:
    """The JSON-LD context: the `@context` URL of the documents this registry serves, and what the stable
    `https://w3id.org/passport-registry/battery/context.jsonld` stands for."""
    return _document(request, _vocabulary(request).files.context, JSON_LD, {})


@router.get(
    "/schemas/battery-passport.schema.json",
    responses={
        200: {"content": {SCHEMA_JSON: {"schema": {"type": "object"}}}, "description": "The JSON Schema."},
        404: {"description": "Not bundled in this build."},
        **_CONDITIONAL,
    },
    response_class=Response,
)
def read_json_schema(request: Request) -> Response:
    """The JSON Schema of a passport in plain JSON, derived from the shapes."""
    state = request.app.state
    body: bytes | None = getattr(state, "json_schema", None)
    if body is None:
        try:
            body = state.json_schema = schema_bytes(_vocabulary(request))
        except FileNotFoundError:
            raise NotFound("This build carries no JSON Schema.") from None
    return _document(request, body, SCHEMA_JSON, {})
