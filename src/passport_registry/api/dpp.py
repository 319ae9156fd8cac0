"""The EN 18222 Life Cycle API (`/dpps...`) over our passports: every route calls `DppService`, which calls
`PassportService`, so accounts, ownership, access views, validation and history are the ones of
`/passports`.

Errors on these paths are EN 18222 `Result` bodies (`{"messages": [...]}`), with the statuses the public
references name: what `/passports` answers 410, 412 or 422 is 404, 409 or 400 here (`STATUS_OF`,
`api/dpp_results.py`). The rest of the registry keeps RFC 9457 problem details. docs/dpp.md says what
we built from.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from passport_registry.api.bodies import media_type_of, read_body
from passport_registry.api.deps import CREDENTIALS_CHECKED, CurrentUser, OptionalUser
from passport_registry.api.dpp_results import TEXT_OF, DppRoute
from passport_registry.api.dpp_schemas import ref
from passport_registry.api.representations import etag, expected_version
from passport_registry.api.timestamps import Instant
from passport_registry.errors import BadRequest, RegistryError, UnparseableInput, UnsupportedMediaType
from passport_registry.services.dpp import DppService
from passport_registry.services.passports import View

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"

router = APIRouter(tags=["DPP Life Cycle (EN 18222)"], dependencies=CREDENTIALS_CHECKED, route_class=DppRoute)


async def get_dpp(request: Request) -> DppService:
    """The DPP service opened by the app's lifespan."""
    service: DppService = request.app.state.dpp
    return service


Dpps = Annotated[DppService, Depends(get_dpp)]
Body = Annotated[bytes, Depends(read_body)]
DppId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=2000,
        description="The DPP identifier, percent-encoded: the passport "
        "identifier (digitalProductPassportId), the registry IRI or the registry id.",
    ),
]
RepresentationQuery = Annotated[
    Literal["compressed", "full"],
    Query(description="compressed (the default) or full (`elements`, read-only)."),
]
ElementPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=4000,
        description="An RFC 9535 normalized path into the compressed document, percent-encoded once.",
        examples=[
            "$['https://w3id.org/passport-registry/battery/dpp/carbon-footprint']['batteryCarbonFootprint']"
        ],
    ),
]


def _responses(
    success: int, description: str, schema: dict[str, Any] | None, *errors: int
) -> dict[int | str, Any]:
    found: dict[int | str, Any] = {success: {"description": description}}
    if schema is not None:
        found[success]["content"] = {JSON: {"schema": schema}}
    for status in (400, 401, 403, *errors, 500):
        found[status] = {"description": TEXT_OF[status], "content": {JSON: {"schema": ref("Result")}}}
    return found


def _json_body(schema_name: str, media_type: str = JSON) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {media_type: {"schema": ref(schema_name)}}}}


_IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": "Optional: the ETag of the version the change is meant for (from a /dpps or /passports "
    "read); when the passport changed since, the answer is 409 and nothing is written.",
    "schema": {"type": "string"},
}


def _json(request_body: bytes, request: Request, *accepted: str) -> Any:
    media_type = media_type_of(request)
    if media_type not in accepted:
        raise UnsupportedMediaType(f"Send {' or '.join(accepted)}; got {media_type or 'no Content-Type'}.")
    try:
        return json.loads(request_body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise UnparseableInput(f"The body is not JSON: {exc}") from None


def _compressed_only(representation: str) -> None:
    if representation == "full":
        raise _NotImplemented()


class _NotImplemented(RegistryError):
    status = 501
    title = "Not implemented"
    slug = "full-representation-read-only"

    def __init__(self) -> None:
        super().__init__(TEXT_OF[501])


def _document(view: View, body: Any, dpps: DppService, representation: str, status: int = 200) -> Response:
    passports = dpps.passports
    record = view.snapshot.record
    tag = etag(
        passports.id_of(view.iri),
        view.snapshot.version,
        view.groups,
        JSON,
        "dpp-" + representation,
        record.link_revision,
    )
    # What a caller sees depends on its credentials: caches revalidate and keep the views apart.
    headers = {"ETag": tag, "Cache-Control": "no-cache", "Vary": "Authorization, X-API-Key"}
    return Response(json.dumps(body).encode("utf-8"), status_code=status, media_type=JSON, headers=headers)


def _expected(request: Request, dpps: DppService, dpp_id: str) -> int | None:
    if_match = request.headers.get("if-match")
    if if_match is None:
        return None
    return expected_version(if_match, dpps.passport_id(dpp_id))


_ELEMENTS_PATH = "/dpps/{dppId:path}/elements/{elementIdPath:path}"


@router.get(
    _ELEMENTS_PATH,
    operation_id="readDataElement",
    tags=["DPP Fine Granular (EN 18222)"],
    responses=_responses(
        200,
        "The element: its compressed value, or its DataElement (full).",
        {"anyOf": [ref("CompressedDataElementValue"), ref("DataElement")]},
        404,
    ),
)
def read_data_element(
    dppId: DppId,
    elementIdPath: ElementPath,
    user: OptionalUser,
    dpps: Dpps,
    representation: RepresentationQuery = "compressed",
) -> Response:
    """ReadDataElement: one element of the DPP as the caller may see it, addressed by an RFC 9535
    normalized path into the compressed document (404 when the caller's view has no such element)."""
    view, value = dpps.read_element(dppId, elementIdPath, user, representation)
    return _document(view, value, dpps, representation)


@router.patch(
    _ELEMENTS_PATH,
    operation_id="updateDataElement",
    tags=["DPP Fine Granular (EN 18222)"],
    responses=_responses(
        200, "The element's stored value.", ref("CompressedDataElementValue"), 404, 409, 501
    ),
    openapi_extra=_json_body("CompressedDataElementValue") | {"parameters": [_IF_MATCH]},
)
def update_data_element(
    dppId: DppId,
    elementIdPath: ElementPath,
    request: Request,
    user: CurrentUser,
    dpps: Dpps,
    body: Body,
    representation: RepresentationQuery = "compressed",
) -> Response:
    """UpdateDataElement: set one element to the JSON value sent (null removes an object member); the
    passport is validated and stored as a new version, `lastUpdate` set to now (owner only)."""
    _compressed_only(representation)
    value = _json(body, request, JSON, MERGE_PATCH)
    view, stored = dpps.update_element(dppId, elementIdPath, user, value, _expected(request, dpps, dppId))
    return _document(view, stored, dpps, representation)


@router.post(
    "/dpps",
    operation_id="createDPP",
    status_code=201,
    responses=_responses(201, "Created; Location names the DPP.", ref("CreateDPPResponse"), 409, 501),
    openapi_extra=_json_body("DigitalProductPassport"),
)
def create_dpp(
    request: Request,
    user: CurrentUser,
    dpps: Dpps,
    body: Body,
    representation: RepresentationQuery = "compressed",
) -> Response:
    """CreateDPP: a passport from a compressed DPP document (economic operators, in their own name).
    Validated like `POST /passports`; 409 when the passport identifier or the battery already has a
    live passport."""
    _compressed_only(representation)
    _, dpp_id = dpps.create(user, _json(body, request, JSON))
    headers = {"Location": "/dpps/" + quote(dpp_id, safe="")}
    content = json.dumps({"digitalProductPassportId": dpp_id}).encode("utf-8")
    return Response(content, status_code=201, media_type=JSON, headers=headers)


@router.post(
    "/dppsByProductIds",
    operation_id="readDPPIdsByProductIds",
    responses=_responses(
        200, "The DPP identifiers of the products that have a live passport.", ref("DPPIdSearchResult")
    ),
    openapi_extra=_json_body("ReadDPPIdsByProductIdsRequest"),
)
def read_dpp_ids_by_product_ids(
    request: Request,
    dpps: Dpps,
    body: Body,
    limit: Annotated[int, Query(ge=1, le=10000, description="At most this many identifiers.")] = 100,
    cursor: Annotated[str | None, Query(max_length=64, description="`cursor` of the last answer.")] = None,
) -> Response:
    """ReadDPPIdsByProductIds: the DPP identifiers of the live passports of up to 100 products, in the
    order asked (products without one are left out). Send `cursor` back, with the same body, for more."""
    found = _json(body, request, JSON)
    ids = found.get("productIds") if isinstance(found, dict) else None
    if (
        not isinstance(found, dict)
        or set(found) != {"productIds"}
        or not isinstance(ids, list)
        or not 1 <= len(ids) <= 100
        or not all(isinstance(i, str) and 0 < len(i) <= 2000 for i in ids)
    ):
        raise BadRequest('Send {"productIds": [...]}: 1 to 100 product identifiers.')
    page = dpps.ids_by_product_ids(ids, limit, cursor)
    answer: dict[str, Any] = {"items": page.items}
    if page.cursor is not None:
        answer["cursor"] = page.cursor
    return Response(json.dumps(answer).encode("utf-8"), media_type=JSON)


@router.get(
    "/dppsByProductId/{productId:path}",
    operation_id="readDPPByProductId",
    responses=_responses(
        200, "The DPP of the product, as the caller may see it.", ref("DigitalProductPassport"), 404
    ),
)
def read_dpp_by_product_id(
    productId: Annotated[
        str, Path(min_length=1, max_length=2000, description="The battery identifier, percent-encoded.")
    ],
    user: OptionalUser,
    dpps: Dpps,
    representation: RepresentationQuery = "compressed",
) -> Response:
    """ReadDPPByProductId: the live passport of a battery, by its identifier (`uniqueProductIdentifier`)."""
    view, document = dpps.read_by_product(productId, user, representation)
    return _document(view, document, dpps, representation)


@router.get(
    "/dppsByIdAndDate/{dppId:path}",
    operation_id="readDPPVersionByIdAndDate",
    responses=_responses(
        200, "The version current at `date`, as the caller may see it.", ref("DigitalProductPassport"), 404
    ),
)
def read_dpp_version_by_id_and_date(
    dppId: DppId,
    user: OptionalUser,
    dpps: Dpps,
    date: Annotated[Instant, Query(description="An RFC 3339 date-time with a time offset (UTC: Z).")],
    representation: RepresentationQuery = "compressed",
) -> Response:
    """ReadDPPVersionByIdAndDate: the version of the DPP that was current at `date` (404 before it
    existed). The owner and the authorities also read the history of an ended passport."""
    view, document = dpps.read(dppId, user, representation, at=date)
    return _document(view, document, dpps, representation)


@router.get(
    "/dpps/{dppId:path}",
    operation_id="readDPPById",
    responses=_responses(200, "The DPP, as the caller may see it.", ref("DigitalProductPassport"), 404),
)
def read_dpp_by_id(
    dppId: DppId, user: OptionalUser, dpps: Dpps, representation: RepresentationQuery = "compressed"
) -> Response:
    """ReadDPPById: the DPP as the caller may see it (anonymous callers: the public attributes; the
    owner: everything), compressed (header and content sections) or full (`elements`)."""
    view, document = dpps.read(dppId, user, representation)
    return _document(view, document, dpps, representation)


@router.patch(
    "/dpps/{dppId:path}",
    operation_id="updateDPPById",
    responses=_responses(200, "The DPP as stored.", ref("DigitalProductPassport"), 404, 409, 501),
    openapi_extra=_json_body("DigitalProductPassportPatch", MERGE_PATCH) | {"parameters": [_IF_MATCH]},
)
def update_dpp_by_id(
    dppId: DppId,
    request: Request,
    user: CurrentUser,
    dpps: Dpps,
    body: Body,
    representation: RepresentationQuery = "compressed",
) -> Response:
    """UpdateDPPById: a JSON merge patch (RFC 7396) of the compressed document (owner only), validated
    and stored as a new version (earlier ones stay readable); `lastUpdate` becomes the time of the write
    unless the patch sets it."""
    _compressed_only(representation)
    patch = _json(body, request, MERGE_PATCH, JSON)
    view, document = dpps.update(dppId, user, patch, _expected(request, dpps, dppId))
    return _document(view, document, dpps, representation)


@router.delete(
    "/dpps/{dppId:path}",
    operation_id="deleteDPPById",
    status_code=204,
    responses=_responses(204, "Deleted: the passport ceased; its history is kept.", None, 404, 409),
    openapi_extra={"parameters": [_IF_MATCH]},
)
def delete_dpp_by_id(dppId: DppId, request: Request, user: CurrentUser, dpps: Dpps) -> Response:
    """DeleteDPPById: only for a battery that became waste and was recycled (Art. 77(9)): the passport
    ceases (reads answer 404, its owner and the authorities still read its history). Any other battery
    keeps its passport: 409."""
    dpps.delete(dppId, user, _expected(request, dpps, dppId))
    return Response(status_code=204)
