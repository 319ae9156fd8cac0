"""Request bodies: the media types a route accepts (415 otherwise), a size limit (413 otherwise) and a time
limit (408 otherwise)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from email.message import Message
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from passport_registry.errors import PayloadTooLarge, RequestTimeout, UnsupportedMediaType

#: The largest body an account route reads (forms and small JSON documents).
SMALL_BODY_BYTES = 16 * 1024


class SmallBodyRoute(APIRoute):
    """A route that refuses bodies over `SMALL_BODY_BYTES` with 413 problem details, before parsing them.

    Reads at most one chunk past the limit, whether or not the client declared a Content-Length.
    Use it as `APIRouter(route_class=SmallBodyRoute)`.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded_handler(request: Request) -> Response:
            # Starlette's documented way to hand a body already read to the rest of the handler.
            request._body = await read_bounded(request, SMALL_BODY_BYTES)
            return await handler(request)

        return bounded_handler


async def read_bounded(request: Request, limit: int) -> bytes:
    """The request body, or PayloadTooLarge (413) once it passes `limit` bytes: refused at once when
    Content-Length declares more, else after reading at most one chunk past the limit.

    Also refuses, before reading anything, a body with a Content-Encoding (415: nothing is ever
    inflated, so no compressed bomb can grow in memory), and a body that has not arrived within the
    configured `body_timeout_s` (408, and the connection is closed: a client that trickles bytes in
    cannot hold a server task for ever).
    """
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        raise UnsupportedMediaType(
            f"Content-Encoding {encoding!r} is not accepted: send the body uncompressed.",
            accepted_encodings=["identity"],
            headers={"Accept-Encoding": "identity"},  # RFC 9110 section 12.5.3
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The body may have at most {limit} bytes.", max_bytes=limit)
    timeout = request.app.state.settings.body_timeout_s
    body = bytearray()
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                body += chunk
                if len(body) > limit:
                    raise PayloadTooLarge(f"The body may have at most {limit} bytes.", max_bytes=limit)
    except TimeoutError:
        raise RequestTimeout(
            f"The request body did not arrive within {timeout:g} s.",
            timeout_s=timeout,
            headers={"Connection": "close"},
        ) from None
    return bytes(body)


async def read_body(request: Request) -> bytes:
    """A dependency: the request body within the configured `max_request_bytes` (413 beyond)."""
    return await read_bounded(request, request.app.state.settings.max_request_bytes)


def media_type_of(request: Request) -> str | None:
    """The request's media type without parameters, lower case; None when there is no Content-Type."""
    header = request.headers.get("content-type")
    if not header:
        return None
    message = Message()
    message["content-type"] = header
    return message.get_content_type().lower()


def require_media_type(*accepted: str) -> Callable[[Request], None]:
    """A dependency that refuses a request whose Content-Type is not one of `accepted` with 415.

    Use it in a route's `dependencies=[Depends(...)]`; it runs before the body is validated, so the
    caller gets 415 rather than a list of missing fields.
    """

    def check_media_type(request: Request) -> None:
        media_type = media_type_of(request)
        if media_type not in accepted:
            raise UnsupportedMediaType(
                f"This endpoint accepts {', '.join(accepted)}; got {media_type or 'no Content-Type'}.",
                accepted=list(accepted),
            )

    return check_media_type
