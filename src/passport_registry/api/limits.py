"""Limits on the request head that hold for every route: a request target longer than `MAX_URL_BYTES` is
414 problem details before any routing, parameter parsing or authentication happens (on the EN 18222
paths, whose statuses follow the reference, a 400 `Result`: docs/dpp.md)."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Receive, Scope, Send

from passport_registry.api.dpp_results import is_dpp_path, result_body
from passport_registry.errors import UriTooLong

#: The longest request target (path and query, as sent) answered normally. Every route's parameters fit
#: in far less; HTTP servers in front of the registry commonly allow 8 KiB for the whole request line.
#: (uvicorn refuses request heads over 16 KiB itself, with a plain-text 400, before the app sees them.)
MAX_URL_BYTES = 8192


class UrlLimit:
    """ASGI middleware: a request whose path and query string together pass `MAX_URL_BYTES` bytes gets
    414 (RFC 9110 section 15.5.15) as RFC 9457 problem details; every other request passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
            if size > MAX_URL_BYTES:
                await _refuse(size, send, dpp=is_dpp_path(scope["path"]))
                return
        await self.app(scope, receive, send)


async def _refuse(size: int, send: Send, *, dpp: bool) -> None:
    error = UriTooLong(
        f"The request target has {size} bytes; at most {MAX_URL_BYTES} are accepted. "
        "Send long input in a request body (SPARQL: POST /sparql).",
        max_bytes=MAX_URL_BYTES,
    )
    if dpp:  # the reference documents no 414; its statuses for a request it cannot take are 400
        status, media_type = 400, b"application/json"
        body = json.dumps(result_body(400, [(error.slug, error.detail)])).encode()
    else:
        status, media_type = error.status, b"application/problem+json"
        body = json.dumps(error.problem()).encode()
    headers = [(b"content-type", media_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
