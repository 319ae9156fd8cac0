"""RFC 9457 problem details for every error, including FastAPI's own 404, 405 and 422."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from passport_registry.api.aas import is_aas_path
from passport_registry.api.dpp_results import http_error_result, is_dpp_path
from passport_registry.api.methods import ASKED, MERGE_PATCH, allowed_methods, method_headers
from passport_registry.errors import PROBLEM_BASE, RegistryError

PROBLEM_JSON = "application/problem+json"

log = logging.getLogger(__name__)


def problem_response(
    status: int,
    title: str,
    detail: str,
    slug: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def instance_of(request: Request) -> str:
    """The problem's `instance`: the request path as a URI reference (percent-encoded, as sent)."""
    return quote(request.url.path, safe="/:@!$&'()*+,;=-._~")


async def _registry_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RegistryError)
    headers = exc.extensions.pop("headers", None)
    if exc.status == 415 and request.method == "PATCH":
        headers = {**(headers or {}), "Accept-Patch": MERGE_PATCH}  # RFC 5789 section 2.2
    body = exc.problem(instance=instance_of(request))
    return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    slug = {404: "not-found", 405: "method-not-allowed", 401: "unauthenticated"}.get(
        exc.status_code, "http-error"
    )
    title = {404: "Not found", 405: "Method not allowed", 401: "Authentication required"}.get(
        exc.status_code, "HTTP error"
    )
    detail = exc.detail if isinstance(exc.detail, str) else title
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        # Starlette names the methods of the one route it tried; a resource may have several routes.
        methods = allowed_methods(request.app.routes, request.scope)
        headers.update(method_headers(methods))
        asked = request.scope.get(ASKED, request.method)
        detail = f"{asked} is not allowed here; this resource allows {', '.join(methods)}."
    if is_dpp_path(request.url.path) or is_aas_path(request.url.path):  # `Result` bodies there
        return http_error_result(exc.status_code, detail, headers or None)
    return problem_response(
        exc.status_code, title, detail, slug, headers=headers or None, instance=instance_of(request)
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"location": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]
    return problem_response(
        422,
        "Invalid request",
        "The request does not match what this endpoint accepts; see `errors`.",
        "invalid-request",
        instance=instance_of(request),
        errors=errors,
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    # Starlette re-raises after this response and uvicorn then drops the connection: say so, so that
    # a keep-alive client does not send its next request into a closed socket (RFC 9112 section 9.6).
    return problem_response(
        500,
        "Internal error",
        "An unexpected error occurred.",
        "internal-error",
        headers={"Connection": "close"},
        instance=instance_of(request),
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error through one RFC 9457 shape."""
    app.add_exception_handler(RegistryError, _registry_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
