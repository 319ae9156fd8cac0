"""Browser sign-in: a form that puts the caller's access token in an HttpOnly, SameSite=Strict cookie, so
passport pages show a signed-in person what its role may read.

The cookie is a credential only where it cannot be abused: pages (`text/html`) read by GET or HEAD.
No API representation, no write and no SPARQL query ever reads it, so a page on another site can make
the browser send it (it cannot: SameSite=Strict) and still do nothing with it; and the forms that set and
clear it refuse requests from another origin (`Origin`, `Sec-Fetch-Site`), so no site signs a visitor
in or out. A cookie that no longer authenticates (expired, password changed) is ignored, not an error:
the page is then what an anonymous caller sees.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from passport_registry.accounts.models import User
from passport_registry.api.bodies import SmallBodyRoute
from passport_registry.api.deps import authenticate, principal_of
from passport_registry.api.pages import Pages
from passport_registry.errors import Forbidden, RegistryError, Unauthenticated
from passport_registry.services.accounts import Accounts

#: Small bodies only (413 past `SMALL_BODY_BYTES`), read before the form is parsed, as `/auth/token`.
router = APIRouter(prefix="/auth", tags=["auth"], route_class=SmallBodyRoute)

COOKIE = "bpr_session"
_HTML = "text/html; charset=utf-8"


def _same_origin(request: Request) -> bool:
    """Whether a form post comes from this registry's own pages (RFC 6454 origins compared)."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        # Browsers send Origin with every form POST; a request without one did not come from a page.
        return origin is None and "sec-fetch-site" not in request.headers
    settings = request.app.state.settings
    own = {_origin_of(settings.base_url), _origin_of(str(request.base_url))}
    return origin.rstrip("/") in own


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


async def page_user(request: Request) -> User | None:
    """The reader of a page: the request's credentials (Bearer token, API key) when it sends any, else
    the session cookie's user on a GET or HEAD; None when neither authenticates."""
    principal = await principal_of(request)
    if principal is not None:
        return principal.user
    token = request.cookies.get(COOKIE)
    if not token or request.method not in ("GET", "HEAD"):
        return None
    accounts: Accounts = request.app.state.accounts
    try:
        found = await run_in_threadpool(authenticate, accounts, f"Bearer {token}", None)
    except Unauthenticated:
        return None
    return None if found is None else found.user


async def signed_in_name(request: Request) -> str | None:
    """How a page names its signed-in reader (email), or None for anonymous readers."""
    user = await page_user(request)
    return None if user is None else user.email


def _local(target: str) -> str:
    """`target` when it is a path on this registry, else `/` (no open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/session", include_in_schema=False)
async def read_sign_in(request: Request, next: str = "/") -> Response:
    """The sign-in form (or, signed in, who you are and a sign-out button)."""
    pages: Pages = request.app.state.pages
    page = pages.render("signin.html", signed_in=await signed_in_name(request), error=None, next=_local(next))
    return Response(page, media_type=_HTML, headers={"Cache-Control": "no-store", "Vary": "Cookie"})


@router.post("/session", include_in_schema=False)
def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the email and password (throttled like `/auth/token`), set the session cookie and go on
    to `next` (a path here). A wrong password shows the form again with the reason."""
    if not _same_origin(request):
        raise Forbidden("Sign in from this registry's own sign-in page.")
    accounts: Accounts = request.app.state.accounts
    client = request.client.host if request.client else None
    try:
        issued = accounts.auth.login(username, password, client)
    except RegistryError as exc:
        pages: Pages = request.app.state.pages
        page = pages.render("signin.html", signed_in=None, error=exc.detail, next=_local(next))
        headers = {"Cache-Control": "no-store", **exc.extensions.get("headers", {})}
        headers.pop("WWW-Authenticate", None)  # a form, not an HTTP authentication scheme
        return Response(page, status_code=exc.status, media_type=_HTML, headers=headers)
    response = RedirectResponse(_local(next), status_code=303, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        COOKIE,
        issued.token,
        max_age=issued.expires_in,
        path="/",
        secure=request.app.state.settings.base_url.startswith("https://"),
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/session/end", include_in_schema=False)
async def sign_out(request: Request) -> Response:
    """Forget the session cookie (the token itself expires on its own) and go to the front door."""
    if not _same_origin(request):
        raise Forbidden("Sign out from this registry's own pages.")
    response = RedirectResponse("/", status_code=303, headers={"Cache-Control": "no-store"})
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
