"""Cross-origin resource sharing (the Fetch standard's CORS protocol) for the whole API.

The registry authenticates with explicit headers (`Authorization: Bearer`, `X-API-Key`), never with
cookies or other ambient credentials, so a page on another origin can only act as a caller whose token
it already holds. Every response therefore answers `Access-Control-Allow-Origin: *`, and preflights let
through the methods of the resource with the headers clients send (`Authorization` and `X-API-Key`
among them). Credentialed requests (`credentials: "include"`) are another matter: they carry the
browser's own credentials, so they are answered only for origins on an allow-list
(`Settings.cors_credentialed_origins`, empty by default), with the origin named and `Vary: Origin`.
"""

from __future__ import annotations

from collections.abc import Collection

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from passport_registry.api.methods import allowed_methods

#: Request headers a preflight lets through (beyond the CORS-safelisted ones).
ALLOWED_HEADERS = (
    "Accept",
    "Accept-Language",
    "Content-Type",
    "Authorization",
    "X-API-Key",
    "If-Match",
    "If-None-Match",
    "If-Modified-Since",
    "If-Unmodified-Since",
)
#: Response headers a cross-origin script may read (beyond the CORS-safelisted ones).
EXPOSED_HEADERS = (
    "ETag",
    "Link",
    "Location",
    "Last-Modified",
    "Retry-After",
    "WWW-Authenticate",
    "Allow",
    "Accept-Patch",
    "Vary",
)
#: How long a browser may reuse a preflight's answer, in seconds.
PREFLIGHT_MAX_AGE = 600


class Cors:
    """ASGI middleware adding CORS headers to every response and answering preflights (204).

    `credentialed_origins` lists the exact origins (`https://app.example`) whose credentialed requests
    are allowed; when it is non-empty every response varies on `Origin`.
    """

    def __init__(self, app: ASGIApp, credentialed_origins: Collection[str] = ()) -> None:
        self.app = app
        self.credentialed = frozenset(credentialed_origins)
        self.exposed = ", ".join(EXPOSED_HEADERS)

    def _headers(self, origin: str | None) -> list[tuple[str, str]]:
        if origin is not None and origin in self.credentialed:
            return [
                ("Access-Control-Allow-Origin", origin),
                ("Access-Control-Allow-Credentials", "true"),
                ("Access-Control-Expose-Headers", self.exposed),
            ]
        return [("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", self.exposed)]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_headers = Headers(scope=scope)
        origin = request_headers.get("origin")
        if (
            scope["method"] == "OPTIONS"
            and origin is not None
            and "access-control-request-method" in request_headers
        ):
            await self._preflight(scope, receive, send, origin)
            return
        added = self._headers(origin)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in added:
                    headers[name] = value
                if self.credentialed:
                    headers.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, scope: Scope, receive: Receive, send: Send, origin: str) -> None:
        methods = allowed_methods(scope["app"].routes, scope)
        if not methods:
            await self.app(scope, receive, send)  # no such resource: 404, and the preflight fails
            return
        headers = [
            *self._headers(origin),
            ("Access-Control-Allow-Methods", ", ".join(methods)),
            ("Access-Control-Allow-Headers", ", ".join(ALLOWED_HEADERS)),
            ("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE)),
            ("Allow", ", ".join(methods)),
        ]
        if self.credentialed:
            headers.append(("Vary", "Origin"))
        raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        await send({"type": "http.response.start", "status": 204, "headers": raw})
        await send({"type": "http.response.body", "body": b""})
