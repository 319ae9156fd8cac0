"""`/passports` writes: create, replace, merge-patch and delete a passport (owners; `If-Match` on every
change of an existing passport)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from passport_registry.api.deps import (
    AUTH_RESPONSES,
    CREDENTIALS_CHECKED,
    CurrentUser,
)
from passport_registry.api.passports import (
    MERGE_PATCH,
    PRECONDITION_ERRORS,
    RDF_BODY,
    WRITE_ERRORS,
    Body,
    ContentType,
    ExpectedVersion,
    MergePatchType,
    PassportId,
    PassportOut,
    PassportRoute,
    Passports,
    written,
)
from passport_registry.api.representations import (
    WRITE_HEADERS,
)

router = APIRouter(tags=["passports"], dependencies=CREDENTIALS_CHECKED, route_class=PassportRoute)


@router.post(
    "/passports",
    status_code=201,
    response_model=PassportOut,
    responses={**WRITE_ERRORS, 201: {"description": "Created; Location and ETag headers are set."}},
    openapi_extra=RDF_BODY,
)
def create_passport(user: CurrentUser, passports: Passports, body: Body, media_type: ContentType) -> Response:
    """Create a passport (economic operators). The registry mints its IRI `{base}/passports/{id}`.

    The body is one passport in JSON-LD, plain JSON (the registry's context implied), Turtle,
    N-Triples, N-Quads, TriG or RDF/XML, with exactly one node of type `BatteryPassport` (leave out its
    `@id`). It is validated against the shapes (422 lists every violation), its
    `operatorInformation.identifier` must be the caller's organisation, and a battery has at most one
    live passport (409).
    """
    return written(passports.create(user, body, media_type), passports, 201)


@router.put(
    "/passports/{passport_id}",
    response_model=PassportOut,
    responses={**WRITE_ERRORS, **PRECONDITION_ERRORS},
    openapi_extra=RDF_BODY | WRITE_HEADERS,
)
def replace_passport(
    passport_id: PassportId,
    user: CurrentUser,
    passports: Passports,
    body: Body,
    media_type: ContentType,
    expected: ExpectedVersion,
) -> Response:
    """Replace a passport with a new version (owner only; `If-Match` required). The earlier version
    stays readable under `/versions`. The body's root is this passport's IRI or has no `@id`."""
    return written(passports.replace(passport_id, user, body, media_type, expected), passports, 200)


@router.patch(
    "/passports/{passport_id}",
    response_model=PassportOut,
    responses={**WRITE_ERRORS, **PRECONDITION_ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {MERGE_PATCH: {"schema": {"type": "object"}, "example": {"batteryMass": "490.5"}}},
        },
        **WRITE_HEADERS,
    },
)
def patch_passport(
    passport_id: PassportId,
    user: CurrentUser,
    passports: Passports,
    body: Body,
    media_type: MergePatchType,
    expected: ExpectedVersion,
) -> Response:
    """Change a passport with a JSON merge patch (RFC 7396, `application/merge-patch+json`) applied to
    its compacted JSON-LD form (what `GET` with `Accept: application/ld+json` gives the owner); `null`
    removes a key. Validated like a replace; owner only; `If-Match` required."""
    return written(passports.patch(passport_id, user, body, expected), passports, 200)


@router.delete(
    "/passports/{passport_id}",
    status_code=204,
    responses={**AUTH_RESPONSES, **PRECONDITION_ERRORS},
    openapi_extra=WRITE_HEADERS,
)
def delete_passport(
    passport_id: PassportId,
    user: CurrentUser,
    passports: Passports,
    expected: ExpectedVersion,
    reason: Annotated[
        Literal["withdrawn", "recycled"],
        Query(description="`recycled` ends the passport as ceased (Art. 77(9)); else it is deleted."),
    ] = "withdrawn",
) -> Response:
    """End a passport (owner only; `If-Match` required). Later reads answer 410 Gone with when and by
    whom; its history is kept."""
    passports.delete(passport_id, user, expected, recycled=reason == "recycled")
    return Response(status_code=204)
