"""The QR code's path (Art. 77(3)): GS1 Digital Link (`/01/{gtin}/21/{serial}`) and any identifier a
passport carries (`/resolve?identifier=`) lead to the passport (307), or list its links (RFC 9264
linkset, `Accept: application/linkset+json`); `/passports/{id}/qr` is the QR code that leads there.
"""

from __future__ import annotations

import hashlib
import io
import json
from typing import Annotated, Any, Literal

import segno
from fastapi import APIRouter, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from passport_registry import gs1
from passport_registry.api.conditional import Validators, evaluate
from passport_registry.api.deps import CREDENTIALS_CHECKED
from passport_registry.api.negotiation import negotiate
from passport_registry.api.representations import OFFERED
from passport_registry.errors import NotAcceptable, NotFound
from passport_registry.services.passports import PassportService

router = APIRouter(tags=["resolver"], dependencies=CREDENTIALS_CHECKED)

LINKSET = "application/linkset+json"
SVG = "image/svg+xml"
PNG = "image/png"
GS1_VOC = "https://gs1.org/voc/"
#: What a resolver answers a client that names no linkset: the redirect (HTML stands for "anything").
_RESOLVER_OFFERED = ("text/html", LINKSET)
_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

_RESOLVE_RESPONSES: dict[int | str, dict[str, Any]] = {
    307: {
        "description": "Temporary Redirect: `Location` is the passport; a `Link` header names the linkset.",
        "headers": {"Location": {"schema": {"type": "string"}, "description": "The passport."}},
    },
    200: {
        "description": "The linkset (RFC 9264) of the passport, when Accept asks for "
        "application/linkset+json or `linkType` is `all` / `linkset`: every representation "
        "of the passport and related links.",
        "content": {LINKSET: {"schema": {"type": "object", "required": ["linkset"]}}},
    },
    404: {"description": "No live passport has this identifier.", "content": _PROBLEM},
    410: {"description": "The passport this IRI named ended.", "content": _PROBLEM},
}
LinkType = Annotated[
    Literal["all", "linkset"] | None,
    Query(alias="linkType", description="`all` or `linkset`: the linkset, whatever Accept says (GS1)."),
]


def _passports(request: Request) -> PassportService:
    service: PassportService = request.app.state.passports
    return service


def _answer(request: Request, identifier: str, link_type: str | None, hint: str = "") -> Response:
    """The redirect to the passport `identifier` names, or its linkset."""
    passports = _passports(request)
    try:
        iri = passports.locate(identifier)
    except NotFound as exc:
        if hint:
            exc.detail += hint
        raise
    passport_id = passports.id_of(iri)
    anchor = request.app.state.settings.base_url + request.url.path
    try:
        wants_linkset = negotiate(request.headers.get("accept"), _RESOLVER_OFFERED).media_type == LINKSET
    except NotAcceptable:
        wants_linkset = False  # the passport negotiates its own representations (and answers 406 itself)
    headers = {"Vary": "Accept", "Link": f'<{request.url.path}>; rel="linkset"; type="{LINKSET}"'}
    if link_type is not None or wants_linkset:
        body = json.dumps(_linkset(request, passports, passport_id, anchor), ensure_ascii=False)
        return Response(body.encode("utf-8"), media_type=LINKSET, headers=headers)
    return Response(status_code=307, headers={**headers, "Location": f"/passports/{passport_id}"})


def _linkset(request: Request, passports: PassportService, passport_id: str, anchor: str) -> dict[str, Any]:
    """RFC 9264 §4.2: one context object for the anchor (the identifier's URL), its targets by relation:
    GS1's default link and product information page, every representation as `alternate`, the QR codes,
    the version history, and predecessor / successor passports (RFC 5829)."""
    base = request.app.state.settings.base_url
    url = f"{base}/passports/{passport_id}"
    view = passports.read(passport_id, None)
    links = passports.links(view)
    context: dict[str, Any] = {
        "anchor": anchor,
        GS1_VOC + "defaultLink": [{"href": url, "title": "Battery passport"}],
        GS1_VOC + "pip": [{"href": url, "type": "text/html", "title": "Battery passport page"}],
        "alternate": [{"href": url, "type": media_type} for media_type in OFFERED],
        "related": [
            {"href": f"{url}/qr", "type": SVG, "title": "QR code of this passport"},
            {"href": f"{url}/qr?format=png", "type": PNG, "title": "QR code of this passport"},
        ],
        "version-history": [{"href": f"{url}/versions", "type": "application/json"}],
    }
    if links.predecessors:
        context["predecessor-version"] = [{"href": iri} for iri in links.predecessors]
    if links.successors:
        context["successor-version"] = [{"href": iri} for iri in links.successors]
    return {"linkset": [context]}


@router.get(
    "/01/{gtin}/21/{serial}",
    status_code=307,
    responses={
        **_RESOLVE_RESPONSES,
        400: {"description": "Not a GTIN or serial number.", "content": _PROBLEM},
    },
    summary="Resolve a GS1 Digital Link",
)
async def resolve_digital_link(
    request: Request,
    gtin: Annotated[str, Path(max_length=14, description="GTIN-8, -12, -13 or -14 (AI 01).")],
    serial: Annotated[str, Path(max_length=20, description="Serial number (AI 21).")],
    link_type: LinkType = None,
) -> Response:
    """The battery with this GTIN and serial number (a GS1 Digital Link URI, what the QR code on a
    battery may hold): 307 to its passport, whose battery identifier is the element string
    `(01){gtin}(21){serial}`; or, with `Accept: application/linkset+json` or `?linkType=all`, the
    passport's links as an RFC 9264 linkset."""
    identifier = gs1.element_string(gtin, serial)
    hint = "" if gs1.check_digit_ok(gtin) else f" (and {gtin} does not end in its GS1 check digit)"
    return await run_in_threadpool(_answer, request, identifier, link_type, hint)


@router.get(
    "/resolve",
    status_code=307,
    responses={
        **_RESOLVE_RESPONSES,
        400: {
            "description": "A GS1 Digital Link URI whose GTIN or serial is malformed.",
            "content": _PROBLEM,
        },
    },
    summary="Resolve any identifier",
)
async def resolve_identifier(
    request: Request,
    identifier: Annotated[
        str,
        Query(
            min_length=1,
            max_length=2000,
            description="A battery identifier (`productIdentifier`, e.g. "
            "`(01)04012345000016(21)VX77NMC0004711`), a GS1 Digital Link URI on any host, a passport "
            "identifier (`urn:uuid:...`) or a passport IRI.",
        ),
    ],
    link_type: LinkType = None,
) -> Response:
    """The passport an identifier names, in whatever form the battery or its papers carry it: 307 to the
    passport (the front page's search box comes here), or its RFC 9264 linkset as for
    `/01/{gtin}/21/{serial}`."""
    identifier = identifier.strip()
    found = gs1.from_digital_link(identifier)
    if found is not None:
        identifier = gs1.element_string(*found)
    return await run_in_threadpool(_answer, request, identifier, link_type)


@router.get(
    "/passports/{passport_id}/qr",
    response_class=Response,
    responses={
        200: {
            "description": "The QR code (ISO/IEC 18004, error correction M) of the passport's URL.",
            "content": {SVG: {"schema": {"type": "string"}}, PNG: {"schema": {"type": "string"}}},
        },
        304: {"description": "Not modified."},
        404: {"description": "No such passport.", "content": _PROBLEM},
        412: {"description": "If-Match names none of the code's ETags.", "content": _PROBLEM},
        410: {"description": "The passport ended: no code leads to it any more.", "content": _PROBLEM},
    },
    summary="QR code of a passport",
)
def read_qr_code(
    request: Request,
    passport_id: Annotated[str, Path(max_length=64, description="The passport id.")],
    format: Annotated[
        Literal["svg", "png"] | None, Query(description="`svg` or `png`; overrides Accept.")
    ] = None,
) -> Response:
    """The QR code to print on the battery or its documents: it holds the passport's URL (its IRI),
    which any phone opens as the passport page. SVG unless `?format=png` or Accept prefers image/png."""
    passports = _passports(request)
    record = passports.record(passport_id).live()
    if format is not None:
        media_type = SVG if format == "svg" else PNG
    else:
        media_type = negotiate(request.headers.get("accept"), (SVG, PNG)).media_type
    code = segno.make(record.iri.value, error="m")
    buffer = io.BytesIO()
    if media_type == SVG:
        title = f"QR code of battery passport {passport_id}"
        code.save(buffer, kind="svg", scale=4, border=4, xmldecl=True, svgns=True, title=title)
    else:
        code.save(buffer, kind="png", scale=8, border=4)
    body = buffer.getvalue()
    validators = Validators(etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    headers = {**validators.headers(), "Cache-Control": "public, no-cache", "Vary": "Accept"}
    if evaluate(request.headers, validators):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
