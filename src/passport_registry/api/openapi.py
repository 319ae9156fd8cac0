"""The published OpenAPI document, made to say what the server does.

FastAPI derives the document from the routes, but cannot know what the app's own machinery adds: every
error is RFC 9457 `application/problem+json` (never FastAPI's `{"detail": [...]}`), every route checks a
credential that is sent (401), dependencies answer their own statuses (415, 413, 428, ...), and routes
that read headers themselves document them by hand. `openapi_document` corrects the generated document
once, from the routes' dependencies, so no route repeats the generic part; routes still document what
only they know (404, 409, 410, ...). Request examples are real passports (`examples.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from passport_registry.api import deps, dpp_schemas
from passport_registry.api.bodies import SmallBodyRoute, read_body
from passport_registry.api.examples import request_examples
from passport_registry.api.representations import write_precondition
from passport_registry.errors import PROBLEM_BASE

PROBLEM_JSON = "application/problem+json"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
INVALID_REF = {"$ref": "#/components/schemas/InvalidRequestProblem"}

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details. Further members (extensions) depend on `type`.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri", "example": PROBLEM_BASE + "not-found"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
    },
    "additionalProperties": True,
}
INVALID_SCHEMA: dict[str, Any] = {
    "title": "InvalidRequestProblem",
    "description": "RFC 9457 problem details of a 422: `errors` lists what in the request does not match "
    "this document (location, message, type); `violations` lists where a passport does not conform to "
    "the SHACL shapes (focusNode, path, message, severity, sourceShape, ...).",
    "allOf": [
        PROBLEM_REF,
        {
            "type": "object",
            "properties": {
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "location": {"type": "array", "items": {"type": ["string", "integer"]}},
                            "message": {"type": "string"},
                            "type": {"type": "string"},
                        },
                    },
                },
                "violations": {"type": "array", "items": {"type": "object"}},
            },
        },
    ],
}

#: Statuses the app's machinery answers, and when: (status, description, applies to the operation?).
_Rule = Callable[["Operation"], bool]
_GENERIC: list[tuple[int, str, _Rule]] = [
    (400, "The request cannot be read: a malformed body, cursor or filter.", lambda op: op.has_body),
    (
        401,
        "No valid credentials: this needs a signed-in caller.",
        lambda op: op.needs_credentials,
    ),
    (
        401,
        "Credentials were sent but are not valid (anonymous callers send none).",
        lambda op: not op.needs_credentials,
    ),
    (403, "Signed in, but not allowed.", lambda op: op.checks_role),
    (406, "None of the offered media types matches Accept; `offered` lists them.", lambda op: op.negotiates),
    (
        412,
        "A precondition failed: If-Match names another version, or If-None-Match matches.",
        lambda op: op.writes,
    ),
    (
        408,
        "The body did not arrive within the configured time (`body_timeout_s`); the connection is closed.",
        lambda op: op.limits_body,
    ),
    (413, "The body is larger than the configured limit.", lambda op: op.limits_body),
    (414, "The request target (path and query) is longer than 8 KiB.", lambda op: op.has_input),
    (
        415,
        "The Content-Type is not accepted here (`accepted` lists those that are), or the body has a "
        "Content-Encoding (send it uncompressed).",
        lambda op: op.has_body,
    ),
    (422, "The request does not match this document; see `errors`.", lambda op: op.has_input),
    (428, "If-Match is missing: a write names the version it changes.", lambda op: op.writes),
]


class Operation:
    """One operation of the document with the route that serves it."""

    def __init__(self, route: APIRoute, document: dict[str, Any]) -> None:
        self.route = route
        self.document = document
        self.calls = set(_calls(route.dependant))

    @property
    def needs_credentials(self) -> bool:
        return deps.current_principal in self.calls

    @property
    def checks_role(self) -> bool:
        # `require_role` makes a new `check_role` per role set: known by name, not identity.
        return any(getattr(call, "__name__", "") == "check_role" for call in self.calls)

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.document

    @property
    def has_input(self) -> bool:
        return self.has_body or bool(self.document.get("parameters"))

    @property
    def limits_body(self) -> bool:
        return self.has_body and (isinstance(self.route, SmallBodyRoute) or read_body in self.calls)

    @property
    def writes(self) -> bool:
        return write_precondition in self.calls

    @property
    def negotiates(self) -> bool:
        return any(
            code.startswith("2") and len(response.get("content", {})) > 1
            for code, response in self.document["responses"].items()
        )


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _operations(app: FastAPI, document: dict[str, Any]) -> Iterator[Operation]:
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        item = document["paths"].get(getattr(context, "path_format", route.path_format), {})
        for method in route.methods or ():
            if method.lower() in item:
                yield Operation(route, item[method.lower()])


def _document_statuses(operation: Operation) -> None:
    responses = operation.document["responses"]
    for status, description, applies in _GENERIC:
        if applies(operation) and str(status) not in responses:
            responses[str(status)] = {"description": description}
    for code, response in responses.items():
        if code[0] in "45":
            response["content"] = {PROBLEM_JSON: {"schema": INVALID_REF if code == "422" else PROBLEM_REF}}
            response["description"] = response.get("description", "").replace("Validation Error", "")
            if not response["description"]:
                response["description"] = "The request does not match this document; see `errors`."


def _document_security(operation: Operation) -> None:
    schemes: list[dict[str, list[str]]] = [{"AccessToken": []}, {"ApiKey": []}]
    operation.document["security"] = schemes if operation.needs_credentials else [*schemes, {}]


def _document_headers(operation: Operation) -> None:
    """Header parameters named as HTTP spells them; `Accept` with the offered media types as examples."""
    parameters = operation.document.get("parameters", [])
    offered = [
        media_type
        for code, response in operation.document["responses"].items()
        if code.startswith("2")
        for media_type in response.get("content", {})
    ]
    for parameter in parameters:
        if parameter["in"] != "header":
            continue
        parameter["name"] = "-".join(part.capitalize() for part in parameter["name"].split("-"))
        if parameter["name"] == "Accept" and offered:
            parameter["schema"] = {"type": "string"}
            parameter["description"] = (
                "The media types the client prefers (RFC 9110 content negotiation, q-values allowed). "
                f"Offered: {', '.join(offered)}. None of them acceptable: 406."
            )
            parameter["examples"] = {media_type: {"value": media_type} for media_type in offered}
    if "304" in operation.document["responses"]:
        named = {p["name"].lower() for p in parameters if p["in"] == "header"}
        for name, description in _CONDITIONAL_HEADERS:
            if name.lower() not in named:
                parameters.append(
                    {
                        "in": "header",
                        "name": name,
                        "required": False,
                        "description": description,
                        "schema": {"type": "string"},
                    }
                )
        operation.document["parameters"] = parameters


_CONDITIONAL_HEADERS = [
    ("If-None-Match", "ETags the client holds; a match answers 304 Not Modified."),
    ("If-Modified-Since", "An HTTP-date; unchanged since then answers 304 (ignored with If-None-Match)."),
    ("If-Match", "ETags of the representation the client expects; none matching answers 412."),
    ("If-Unmodified-Since", "An HTTP-date; changed since then answers 412 (ignored with If-Match)."),
]


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with errors, statuses, security, headers and examples as served."""
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["InvalidRequestProblem"] = INVALID_SCHEMA
    dpp_schemas.install(document)
    for operation in _operations(app, document):
        # EN 18222 routes (`api/dpp.py`) answer `Result` bodies with the statuses they document.
        if getattr(operation.route, "error_format", "problem") == "problem":
            _document_statuses(operation)
        _document_security(operation)
        _document_headers(operation)
    request_examples(document)
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve `openapi_document(app)` at `/openapi.json`, built on first request and kept."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = openapi_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
