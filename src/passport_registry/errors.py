"""The error tree: every error the registry raises knows its HTTP status, title and problem type.

    RegistryError
    ├── ConfigurationError         the service cannot start as configured (500, never sent to clients)
    ├── BadRequest                 400: the request cannot be read at all
    │   └── UnparseableInput       body is not valid in its declared format
    ├── Unauthenticated            401: no valid credentials
    ├── Forbidden                  403: authenticated, but not allowed
    ├── NotFound                   404
    ├── NotAcceptable              406: no offered representation matches Accept
    ├── RequestTimeout             408: the request body did not arrive in time
    ├── Conflict                   409
    ├── Gone                       410: the resource existed and was ended
    ├── PreconditionFailed         412: If-Match does not match
    ├── PayloadTooLarge            413
    ├── UriTooLong                 414: the request target (path and query) is too long
    ├── UnsupportedMediaType       415 (a Content-Type, or a Content-Encoding, the route does not take)
    ├── ShapeViolation             422: the data does not conform to the shapes; carries each violation
    ├── UnprocessableInput         422: well-formed but semantically unusable input
    ├── ResultTooLarge             422: a query's result passed the size limit
    ├── QueryTooComplex            422: a query nests deeper than the engine may safely evaluate
    ├── PreconditionRequired       428: a write without If-Match
    ├── TooManyRequests            429
    ├── QueryTimeout               503: a query ran past its limit and was stopped
    ├── QueryAborted               503: the process evaluating a query died; a fresh one replaces it
    ├── SandboxUnavailable         503: queries cannot be kept off the network here, so none run
    ├── AccountsUnavailable        503: the account database did not answer
    └── StoreUnavailable           503: the SPARQL server behind a remote store did not answer

`api/` turns each into an RFC 9457 problem document; code below `api/` raises only these.
"""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_BASE = "https://w3id.org/passport-registry/problems/"


class RegistryError(Exception):
    """Base of every error the registry raises on purpose."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "Internal error"
    slug: ClassVar[str] = "internal-error"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.slug

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 problem document for this error."""
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance is not None:
            body["instance"] = instance
        body.update(self.extensions)
        return body


class ConfigurationError(RegistryError):
    title = "Configuration error"
    slug = "configuration-error"


class BadRequest(RegistryError):
    status = 400
    title = "Bad request"
    slug = "bad-request"


class UnparseableInput(BadRequest):
    title = "Input cannot be parsed"
    slug = "unparseable-input"


class Unauthenticated(RegistryError):
    status = 401
    title = "Authentication required"
    slug = "unauthenticated"


class Forbidden(RegistryError):
    status = 403
    title = "Forbidden"
    slug = "forbidden"


class NotFound(RegistryError):
    status = 404
    title = "Not found"
    slug = "not-found"


class NotAcceptable(RegistryError):
    status = 406
    title = "Not acceptable"
    slug = "not-acceptable"


class RequestTimeout(RegistryError):
    """The client took longer than allowed to send its request body; the connection is closed."""

    status = 408
    title = "Request timeout"
    slug = "request-timeout"


class Conflict(RegistryError):
    status = 409
    title = "Conflict"
    slug = "conflict"


class Gone(RegistryError):
    status = 410
    title = "Gone"
    slug = "gone"


class PreconditionFailed(RegistryError):
    status = 412
    title = "Precondition failed"
    slug = "precondition-failed"


class PayloadTooLarge(RegistryError):
    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class UriTooLong(RegistryError):
    status = 414
    title = "URI too long"
    slug = "uri-too-long"


class UnsupportedMediaType(RegistryError):
    status = 415
    title = "Unsupported media type"
    slug = "unsupported-media-type"


class ShapeViolation(RegistryError):
    """The data does not conform; `violations` lists focus node, path, message, severity and shape."""

    status = 422
    title = "Passport does not conform to the shapes"
    slug = "shape-violation"


class UnprocessableInput(RegistryError):
    status = 422
    title = "Unprocessable input"
    slug = "unprocessable-input"


class PreconditionRequired(RegistryError):
    status = 428
    title = "Precondition required"
    slug = "precondition-required"


class TooManyRequests(RegistryError):
    status = 429
    title = "Too many requests"
    slug = "too-many-requests"


class QueryTimeout(RegistryError):
    status = 503
    title = "Query stopped at its time limit"
    slug = "query-timeout"


class ResultTooLarge(RegistryError):
    """A query's result passed the configured size limit; nothing of it is sent (never a truncated 200)."""

    status = 422
    title = "Query result too large"
    slug = "result-too-large"


class AccountsUnavailable(RegistryError):
    """The account database (PostgreSQL) could not be reached or did not answer in time; nothing changed."""

    status = 503
    title = "Account database unavailable"
    slug = "accounts-unavailable"


class StoreUnavailable(RegistryError):
    """The SPARQL server behind a remote store did not answer (down, unreachable, or an incomplete answer)."""

    status = 503
    title = "Storage unavailable"
    slug = "store-unavailable"


class QueryTooComplex(RegistryError):
    """A query nests deeper, or builds a deeper evaluation tree, than the engine may safely evaluate."""

    status = 422
    title = "Query too complex"
    slug = "query-too-complex"


class QueryAborted(RegistryError):
    """The process evaluating a query died (the engine crashed); a fresh one is started for the next."""

    status = 503
    title = "Query aborted"
    slug = "query-aborted"


class SandboxUnavailable(RegistryError):
    """SPARQL queries cannot be confined (kept off the network) on this platform, so none are run."""

    status = 503
    title = "SPARQL unavailable"
    slug = "sparql-unavailable"
