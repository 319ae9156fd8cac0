"""Method semantics for every route at once (RFC 9110 section 9.3): HEAD is GET without the body, OPTIONS
answers with the resource's methods, and `Allow` always lists every method of the resource.

Routers declare GET, POST, PUT, PATCH and DELETE only; `MethodSemantics` derives HEAD and OPTIONS from
them, so no route needs its own copy.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The order methods are listed in `Allow`.
_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
#: Scope key of the method the client sent, where it differs from the one the app routes by (HEAD).
ASKED = "passport_registry.method"
#: The methods routes declare (HEAD and OPTIONS are derived here).
_ROUTED = ("GET", "POST", "PUT", "PATCH", "DELETE")
MERGE_PATCH = "application/merge-patch+json"


def allowed_methods(routes: Iterable[BaseRoute], scope: Scope) -> list[str]:
    """Every method the resource at `scope`'s path answers, in a fixed order; empty for no resource.

    Asks each route (through Starlette's public `matches`) whether it fully matches the path with each
    method, so routers included into others count too. HEAD is allowed wherever GET is, and OPTIONS
    on every resource.
    """
    routes = list(routes)
    methods = [
        method
        for method in _ROUTED
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    if not methods:
        return []
    if "GET" in methods:
        methods.append("HEAD")
    methods.append("OPTIONS")
    return sorted(methods, key=_ORDER.index)


def method_headers(methods: list[str]) -> dict[str, str]:
    """`Allow`, and `Accept-Patch` (RFC 5789 section 3.1) where PATCH is among `methods`."""
    headers = {"Allow": ", ".join(methods)}
    if "PATCH" in methods:
        headers["Accept-Patch"] = MERGE_PATCH
    return headers


class MethodSemantics:
    """ASGI middleware: HEAD runs the GET route and drops the body (status and headers, Content-Length
    included, are the GET's); OPTIONS answers 204 with `Allow` (and `Accept-Patch`) for any resource
    the app has, 404 otherwise. Every other request passes through untouched.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "HEAD":
            await self.app({**scope, "method": "GET", ASKED: method}, receive, _without_body(send))
        elif method == "OPTIONS" and scope["path"] != "*":
            methods = allowed_methods(scope["app"].routes, scope)
            if not methods:
                await self.app(scope, receive, send)
                return
            headers = [(k.lower().encode(), v.encode()) for k, v in method_headers(methods).items()]
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
        else:
            await self.app(scope, receive, send)


def _without_body(send: Send) -> Send:
    """`send` that passes the response start on and replaces the body with one empty final message."""

    async def send_head(message: Message) -> None:
        if message["type"] != "http.response.body":
            await send(message)
        elif not message.get("more_body", False):
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    return send_head
