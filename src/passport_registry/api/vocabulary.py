"""Self-description at stable paths: the ontology, the vocabularies, the shapes, the JSON-LD context and
the JSON Schema; the RDF documents with content negotiation (Turtle first, as written)."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files
from typing import Annotated, Any

import pyoxigraph
from fastapi import APIRouter, Header, Response

from passport_registry import resources
from passport_registry.api.deps import CREDENTIALS_CHECKED
from passport_registry.api.negotiation import negotiate
from passport_registry.errors import NotFound
from passport_registry.rdf import serialize
from passport_registry.rdf.formats import JSON_LD, N_QUADS, N_TRIPLES, RDF_XML, TRIG, TURTLE

router = APIRouter(tags=["self-description"], dependencies=CREDENTIALS_CHECKED)

#: The RDF documents are offered in these types; Turtle (the source file, comments kept) first.
RDF_OFFERED = (TURTLE, JSON_LD, N_TRIPLES, N_QUADS, TRIG, RDF_XML)
SCHEMA_FILE = "battery-passport.schema.json"
_CACHE = "public, max-age=3600"

_RDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The document.",
        "content": {m: {"schema": {"type": "string"}} for m in RDF_OFFERED},
    },
    406: {"description": "None of the offered media types is acceptable (RFC 9457 problem details)."},
}

Accept = Annotated[str | None, Header()]


def _rdf_document(turtle: Callable[[], bytes], accept: str | None) -> Response:
    choice = negotiate(accept, RDF_OFFERED)
    source = turtle()
    headers = {"Vary": "Accept", "Cache-Control": _CACHE}
    if choice.media_type == TURTLE:
        return Response(source, media_type="text/turtle; charset=utf-8", headers=headers)
    quads = pyoxigraph.parse(source, format=pyoxigraph.RdfFormat.TURTLE)
    prefixes = {"bpr": resources.BPR, "bprv": resources.BPRV} if choice.media_type == TRIG else None
    return Response(
        serialize(quads, choice.media_type, prefixes), media_type=choice.media_type, headers=headers
    )


@router.get("/ontology", responses=_RDF_RESPONSES)
def read_ontology(accept: Accept = None) -> Response:
    """The OWL ontology: every attribute with its access group, DIN DKE SPEC 99100 number, unit."""
    return _rdf_document(resources.ontology_bytes, accept)


@router.get("/vocabularies", responses=_RDF_RESPONSES)
def read_vocabularies(accept: Accept = None) -> Response:
    """The SKOS concept schemes: categories, chemistries, battery statuses and the other code lists."""
    return _rdf_document(resources.vocabularies_bytes, accept)


@router.get("/shapes", responses=_RDF_RESPONSES)
def read_shapes(accept: Accept = None) -> Response:
    """The SHACL shapes every passport is validated against."""
    return _rdf_document(resources.shapes_bytes, accept)


@router.get(
    "/contexts/battery-passport.jsonld",
    responses={200: {"content": {JSON_LD: {"schema": {"type": "object"}}}, "description": "The context."}},
)
def read_context() -> Response:
    """The JSON-LD context (partners name it by `https://w3id.org/passport-registry/battery/context.jsonld`)."""
    return Response(resources.context_bytes(), media_type=JSON_LD, headers={"Cache-Control": _CACHE})


@router.get(
    "/schemas/battery-passport.schema.json",
    responses={200: {"description": "The JSON Schema."}, 404: {"description": "Not bundled in this build."}},
)
def read_json_schema() -> Response:
    """The JSON Schema of a passport in plain JSON, derived from the shapes."""
    schema = files("passport_registry").joinpath("data", SCHEMA_FILE)
    if not schema.is_file():
        raise NotFound("This build carries no JSON Schema.")
    return Response(
        schema.read_bytes(), media_type="application/schema+json", headers={"Cache-Control": _CACHE}
    )
