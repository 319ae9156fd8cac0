"""The read paths of the AAS Part 2 API (IDTA-01002 v3.0 HTTP/REST): an AAS Repository and a Submodel
Repository over our passports, under `/aas`, presenting each as IDTA-02035 Digital Battery Passport
submodels (`services/aas.py`). Read-only: every write of a passport goes through `/passports` or `/dpps`.

Identifiers in paths are base64url-encoded, as IDTA-01002 asks. Errors are AAS `Result` bodies
(`{"messages": [...]}`, the same shape as on the EN 18222 paths). docs/aas.md has the mapping table.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from aas_core3 import jsonization
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse

from passport_registry.api.deps import CREDENTIALS_CHECKED, OptionalUser
from passport_registry.api.dpp_results import DppRoute
from passport_registry.api.dpp_schemas import ref
from passport_registry.errors import BadRequest
from passport_registry.services.aas import AasService, decode_identifier, value_only

__all__ = ["PROFILES", "is_aas_path", "router"]

JSON = "application/json"
#: The IDTA-01002 service profiles these paths implement (the read parts of them).
PROFILES = (
    "https://admin-shell.io/aas/API/3/0/AssetAdministrationShellRepositoryServiceSpecification/SSP-002",
    "https://admin-shell.io/aas/API/3/0/SubmodelRepositoryServiceSpecification/SSP-002",
)
_MAX_LIMIT = 1000
#: Longest base64url identifier taken: percent-encoded, any request with one stays under the transport's
#: 8 KiB limit on the request target (else a 414); our ids encode to about 100 characters.
_MAX_ID = 600


def is_aas_path(path: str) -> bool:
    """Whether a request path is one of the AAS paths (whose errors are `Result` bodies)."""
    return path == "/aas" or path.startswith("/aas/")


class AasRoute(DppRoute):
    """A route answering errors as `Result` bodies, which IDTA-01002 and EN 18222 share."""


router = APIRouter(
    prefix="/aas",
    tags=["Asset Administration Shell (IDTA-01002, read-only)"],
    dependencies=CREDENTIALS_CHECKED,
)
router.route_class = AasRoute


async def get_aas(request: Request) -> AasService:
    service: AasService = request.app.state.aas
    return service


Shells = Annotated[AasService, Depends(get_aas)]
AasId = Annotated[
    str, Path(min_length=1, max_length=_MAX_ID, description="The shell's id, base64url-encoded.")
]
SubmodelId = Annotated[
    str, Path(min_length=1, max_length=_MAX_ID, description="The submodel's id, base64url-encoded.")
]
Limit = Annotated[int, Query(ge=1, le=_MAX_LIMIT, description="The most items to return.")]
Cursor = Annotated[str | None, Query(max_length=200, description="Where to go on (from paging_metadata).")]
Level = Annotated[
    Literal["deep", "core"] | None,
    Query(description="deep (the default) or core; our submodels are always given whole (deep)."),
]
Extent = Annotated[
    Literal["withBlobValue", "withoutBlobValue"] | None,
    Query(description="Our submodels hold no Blob elements, so both extents give the same."),
]
IdShort = Annotated[str | None, Query(max_length=128, description="Only items with this idShort.")]


_ERRORS = {
    400: "Invalid request: an identifier that is not base64url, a bad limit or cursor.",
    401: "The credentials given are not valid.",
    403: "Not allowed.",
    404: "No such shell or submodel in what the caller may read.",
    500: "Internal error.",
}


def _responses(description: str) -> dict[int | str, Any]:
    found: dict[int | str, Any] = {
        200: {"description": description, "content": {JSON: {"schema": {"type": "object"}}}}
    }
    for status, text in _ERRORS.items():
        found[status] = {"description": text, "content": {JSON: {"schema": ref("Result")}}}
    return found


def _json(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def _asset_ids(encoded: list[str] | None) -> list[tuple[str, str]] | None:
    if not encoded:
        return None
    found = []
    for item in encoded:
        try:
            asset = json.loads(decode_identifier(item))
        except ValueError as exc:
            raise BadRequest(f"{item!r} is not a base64url-encoded SpecificAssetId") from exc
        if not isinstance(asset, dict) or not isinstance(asset.get("value"), str):
            raise BadRequest(f"{item!r} is not a base64url-encoded SpecificAssetId with a value")
        found.append((str(asset.get("name", "")), asset["value"]))
    return found


@router.get(
    "/description", operation_id="GetDescription", responses=_responses("GetDescription: the result.")
)
def get_description() -> JSONResponse:
    """The service description: the profiles these paths implement (their read operations)."""
    return _json({"profiles": list(PROFILES)})


@router.get(
    "/shells",
    operation_id="GetAllAssetAdministrationShells",
    responses=_responses("GetAllAssetAdministrationShells: the result."),
)
def get_all_shells(
    user: OptionalUser,
    aas: Shells,
    limit: Limit = 100,
    cursor: Cursor = None,
    idShort: IdShort = None,
    assetIds: Annotated[
        list[str] | None, Query(description="base64url-encoded SpecificAssetIds: find passports by battery.")
    ] = None,
) -> JSONResponse:
    """The shells of the caller organisation's passports, or of the passports of `assetIds` (the
    battery's product identifier or the passport identifier; for anyone)."""
    page = aas.shells(user, limit=limit, cursor=cursor, id_short=idShort, asset_ids=_asset_ids(assetIds))
    return _json(page.as_json())


@router.get(
    "/shells/{aasIdentifier}",
    operation_id="GetAssetAdministrationShellById",
    responses=_responses("GetAssetAdministrationShellById: the result."),
)
def get_shell(aasIdentifier: AasId, user: OptionalUser, aas: Shells) -> JSONResponse:
    """One passport's shell, listing the submodels the caller's view fills."""
    return _json(jsonization.to_jsonable(aas.shell(decode_identifier(aasIdentifier), user)))


@router.get(
    "/shells/{aasIdentifier}/submodel-refs",
    operation_id="GetAllSubmodelReferences_AasRepository",
    responses=_responses("GetAllSubmodelReferences: the result."),
)
def get_submodel_refs(
    aasIdentifier: AasId,
    user: OptionalUser,
    aas: Shells,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> JSONResponse:
    """References to the shell's submodels (those the caller's view fills)."""
    page = aas.submodel_refs(decode_identifier(aasIdentifier), user, limit=limit, cursor=cursor)
    return _json(page.as_json())


@router.get(
    "/shells/{aasIdentifier}/submodels/{submodelIdentifier}",
    operation_id="GetSubmodelById_AasRepository",
    responses=_responses("GetSubmodelById_AAS: the result."),
)
def get_shell_submodel(
    aasIdentifier: AasId,
    submodelIdentifier: SubmodelId,
    user: OptionalUser,
    aas: Shells,
    level: Level = None,
    extent: Extent = None,
) -> JSONResponse:
    """One submodel of the shell."""
    shell_id = decode_identifier(aasIdentifier)
    submodel = aas.submodel(decode_identifier(submodelIdentifier), user, shell_id=shell_id)
    return _json(jsonization.to_jsonable(submodel))


@router.get(
    "/submodels", operation_id="GetAllSubmodels", responses=_responses("GetAllSubmodels: the result.")
)
def get_all_submodels(
    user: OptionalUser,
    aas: Shells,
    limit: Limit = 100,
    cursor: Cursor = None,
    idShort: IdShort = None,
    semanticId: Annotated[
        str | None,
        Query(max_length=_MAX_ID, description="Only submodels with this semanticId, base64url-encoded."),
    ] = None,
) -> JSONResponse:
    """The submodels of the caller organisation's passports."""
    semantic = None if semanticId is None else decode_identifier(semanticId)
    page = aas.submodels(user, limit=limit, cursor=cursor, id_short=idShort, semantic_id=semantic)
    return _json(page.as_json())


@router.get(
    "/submodels/{submodelIdentifier}",
    operation_id="GetSubmodelById",
    responses=_responses("GetSubmodelById: the result."),
)
def get_submodel(
    submodelIdentifier: SubmodelId,
    user: OptionalUser,
    aas: Shells,
    level: Level = None,
    extent: Extent = None,
) -> JSONResponse:
    """One submodel, as the caller may see it."""
    return _json(jsonization.to_jsonable(aas.submodel(decode_identifier(submodelIdentifier), user)))


@router.get(
    "/submodels/{submodelIdentifier}/$value",
    operation_id="GetSubmodelById-ValueOnly",
    responses=_responses("GetSubmodelById-ValueOnly: the result."),
)
def get_submodel_value(
    submodelIdentifier: SubmodelId,
    user: OptionalUser,
    aas: Shells,
    level: Level = None,
    extent: Extent = None,
) -> JSONResponse:
    """One submodel in the ValueOnly serialisation."""
    return _json(value_only(aas.submodel(decode_identifier(submodelIdentifier), user)))


@router.get(
    "/shells/{aasIdentifier}/submodels/{submodelIdentifier}/$value",
    operation_id="GetSubmodelById-ValueOnly_AasRepository",
    responses=_responses("GetSubmodelById-ValueOnly: the result."),
)
def get_shell_submodel_value(
    aasIdentifier: AasId,
    submodelIdentifier: SubmodelId,
    user: OptionalUser,
    aas: Shells,
    level: Level = None,
    extent: Extent = None,
) -> JSONResponse:
    """One submodel of the shell in the ValueOnly serialisation."""
    shell_id = decode_identifier(aasIdentifier)
    return _json(value_only(aas.submodel(decode_identifier(submodelIdentifier), user, shell_id=shell_id)))
