"""The front door: `/` as a page for people and a self-description for machines (DCAT and VoID, also at
`/.well-known/void`), and `/docs` (Swagger UI) served from the package, with no CDN.

    curl -H 'Accept: text/turtle' http://127.0.0.1:8000/          # the self-description
    open http://127.0.0.1:8000/                                    # the page
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from typing import Any

import swagger_ui_bundle
from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from starlette.concurrency import run_in_threadpool

from passport_registry.api.conditional import Validators, evaluate
from passport_registry.api.deps import CREDENTIALS_CHECKED
from passport_registry.api.negotiation import negotiate
from passport_registry.api.pages import Pages
from passport_registry.api.session import signed_in_name
from passport_registry.api.vocabulary import RDF_OFFERED
from passport_registry.errors import NotFound
from passport_registry.rdf import serialize
from passport_registry.rdf.formats import JSON_LD, TURTLE
from passport_registry.services import overview as ov
from passport_registry.services.sparql import SparqlQueries

router = APIRouter(tags=["service"], dependencies=CREDENTIALS_CHECKED)

HTML = "text/html"
#: `/` offers the RDF formats first (a client that names none gets Turtle) and HTML for browsers.
FRONT_OFFERED = (*RDF_OFFERED, HTML)
#: The counts change with every write: caches revalidate (ETag) every time.
_CACHE = "public, no-cache"
#: The Swagger UI files `/docs` uses, served from `swagger_ui_bundle` (anything else there is 404).
DOCS_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "oauth2-redirect.js")

_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The registry described: DCAT `dcat:DataService` and VoID `void:Dataset` (RDF), "
        "or the front page (HTML).",
        "content": {
            m: {"schema": {"type": ["object", "array"]} if m == JSON_LD else {"type": "string"}}
            for m in FRONT_OFFERED
        },
    },
    304: {"description": "Not modified: If-None-Match or If-Modified-Since matched."},
    412: {"description": "If-Match names none of the representation's ETags."},
}

_VOID_RESPONSES: dict[int | str, dict[str, Any]] = {
    **_RESPONSES,
    200: {
        "description": "The registry described (DCAT and VoID).",
        "content": {m: v for m, v in _RESPONSES[200]["content"].items() if m != HTML},
    },
}


@dataclass(frozen=True)
class ExampleLink:
    href: str
    title: str
    battery_identifier: str | None


def _overview(request: Request) -> ov.Overview:
    registry = request.app.state.registry
    return ov.overview(SparqlQueries(registry.store, registry.policy), registry.catalogue)


def _respond(request: Request, body: bytes, media_type: str, *, private: bool = False) -> Response:
    """`body` with a strong ETag and `Vary: Accept, Cookie`, or 304 / 412 as the conditional headers ask;
    `private` for a page that names its signed-in reader."""
    validators = Validators(etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    cache = "private, no-cache" if private else _CACHE
    headers = {**validators.headers(), "Cache-Control": cache, "Vary": "Accept, Cookie"}
    if evaluate(request.headers, validators):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _rdf(request: Request, media_type: str, public_passports: int) -> Response:
    settings = request.app.state.settings
    quads = ov.self_description(settings.base_url, settings.served_context_url, public_passports)
    body = serialize(quads, media_type, ov.PREFIXES if media_type in (TURTLE, "application/trig") else None)
    content_type = f"{media_type}; charset=utf-8" if media_type == TURTLE else media_type
    return _respond(request, body, content_type)


@router.get("/", responses=_RESPONSES, response_class=Response, summary="The front door")
async def read_front_door(request: Request) -> Response:
    """What this registry is. Browsers (`Accept: text/html`) get a page: a search by battery or passport
    identifier, links to these docs, the SPARQL page, the vocabulary and example passports. Programs get
    the registry's self-description in RDF (Turtle unless Accept names another RDF format): a DCAT
    `dcat:DataService` serving a VoID `void:Dataset`, with its SPARQL endpoint, vocabulary, shapes,
    JSON-LD context and the number of passports anyone may read."""
    choice = negotiate(request.headers.get("accept"), FRONT_OFFERED)
    found = await run_in_threadpool(_overview, request)
    if choice.media_type != HTML:
        return _rdf(request, choice.media_type, found.public_passports)
    pages: Pages = request.app.state.pages
    settings = request.app.state.settings
    examples = [
        ExampleLink(
            href=e.iri.removeprefix(settings.base_url) if e.iri.startswith(settings.base_url) else e.iri,
            title=" · ".join(p for p in ("Battery passport", e.category, e.chemistry) if p),
            battery_identifier=e.battery_identifier,
        )
        for e in found.examples
    ]
    signed_in = await signed_in_name(request)
    page = pages.render(
        "front.html",
        public_passports=found.public_passports,
        examples=examples,
        alternates=RDF_OFFERED,
        context_url=settings.served_context_url,
        signed_in=signed_in,
    )
    return _respond(request, page.encode("utf-8"), "text/html; charset=utf-8", private=signed_in is not None)


@router.get(
    "/.well-known/void",
    responses=_VOID_RESPONSES,
    response_class=Response,
    summary="The VoID description",
)
async def read_void(request: Request) -> Response:
    """The registry's self-description (as `/` gives programs) at the well-known location of VoID
    (RFC 8615; VoID §7.2), in any of the RDF formats the registry writes."""
    choice = negotiate(request.headers.get("accept"), RDF_OFFERED)
    found = await run_in_threadpool(_overview, request)
    return _rdf(request, choice.media_type, found.public_passports)


@router.get("/docs", include_in_schema=False)
async def read_docs(request: Request) -> Response:
    """Swagger UI for `/openapi.json`, every asset served from this registry."""
    page = get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Battery Passport Registry · API",
        swagger_js_url="/docs/assets/swagger-ui-bundle.js",
        swagger_css_url="/docs/assets/swagger-ui.css",
        swagger_favicon_url="/docs/assets/favicon-32x32.png",
        oauth2_redirect_url="/docs/oauth2-redirect",
        # No badge from Swagger's online validator: the page loads nothing from elsewhere.
        swagger_ui_parameters={"validatorUrl": None},
    )
    return Response(page.body, media_type="text/html; charset=utf-8", headers={"Cache-Control": "no-cache"})


@router.get("/docs/oauth2-redirect", include_in_schema=False)
async def read_docs_oauth2_redirect() -> Response:
    """Swagger UI's OAuth2 redirect page (kept for its "Authorize" flows)."""
    page = get_swagger_ui_oauth2_redirect_html()
    return Response(page.body, media_type="text/html; charset=utf-8")


@router.get("/docs/assets/{name}", include_in_schema=False)
def read_docs_asset(name: str, request: Request) -> Response:
    """One of Swagger UI's files, as the installed `swagger-ui-bundle-v2` package carries it."""
    if name not in DOCS_ASSETS:
        raise NotFound(f"/docs has no asset {name!r}.")
    body = (swagger_ui_bundle.swagger_ui_path / name).read_bytes()
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if media_type.startswith(("text/", "application/javascript")):
        media_type += "; charset=utf-8"
    validators = Validators(etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    headers = {**validators.headers(), "Cache-Control": "public, max-age=86400"}
    if evaluate(request.headers, validators):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)
