"""`/passports` lifecycle (Art. 77(7)-(8)): a successor passport for a repurposed, re-used or remanufactured
battery, and the transfer of a waste battery's passport to the organisation that takes responsibility."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from passport_registry.api.bodies import require_media_type
from passport_registry.api.deps import (
    AUTH_RESPONSES,
    CREDENTIALS_CHECKED,
    CurrentUser,
)
from passport_registry.api.passports import (
    PRECONDITION_ERRORS,
    RDF_BODY,
    WRITE_ERRORS,
    Body,
    ContentType,
    ExpectedVersion,
    PassportId,
    PassportOut,
    PassportRoute,
    Passports,
    problem,
    written,
)
from passport_registry.api.representations import (
    WRITE_HEADERS,
)

router = APIRouter(tags=["passports"], dependencies=CREDENTIALS_CHECKED, route_class=PassportRoute)


class TransferIn(BaseModel):
    """Who takes responsibility for a battery that became waste."""

    model_config = ConfigDict(extra="forbid")
    # Printable, as an account's organisation must be: the owner is recorded in the store and compared
    # with accounts' organisations, and a control character there could never be matched or written out.
    organisation: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$"
        ),
    ] = Field(
        description="Identifier of the producer, producer responsibility organisation or waste operator."
    )


@router.post(
    "/passports/{passport_id}/successors",
    status_code=201,
    response_model=PassportOut,
    responses={**WRITE_ERRORS, 404: problem("No such passport"), 410: problem("The passport ended")},
    openapi_extra=RDF_BODY,
)
def create_successor(
    passport_id: PassportId, user: CurrentUser, passports: Passports, body: Body, media_type: ContentType
) -> Response:
    """Issue the passport of a repurposed, re-used or remanufactured battery (Art. 77(7); economic
    operators). The new passport is owned by the caller, has battery status repurposed, re-used or
    remanufactured, and names this passport's identifier as `predecessor` (added when missing). This
    passport is not changed: it shows the new one as its successor once its owner accepts
    (`PUT /passports/{id}/successors/{successor_id}`), at once when the caller is that owner."""
    return written(passports.create_successor(passport_id, user, body, media_type), passports, 201)


@router.post(
    "/passports/{passport_id}/transfer",
    response_model=PassportOut,
    responses={**AUTH_RESPONSES, **PRECONDITION_ERRORS, 422: problem("Invalid transfer")},
    openapi_extra=WRITE_HEADERS,
    dependencies=[Depends(require_media_type("application/json"))],
)
def transfer_passport(
    passport_id: PassportId,
    transfer: TransferIn,
    user: CurrentUser,
    passports: Passports,
    expected: ExpectedVersion,
) -> Response:
    """The battery became waste (Art. 77(8)): its battery status becomes `waste` and responsibility
    moves to `organisation`, which owns the passport from then on (owner only; `If-Match` required)."""
    return written(passports.transfer(passport_id, user, transfer.organisation, expected), passports, 200)
