"""`/passports`: what the routers of the resource share: the route class, dependencies (service, body,
Content-Type, expected version), the registry record as JSON, and the OpenAPI fragments of bodies and errors.

The routes are in `passport_reads.py` (read, list, look up, versions), `passport_writes.py` (create, replace,
patch, delete) and `passport_lifecycle.py` (successors, transfer). Every route calls `PassportService`;
none reads storage.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from pyoxigraph import NamedNode
from starlette.routing import Match
from starlette.types import Scope

from passport_registry.api.bodies import read_body
from passport_registry.api.deps import (
    AUTH_RESPONSES,
)
from passport_registry.api.representations import (
    OFFERED,
    Renderer,
    write_etag,
    write_precondition,
)
from passport_registry.errors import UnsupportedMediaType
from passport_registry.rdf.formats import FORMATS
from passport_registry.resources import BPRV
from passport_registry.services.passports import PassportService
from passport_registry.store import PassportRecord, Status


class PassportRoute(APIRoute):
    """A route of this router: `/passports/{passport_id}...` never takes a sibling's literal segment
    (`lookup`) as an id, so `PUT /passports/lookup` is 405 for the lookup resource, not a passport."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.NONE and child.get("path_params", {}).get("passport_id") in _SIBLINGS:
            return Match.NONE, {}
        return match, child


_SIBLINGS = frozenset({"lookup"})

MERGE_PATCH = "application/merge-patch+json"
_PROBLEM = {"application/problem+json": {"schema": {"type": "object"}}}
#: A JSON-LD document is an object or an array of objects (expanded and flattened forms are arrays).
_JSON_LD_SCHEMA = {"type": ["object", "array"]}
RDF_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A passport in any RDF format; plain JSON is read with the registry's context.",
        "content": {
            **{m: {"schema": {"type": "string"}} for m in FORMATS if m not in ("application/json",)},
            # Examples: the project's example passports, put in by `api.examples`.
            "application/json": {"schema": _JSON_LD_SCHEMA},
            "application/ld+json": {"schema": _JSON_LD_SCHEMA},
        },
    }
}
REPRESENTATIONS = {
    "description": "The passport, in the media type the Accept header prefers.",
    "content": {m: {"schema": {"type": "string"}} for m in OFFERED}
    | {
        "application/ld+json": {"schema": _JSON_LD_SCHEMA},
        "application/json": {"schema": {"type": "object"}},
    },
}


def problem(text: str) -> dict[str, Any]:
    return {"description": text + " (RFC 9457 problem details).", "content": _PROBLEM}


READ_ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: If-None-Match or If-Modified-Since matched."},
    404: problem("No such passport or version"),
    412: problem(
        "If-Match names none of the representation's ETags, or it changed after If-Unmodified-Since"
    ),
    406: problem("None of the offered media types is acceptable; `offered` lists them"),
    410: problem("The passport ended: `status` (deleted or ceased), `ended_at`, `ended_by`"),
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **AUTH_RESPONSES,
    400: problem("The body cannot be parsed"),
    409: problem("The battery already has a live passport"),
    413: problem("The body is too large"),
    415: problem("Unsupported Content-Type; `accepted` lists the supported ones"),
    422: problem(
        "The passport does not conform: `violations` lists focusNode, path, message, severity, "
        "sourceShape, constraintComponent, value and focusPath of each"
    ),
}
PRECONDITION_ERRORS: dict[int | str, dict[str, Any]] = {
    404: problem("No such passport"),
    410: problem("The passport ended"),
    412: problem("If-Match does not name the current version; `current_version` says which is"),
    428: problem("If-Match is missing"),
}

PassportId = Annotated[str, Path(max_length=64, description="The passport id (the last segment of its IRI).")]
#: The version a write expects: `If-Match` is required (428), `If-None-Match` refused when it matches.
ExpectedVersion = Annotated[int | None, Depends(write_precondition)]


async def get_passports(request: Request) -> PassportService:
    """The passport service opened by the app's lifespan."""
    service: PassportService = request.app.state.passports
    return service


async def get_renderer(request: Request) -> Renderer:
    renderer: Renderer = request.app.state.renderer
    return renderer


Passports = Annotated[PassportService, Depends(get_passports)]
Renderers = Annotated[Renderer, Depends(get_renderer)]


Body = Annotated[bytes, Depends(read_body)]


def content_type(request: Request) -> str:
    """The Content-Type of a body-carrying request; 415 when missing."""
    value = request.headers.get("content-type")
    if not value:
        raise UnsupportedMediaType("Send a Content-Type.", accepted=list(FORMATS))
    return value


ContentType = Annotated[str, Depends(content_type)]


def merge_patch_type(media_type: ContentType) -> str:
    """The Content-Type of a merge patch; 415 unless `application/merge-patch+json` (or JSON)."""
    if media_type.split(";")[0].strip().lower() not in (MERGE_PATCH, "application/json"):
        raise UnsupportedMediaType(f"Send {MERGE_PATCH}.", accepted=[MERGE_PATCH])
    return media_type


MergePatchType = Annotated[str, Depends(merge_patch_type)]


class PassportOut(BaseModel):
    """A passport's registry record: what the registry knows about it besides its data."""

    id: str
    iri: str
    owner: str = Field(description="The organisation (economic operator identifier) responsible for it.")
    version: int
    status: Status = Field(description="live, deleted (by its operator) or ceased (battery recycled).")
    created: datetime
    updated: datetime
    battery_identifier: str | None = None
    category: str | None = None
    battery_status: str | None = None
    predecessors: list[str] = []
    ended_at: datetime | None = None
    ended_by: str | None = None

    @classmethod
    def of(cls, record: PassportRecord, passports: PassportService) -> PassportOut:
        facts = record.facts
        return cls(
            id=passports.id_of(record.iri),
            iri=record.iri.value,
            owner=record.owner,
            version=record.version,
            status=record.status,
            created=record.created,
            updated=record.updated,
            battery_identifier=facts.battery_id,
            category=_code(facts.category, "category/"),
            battery_status=_code(facts.battery_status, "status/"),
            predecessors=[p.value for p in facts.predecessors],
            ended_at=record.ended_at,
            ended_by=record.ended_by,
        )


def _code(concept: NamedNode | None, scheme: str) -> str | None:
    if concept is None:
        return None
    return concept.value.removeprefix(BPRV + scheme)


def written(record: PassportRecord, passports: PassportService, status_code: int) -> Response:
    passport_id = passports.id_of(record.iri)
    body = PassportOut.of(record, passports).model_dump_json().encode("utf-8")
    tag = write_etag(passport_id, record.version, record.link_revision)
    headers = {"ETag": tag, "Location": f"/passports/{passport_id}"}
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)
