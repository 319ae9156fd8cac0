"""`/passports` reads: a passport (content negotiation by role and ownership, conditional requests, the
cached bytes of its current version), the caller's list, the look-up by identifier, and its versions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel
from pyoxigraph import NamedNode
from starlette.concurrency import run_in_threadpool

from passport_registry.accounts.models import User
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
from passport_registry.api.passports import (
    READ_ERRORS,
    REPRESENTATIONS,
    PassportId,
    PassportOut,
    PassportRoute,
    Passports,
    Renderers,
    problem,
)
from passport_registry.api.representations import (
    HTML,
    OFFERED,
    VARY,
    Renderer,
    Representation,
    etag,
    profile_of,
)
from passport_registry.api.session import COOKIE as SESSION_COOKIE
from passport_registry.api.session import page_user
from passport_registry.api.timestamps import Instant
from passport_registry.errors import BadRequest, Gone
from passport_registry.resources import BPRV
from passport_registry.services.passports import PassportService
from passport_registry.store import ListFilters, Status
from passport_registry.store.records import VersionInfo

router = APIRouter(tags=["passports"], dependencies=CREDENTIALS_CHECKED, route_class=PassportRoute)
#: The hot read route checks its caller's credentials itself (`reader_of`, the same check as
#: `CREDENTIALS_CHECKED`): a router dependency would cost FastAPI's dependency solving on every GET.
read_router = APIRouter(tags=["passports"], route_class=PassportRoute)


class PassportPageOut(BaseModel):
    """A page of one's passports; follow `next` (also in the `Link: rel="next"` header) for more."""

    items: list[PassportOut]
    next: str | None


class VersionOut(BaseModel):
    number: int
    issued: datetime
    issued_by: str
    url: str


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


@router.get(
    "/passports",
    response_model=PassportPageOut,
    responses={**AUTH_RESPONSES, 400: problem("A malformed cursor, or a filter that is no code or IRI")},
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
        404: problem("No such passport"),
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
    responses={200: REPRESENTATIONS, **READ_ERRORS},
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


@router.get(
    "/passports/{passport_id}/versions",
    response_model=list[VersionOut],
    responses={404: problem("No such passport"), 410: problem("The passport ended")},
)
def list_versions(passport_id: PassportId, user: OptionalReader, passports: Passports) -> list[VersionOut]:
    """Every version of a passport, oldest first: number, when and by which organisation it was issued.

    After the passport ended (410 for others), its owner and the authorities (notified bodies, market
    surveillance, Commission) still list its versions and read them (`/versions/{n}`, `?at=`)."""
    return [version_out(passport_id, v) for v in passports.versions(passport_id, user)]


@router.get(
    "/passports/{passport_id}/versions/{number}",
    responses={200: REPRESENTATIONS, **READ_ERRORS},
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


def version_out(passport_id: str, info: VersionInfo) -> VersionOut:
    return VersionOut(
        number=info.number,
        issued=info.issued,
        issued_by=info.issued_by,
        url=f"/passports/{passport_id}/versions/{info.number}",
    )
