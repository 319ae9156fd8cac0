"""`/passports`: create, read (content negotiation by role and ownership), list, replace, patch, delete,
versions and the lifecycle (successors, transfer). Every route calls `PassportService`; none reads storage."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match
from starlette.types import Scope

from passport_registry.accounts.models import User
from passport_registry.api.bodies import read_body, require_media_type
from passport_registry.api.conditional import evaluate
from passport_registry.api.deps import (
    AUTH_RESPONSES,
    CREDENTIALS_CHECKED,
    READER_SECURITY,
    CurrentUser,
    OptionalReader,
    reader_of,
)
from passport_registry.api.negotiation import Choice, negotiate
from passport_registry.api.representations import (
    HTML,
    OFFERED,
    VARY,
    WRITE_HEADERS,
    Renderer,
    Representation,
    etag,
    profile_of,
    write_etag,
    write_precondition,
)
from passport_registry.api.session import COOKIE as SESSION_COOKIE
from passport_registry.api.session import page_user
from passport_registry.api.timestamps import Instant
from passport_registry.errors import BadRequest, Gone, UnsupportedMediaType
from passport_registry.rdf.formats import FORMATS
from passport_registry.resources import BPRV
from passport_registry.services.passports import PassportService
from passport_registry.store import ListFilters, PassportRecord, Status
from passport_registry.store.records import VersionInfo


class PassportRoute(APIRoute):
    """A route of this router: `/passports/{passport_id}...` never takes a sibling's literal segment
    (`lookup`) as an id, so `PUT /passports/lookup` is 405 for the lookup resource, not a passport."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.NONE and child.get("path_params", {}).get("passport_id") in _SIBLINGS:
            return Match.NONE, {}
        return match, child


_SIBLINGS = frozenset({"lookup"})
router = APIRouter(tags=["passports"], dependencies=CREDENTIALS_CHECKED, route_class=PassportRoute)
#: The hot read route checks its caller's credentials itself (`reader_of`, the same check as
#: `CREDENTIALS_CHECKED`): a router dependency would cost FastAPI's dependency solving on every GET.
read_router = APIRouter(tags=["passports"], route_class=PassportRoute)

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
_REPRESENTATIONS = {
    "description": "The passport, in the media type the Accept header prefers.",
    "content": {m: {"schema": {"type": "string"}} for m in OFFERED}
    | {
        "application/ld+json": {"schema": _JSON_LD_SCHEMA},
        "application/json": {"schema": {"type": "object"}},
    },
}


def _problem(text: str) -> dict[str, Any]:
    return {"description": text + " (RFC 9457 problem details).", "content": _PROBLEM}


_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified: If-None-Match or If-Modified-Since matched."},
    404: _problem("No such passport or version"),
    412: _problem(
        "If-Match names none of the representation's ETags, or it changed after If-Unmodified-Since"
    ),
    406: _problem("None of the offered media types is acceptable; `offered` lists them"),
    410: _problem("The passport ended: `status` (deleted or ceased), `ended_at`, `ended_by`"),
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **AUTH_RESPONSES,
    400: _problem("The body cannot be parsed"),
    409: _problem("The battery already has a live passport"),
    413: _problem("The body is too large"),
    415: _problem("Unsupported Content-Type; `accepted` lists the supported ones"),
    422: _problem(
        "The passport does not conform: `violations` lists focusNode, path, message, severity, "
        "sourceShape, constraintComponent, value and focusPath of each"
    ),
}
_PRECONDITION_ERRORS: dict[int | str, dict[str, Any]] = {
    404: _problem("No such passport"),
    410: _problem("The passport ended"),
    412: _problem("If-Match does not name the current version; `current_version` says which is"),
    428: _problem("If-Match is missing"),
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


class PassportPageOut(BaseModel):
    """A page of one's passports; follow `next` (also in the `Link: rel="next"` header) for more."""

    items: list[PassportOut]
    next: str | None


class VersionOut(BaseModel):
    number: int
    issued: datetime
    issued_by: str
    url: str


class TransferIn(BaseModel):
    """Who takes responsibility for a battery that became waste."""

    model_config = ConfigDict(extra="forbid")
    # Printable, as an account's organisation must be: the owner is recorded in the store and compared
    # with accounts' organisations, and a control character there could never be matched or written out.
    organisation: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"
        ),
    ] = Field(
        description="Identifier of the producer, producer responsibility organisation or waste operator."
    )


def _code(concept: NamedNode | None, scheme: str) -> str | None:
    if concept is None:
        return None
    return concept.value.removeprefix(BPRV + scheme)


def _written(record: PassportRecord, passports: PassportService, status_code: int) -> Response:
    passport_id = passports.id_of(record.iri)
    body = PassportOut.of(record, passports).model_dump_json().encode("utf-8")
    tag = write_etag(passport_id, record.version, record.link_revision)
    headers = {"ETag": tag, "Location": f"/passports/{passport_id}"}
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)


def _respond(representation: Representation, conditions: Mapping[str, str], private: bool) -> Response:
    """The representation, or 304 / 412 as the request's conditional headers (`conditions`) ask."""
    headers = {"ETag": representation.etag, "Vary": VARY, **representation.headers}
    headers["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
    if evaluate(conditions, representation.validators):
        return Response(status_code=304, headers=headers)
    return Response(representation.body, media_type=representation.content_type, headers=headers)


def _cached_current(
    passports: PassportService, renderer: Renderer, passport_id: str, user: User | None, choice: Choice
) -> Representation | None:
    """The cached representation of the passport's current version for `user`, if there is one.

    Reads the passport's metadata afresh (its current version) on every call, so a write by any process
    is seen at once; only the bytes of a version are cached. Raises NotFound.
    """
    record = passports.record(passport_id)
    if record.status is not Status.LIVE:
        return None
    groups = passports.groups_for(user, record)
    profile = profile_of(choice)
    return renderer.cached(
        etag(passport_id, record.version, groups, choice.media_type, profile, record.link_revision)
    )


def _represent(
    passports: PassportService,
    renderer: Renderer,
    request: Request,
    passport_id: str,
    user: User | None,
    accept: str | None,
    conditions: Mapping[str, str],
    *,
    version: int | None = None,
    at: datetime | None = None,
) -> Response:
    choice = negotiate(accept, OFFERED)
    if version is None and at is None:
        cached = _cached_current(passports, renderer, passport_id, user, choice)
        if cached is not None:
            return _respond(cached, conditions, user is not None)
    try:
        view = passports.read(passport_id, user, version=version, at=at)
    except Gone:
        if choice.media_type != HTML:
            raise
        return _ended_page(passports, renderer, passport_id)
    links = passports.links(view)
    context = request.app.state.registry.context
    return _respond(renderer.render(view, passport_id, choice, links, context), conditions, user is not None)


def _ended_page(passports: PassportService, renderer: Renderer, passport_id: str) -> Response:
    """410 with a page for people: when and why the passport ended (a browser asked for HTML)."""
    record = passports.record(passport_id)
    page = renderer.page.render_ended(record)
    headers = {"Vary": VARY, "Cache-Control": "no-cache"}
    return Response(page, status_code=410, media_type="text/html; charset=utf-8", headers=headers)


@router.post(
    "/passports",
    status_code=201,
    response_model=PassportOut,
    responses={**_WRITE_ERRORS, 201: {"description": "Created; Location and ETag headers are set."}},
    openapi_extra=RDF_BODY,
)
def create_passport(user: CurrentUser, passports: Passports, body: Body, media_type: ContentType) -> Response:
    """Create a passport (economic operators). The registry mints its IRI `{base}/passports/{id}`.

    The body is one passport in JSON-LD, plain JSON (the registry's context implied), Turtle,
    N-Triples, N-Quads, TriG or RDF/XML, with exactly one node of type `BatteryPassport` (leave out its
    `@id`). It is validated against the shapes (422 lists every violation), its
    `operatorInformation.identifier` must be the caller's organisation, and a battery has at most one
    live passport (409).
    """
    return _written(passports.create(user, body, media_type), passports, 201)


@router.get(
    "/passports",
    response_model=PassportPageOut,
    responses={**AUTH_RESPONSES, 400: _problem("A malformed cursor, or a filter that is no code or IRI")},
)
def list_passports(
    user: CurrentUser,
    passports: Passports,
    response: Response,
    cursor: Annotated[
        str | None, Query(max_length=512, description="`next` cursor of the last page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    battery_identifier: Annotated[str | None, Query(alias="batteryIdentifier", max_length=500)] = None,
    category: Annotated[
        str | None, Query(max_length=100, description="A category code: ev, lmt, ...")
    ] = None,
    battery_status: Annotated[
        str | None, Query(alias="batteryStatus", max_length=100, description="original, repurposed, ...")
    ] = None,
    status: Annotated[Status | None, Query(description="live, deleted or ceased.")] = None,
    updated_since: Annotated[
        Instant | None, Query(alias="updatedSince", description="RFC 3339, with a time offset.")
    ] = None,
) -> PassportPageOut:
    """The caller organisation's passports (economic operators), ordered by IRI, a page at a time."""
    filters = ListFilters(
        battery_id=battery_identifier,
        category=_concept("category/", category),
        status=status,
        battery_status=_concept("status/", battery_status),
        updated_since=updated_since,
    )
    page = passports.list_owned(user, cursor=cursor, limit=limit, filters=filters)
    next_url = None
    if page.next_cursor is not None:
        query = {
            "cursor": page.next_cursor,
            "limit": limit,
            "batteryIdentifier": battery_identifier,
            "category": category,
            "batteryStatus": battery_status,
            "status": None if status is None else status.value,
            "updatedSince": None if updated_since is None else updated_since.isoformat(),
        }
        next_url = "/passports?" + urlencode({k: v for k, v in query.items() if v is not None})
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return PassportPageOut(items=[PassportOut.of(r, passports) for r in page.items], next=next_url)


def _concept(scheme: str, code: str | None) -> NamedNode | None:
    if code is None:
        return None
    try:
        return NamedNode(code if ":" in code else BPRV + scheme + code)
    except ValueError:
        raise BadRequest(f"{code!r} is not a code or an IRI") from None


@router.get(
    "/passports/lookup",
    status_code=303,
    responses={
        303: {"description": "See Other: Location is the passport."},
        404: _problem("No such passport"),
    },
)
def lookup_passport(
    passports: Passports,
    identifier: Annotated[
        str, Query(max_length=2000, description="A batteryPassportIdentifier, e.g. urn:uuid:...")
    ],
) -> RedirectResponse:
    """Find the live passport with a passport identifier (what `predecessor` and `successor` name)."""
    iri = passports.resolve(identifier)
    return RedirectResponse(f"/passports/{passports.id_of(iri)}", status_code=303)


#: The GET route reads these headers (and the credentials) from the request itself: each declared
#: parameter or dependency costs FastAPI work on every request. They are documented here instead.
_READ_HEADERS: dict[str, Any] = {
    "parameters": [
        {
            "in": "header",
            "name": name,
            "required": False,
            "description": description,
            "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": title},
        }
        for name, title, description in (
            ("accept", "Accept", "The media types the client prefers (content negotiation)."),
            ("if-none-match", "If-None-Match", "ETags the client holds; a match answers 304."),
        )
    ]
}


@read_router.get(
    "/passports/{passport_id}",
    responses={200: _REPRESENTATIONS, **_READ_ERRORS},
    openapi_extra=_READ_HEADERS | READER_SECURITY,
)
async def read_passport(
    passport_id: PassportId,
    request: Request,
    at: Annotated[
        Instant | None,
        Query(description="Read the version current at this instant (RFC 3339, with a time offset)."),
    ] = None,
) -> Response:
    """A passport as the caller may see it: anonymous callers the public group, other roles what
    Annex XIII gives them, the owner everything.

    Content negotiation: `application/ld+json` (compacted with the registry's context;
    `profile="http://www.w3.org/ns/json-ld#expanded"` or `#flattened` for those forms), `application/json`
    (compacted, context in a Link header), `text/turtle`, `application/n-triples`, `application/n-quads`,
    `application/trig`, `application/rdf+xml`, `text/html`. `?at=` reads the version current at that time.
    Predecessor and successor passports are `Link` headers (`predecessor-version`, `successor-version`).
    """
    user = await reader_of(request)
    passports: PassportService = request.app.state.passports
    renderer: Renderer = request.app.state.renderer
    accept = request.headers.get("accept")
    choice = negotiate(accept, OFFERED)
    if user is None and choice.media_type == HTML and SESSION_COOKIE in request.cookies:
        user = await page_user(request)  # a person signed in with the browser form reads its page
    if at is None:
        # A cache hit costs one metadata read (~0.1 ms on the embedded store, GIL released): cheaper
        # on the event loop than a thread-pool hop. Rendering, and `?at=`, go to the thread pool.
        cached = _cached_current(passports, renderer, passport_id, user, choice)
        if cached is not None:
            return _respond(cached, request.headers, user is not None)
    return await run_in_threadpool(
        _represent, passports, renderer, request, passport_id, user, accept, request.headers, at=at
    )


@router.put(
    "/passports/{passport_id}",
    response_model=PassportOut,
    responses={**_WRITE_ERRORS, **_PRECONDITION_ERRORS},
    openapi_extra=RDF_BODY | WRITE_HEADERS,
)
def replace_passport(
    passport_id: PassportId,
    user: CurrentUser,
    passports: Passports,
    body: Body,
    media_type: ContentType,
    expected: ExpectedVersion,
) -> Response:
    """Replace a passport with a new version (owner only; `If-Match` required). The earlier version
    stays readable under `/versions`. The body's root is this passport's IRI or has no `@id`."""
    return _written(passports.replace(passport_id, user, body, media_type, expected), passports, 200)


@router.patch(
    "/passports/{passport_id}",
    response_model=PassportOut,
    responses={**_WRITE_ERRORS, **_PRECONDITION_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {MERGE_PATCH: {"schema": {"type": "object"}, "example": {"batteryMass": "490.5"}}},
        },
        **WRITE_HEADERS,
    },
)
def patch_passport(
    passport_id: PassportId,
    user: CurrentUser,
    passports: Passports,
    body: Body,
    media_type: MergePatchType,
    expected: ExpectedVersion,
) -> Response:
    """Change a passport with a JSON merge patch (RFC 7396, `application/merge-patch+json`) applied to
    its compacted JSON-LD form (what `GET` with `Accept: application/ld+json` gives the owner); `null`
    removes a key. Validated like a replace; owner only; `If-Match` required."""
    return _written(passports.patch(passport_id, user, body, expected), passports, 200)


@router.delete(
    "/passports/{passport_id}",
    status_code=204,
    responses={**AUTH_RESPONSES, **_PRECONDITION_ERRORS},
    openapi_extra=WRITE_HEADERS,
)
def delete_passport(
    passport_id: PassportId,
    user: CurrentUser,
    passports: Passports,
    expected: ExpectedVersion,
    reason: Annotated[
        Literal["withdrawn", "recycled"],
        Query(description="`recycled` ends the passport as ceased (Art. 77(9)); else it is deleted."),
    ] = "withdrawn",
) -> Response:
    """End a passport (owner only; `If-Match` required). Later reads answer 410 Gone with when and by
    whom; its history is kept."""
    passports.delete(passport_id, user, expected, recycled=reason == "recycled")
    return Response(status_code=204)


@router.get(
    "/passports/{passport_id}/versions",
    response_model=list[VersionOut],
    responses={404: _problem("No such passport"), 410: _problem("The passport ended")},
)
def list_versions(passport_id: PassportId, user: OptionalReader, passports: Passports) -> list[VersionOut]:
    """Every version of a passport, oldest first: number, when and by which organisation it was issued.

    After the passport ended (410 for others), its owner and the authorities (notified bodies, market
    surveillance, Commission) still list its versions and read them (`/versions/{n}`, `?at=`)."""
    return [version_out(passport_id, v) for v in passports.versions(passport_id, user)]


@router.get(
    "/passports/{passport_id}/versions/{number}",
    responses={200: _REPRESENTATIONS, **_READ_ERRORS},
)
def read_version(
    passport_id: PassportId,
    number: Annotated[int, Path(ge=1)],
    request: Request,
    user: OptionalReader,
    passports: Passports,
    renderer: Renderers,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """One version of a passport, with the same views, content negotiation and conditional requests as
    the passport."""
    conditions = request.headers
    return _represent(passports, renderer, request, passport_id, user, accept, conditions, version=number)


@router.post(
    "/passports/{passport_id}/successors",
    status_code=201,
    response_model=PassportOut,
    responses={**_WRITE_ERRORS, 404: _problem("No such passport"), 410: _problem("The passport ended")},
    openapi_extra=RDF_BODY,
)
def create_successor(
    passport_id: PassportId, user: CurrentUser, passports: Passports, body: Body, media_type: ContentType
) -> Response:
    """Issue the passport of a repurposed, re-used or remanufactured battery (Art. 77(7); economic
    operators). The new passport is owned by the caller, has battery status repurposed, re-used or
    remanufactured, and names this passport's identifier as `predecessor` (added when missing). This
    passport is not changed: it shows the new one as its successor once its owner accepts
    (`PUT /passports/{id}/successors/{successor_id}`), at once when the caller is that owner."""
    return _written(passports.create_successor(passport_id, user, body, media_type), passports, 201)


@router.post(
    "/passports/{passport_id}/transfer",
    response_model=PassportOut,
    responses={**AUTH_RESPONSES, **_PRECONDITION_ERRORS, 422: _problem("Invalid transfer")},
    openapi_extra=WRITE_HEADERS,
    dependencies=[Depends(require_media_type("application/json"))],
)
def transfer_passport(
    passport_id: PassportId,
    transfer: TransferIn,
    user: CurrentUser,
    passports: Passports,
    expected: ExpectedVersion,
) -> Response:
    """The battery became waste (Art. 77(8)): its battery status becomes `waste` and responsibility
    moves to `organisation`, which owns the passport from then on (owner only; `If-Match` required)."""
    return _written(passports.transfer(passport_id, user, transfer.organisation, expected), passports, 200)


def version_out(passport_id: str, info: VersionInfo) -> VersionOut:
    return VersionOut(
        number=info.number,
        issued=info.issued,
        issued_by=info.issued_by,
        url=f"/passports/{passport_id}/versions/{info.number}",
    )
