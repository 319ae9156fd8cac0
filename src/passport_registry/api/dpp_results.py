"""EN 18222 `Result` bodies for the `/dpps...` paths: our statuses mapped to the reference's, the message
list, and the route class that answers every error of a DPP route as a `Result` (`api/dpp.py`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import Scope

from passport_registry.errors import RegistryError, ShapeViolation

log = logging.getLogger(__name__)

#: Our statuses -> the EN 18222 reference's: an ended passport is not found, a stale If-Match is a
#: conflict with the resource's state, and whatever the request's data fails is a bad request.
STATUS_OF = {406: 400, 410: 404, 412: 409, 413: 400, 415: 400, 422: 400, 428: 400}
TEXT_OF = {
    400: "Invalid request.",
    401: "Authentication is required.",
    403: "The authenticated caller may not do this.",
    404: "No such DPP, product or element.",
    409: "Conflicts with the passport's state, or with what the regulation allows.",
    500: "Internal error.",
    501: "The full representation is read-only: write the compressed one.",
}


def result_body(status: int, messages: list[tuple[str, str]]) -> dict[str, Any]:
    """An EN 18222 `Result`: one message per (code, text), sharing a correlation id and timestamp."""
    correlation = str(uuid.uuid4())
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    kind = "Exception" if status >= 500 and status != 501 else "Error"
    return {
        "messages": [
            {
                "messageType": kind,
                "text": text or code,
                "code": code,
                "correlationId": correlation,
                "timestamp": now,
            }
            for code, text in messages
        ]
    }


def _result(exc: Exception) -> JSONResponse:
    headers = None
    if isinstance(exc, RegistryError):
        status = exc.status if exc.status < 500 or exc.status == 501 else 500
        messages = [(exc.slug, exc.detail)]
        if isinstance(exc, ShapeViolation):
            for v in exc.extensions.get("violations", []):
                where = " ".join(str(v.get(k)) for k in ("focusPath", "path") if v.get(k))
                messages.append(("shape-violation", f"{where}: {v.get('message', '')}".strip(": ")))
        headers = exc.extensions.get("headers")
    elif isinstance(exc, RequestValidationError):
        status = 400
        messages = [
            ("invalid-request", f"{'/'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}")
            for e in exc.errors()
        ] or [("invalid-request", TEXT_OF[400])]
    elif isinstance(exc, HTTPException):
        status, headers = exc.status_code, dict(exc.headers or {}) or None
        messages = [("http-error", str(exc.detail))]
    else:
        log.exception("unhandled error on a DPP operation")
        status, messages = 500, [("internal-error", TEXT_OF[500])]
    status = STATUS_OF.get(status, status)
    return JSONResponse(result_body(status, messages), status_code=status, headers=headers)


def is_dpp_path(path: str) -> bool:
    """Whether a request path is one of the EN 18222 paths (whose errors are `Result` bodies)."""
    return (
        path == "/dpps"
        or path.startswith(("/dpps/", "/dppsByProductId/", "/dppsByIdAndDate/"))
        or (path == "/dppsByProductIds")
    )


def http_error_result(status: int, detail: str, headers: dict[str, str] | None) -> JSONResponse:
    """The `Result` of an error the router answers before any DPP route runs (404, 405)."""
    return JSONResponse(
        result_body(status, [(_HTTP_CODES.get(status, "http-error"), detail)]),
        status_code=status,
        headers=headers,
    )


_HTTP_CODES = {404: "not-found", 405: "method-not-allowed"}


class DppRoute(APIRoute):
    """A route answering errors as EN 18222 `Result` bodies; `api/openapi.py` leaves its statuses as
    the route documents them (`error_format`).

    `/dpps/{dppId}` takes no `dppId` holding `/elements/`: that path is a data element's, so its
    methods (`Allow`) are only the element routes' (a DPP id never holds that segment)."""

    error_format = "result"

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        params = child.get("path_params", {}) if match is not Match.NONE else {}
        if "elementIdPath" not in self.param_convertors and "/elements/" in str(params.get("dppId", "")):
            return Match.NONE, {}
        return match, child

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def result_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # every error of these paths takes the EN 18222 shape
                return _result(exc)

        return result_handler
