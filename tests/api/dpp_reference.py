"""The EN 18222 Life Cycle API as the public material describes it, written down in our own words.

Sources read (never copied): the OpenAPI of Eclipse BaSyx Go's `dppapiservice`
(github.com/eclipse-basyx/basyx-go-components, `cmd/dppapiservice/openapi.yaml`, commit 024206c5), which says
it follows the IDTA-01001/01002 v3.2 DPP annexes and the CEN/CENELEC JTC 24 drafts of EN 18222. The IDTA
annex itself was not found in the material we could reach; EN 18222 is paywalled.

That reference serves the paths under a `/v1` prefix of its server URL; we serve them at the root, as
the EN 18222 method names map them (docs/dpp.md), so the paths below are written without it.

Each operation: (method, path) -> name, its parameters as (location, name, required), and the statuses it
documents. Every error status carries an EN 18222 `Result` body.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReferenceOperation:
    method: str
    path: str
    operation_id: str
    parameters: frozenset[tuple[str, str, bool]]
    statuses: frozenset[int]
    request_media_type: str | None = None


_DPP_ID = ("path", "dppId", True)
_REPRESENTATION = ("query", "representation", False)
_ELEMENT_PATH = ("path", "elementIdPath", True)
#: Statuses every operation documents besides its success: bad request, unauthenticated, forbidden, and an
#: internal error; a resource addressed by id adds 404, a write that may collide with state adds 409.
_COMMON = frozenset({400, 401, 403, 500})

OPERATIONS: tuple[ReferenceOperation, ...] = (
    # Create a passport from a compressed document; answers the new passport's identifier.
    ReferenceOperation(
        "POST", "/dpps", "createDPP", frozenset({_REPRESENTATION}), _COMMON | {201, 409}, "application/json"
    ),
    # Read one passport by its identifier, compressed unless `full` is asked for.
    ReferenceOperation(
        "GET", "/dpps/{dppId}", "readDPPById", frozenset({_DPP_ID, _REPRESENTATION}), _COMMON | {200, 404}
    ),
    # Change a passport with a JSON merge patch of its compressed document; a new version is archived.
    ReferenceOperation(
        "PATCH",
        "/dpps/{dppId}",
        "updateDPPById",
        frozenset({_DPP_ID, _REPRESENTATION}),
        _COMMON | {200, 404, 409},
        "application/merge-patch+json",
    ),
    # Remove a passport where the law allows it; 409 where it does not.
    ReferenceOperation(
        "DELETE", "/dpps/{dppId}", "deleteDPPById", frozenset({_DPP_ID}), _COMMON | {204, 404, 409}
    ),
    # Find the passport of a product by the product's identifier.
    ReferenceOperation(
        "GET",
        "/dppsByProductId/{productId}",
        "readDPPByProductId",
        frozenset({("path", "productId", True), _REPRESENTATION}),
        _COMMON | {200, 404},
    ),
    # The version of a passport that was current at an instant (`date`, required, a date-time).
    ReferenceOperation(
        "GET",
        "/dppsByIdAndDate/{dppId}",
        "readDPPVersionByIdAndDate",
        frozenset({_DPP_ID, ("query", "date", True), _REPRESENTATION}),
        _COMMON | {200, 404},
    ),
    # Many product identifiers (a JSON body) to passport identifiers, a page at a time.
    ReferenceOperation(
        "POST",
        "/dppsByProductIds",
        "readDPPIdsByProductIds",
        frozenset({("query", "limit", False), ("query", "cursor", False)}),
        _COMMON | {200},
        "application/json",
    ),
    # One element of the compressed document, addressed by an RFC 9535 normalized path.
    ReferenceOperation(
        "GET",
        "/dpps/{dppId}/elements/{elementIdPath}",
        "readDataElement",
        frozenset({_DPP_ID, _ELEMENT_PATH, _REPRESENTATION}),
        _COMMON | {200, 404},
    ),
    # Replace the value of one element (its compressed JSON value is the body).
    ReferenceOperation(
        "PATCH",
        "/dpps/{dppId}/elements/{elementIdPath}",
        "updateDataElement",
        frozenset({_DPP_ID, _ELEMENT_PATH, _REPRESENTATION}),
        _COMMON | {200, 404, 409},
        "application/json",
    ),
)

#: The fields of the passport header (EN 18223) a compressed document carries; the first seven are required.
HEADER_FIELDS = (
    "digitalProductPassportId",
    "uniqueProductIdentifier",
    "granularity",
    "dppSchemaVersion",
    "dppStatus",
    "lastUpdate",
    "economicOperatorId",
    "facilityId",
    "contentSpecificationIds",
)
REQUIRED_HEADER_FIELDS = frozenset(
    {
        "digitalProductPassportId",
        "uniqueProductIdentifier",
        "granularity",
        "dppSchemaVersion",
        "dppStatus",
        "lastUpdate",
        "economicOperatorId",
    }
)
GRANULARITIES = frozenset({"Item", "Model", "Batch"})
#: A `Result` has one or more messages; each message has these members, all required.
MESSAGE_FIELDS = frozenset({"messageType", "text", "code", "correlationId", "timestamp"})
MESSAGE_TYPES = frozenset({"Undefined", "Info", "Warning", "Error", "Exception"})
#: ReadDPPIdsByProductIds: 1 to 100 product identifiers; `limit` defaults to 100 and is at least 1.
MAX_PRODUCT_IDS = 100
DEFAULT_LIMIT = 100
