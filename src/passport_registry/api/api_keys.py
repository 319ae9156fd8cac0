"""`/users/.../api-keys`: personal API keys for machine clients, shown once and stored only as a hash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StringConstraints

from passport_registry.accounts.models import ApiKey
from passport_registry.api.bodies import SmallBodyRoute, require_media_type
from passport_registry.api.deps import (
    AUTH_RESPONSES,
    CREDENTIALS_CHECKED,
    AccountsDep,
    AdminUser,
    CurrentPrincipal,
    CurrentUser,
)
from passport_registry.errors import Forbidden
from passport_registry.services.auth import Method

router = APIRouter(
    tags=["api keys"],
    responses=AUTH_RESPONSES,
    route_class=SmallBodyRoute,
    dependencies=CREDENTIALS_CHECKED,
)

KeyId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="The key id (the part after `bpr_`).")]
UserId = Annotated[str, Path(max_length=64, description="The account id.")]


def _whole(value: object) -> object:
    # JSON Schema's `integer` is any number with a zero fractional part: 209.0 is one, "209" is not.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: An integer as JSON Schema means it (`209` or `209.0`); strings and booleans are refused.
WholeNumber = Annotated[StrictInt, BeforeValidator(_whole)]


class ApiKeyCreate(BaseModel):
    """A new key: a name to recognise it by, and optionally a lifetime."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$"
        ),
    ]
    expires_in_days: WholeNumber | None = Field(default=None, ge=1, le=3650)


class ApiKeyOut(BaseModel):
    """An API key as listed: never its secret."""

    id: str
    name: str
    prefix: str = Field(description="The start of the key, `bpr_<id>`, to recognise it.")
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            id=key.id,
            name=key.name,
            prefix=f"bpr_{key.id}",
            created_at=key.created_at,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
        )


class NewApiKey(ApiKeyOut):
    """A key just created. `key` is shown this once: send it as `Authorization: Bearer` or `X-API-Key`."""

    key: str


@router.post(
    "/users/me/api-keys",
    status_code=201,
    dependencies=[Depends(require_media_type("application/json"))],
)
def create_api_key(
    body: ApiKeyCreate, principal: CurrentPrincipal, accounts: AccountsDep, response: Response
) -> NewApiKey:
    """Create a personal API key with the caller's roles. The response is the only time the key is shown.

    Needs an access token from a password login: a key cannot mint further keys, so revoking a
    leaked key is enough to shut it out.
    """
    if principal.method is not Method.TOKEN:
        raise Forbidden("Creating API keys needs an access token from a password login, not an API key.")
    expires_in = None if body.expires_in_days is None else timedelta(days=body.expires_in_days)
    key, full_key = accounts.users.create_api_key(principal.user, name=body.name, expires_in=expires_in)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Location"] = f"/users/me/api-keys/{key.id}"
    return NewApiKey(**ApiKeyOut.of(key).model_dump(), key=full_key)


@router.get("/users/me/api-keys")
def list_my_api_keys(user: CurrentUser, accounts: AccountsDep) -> list[ApiKeyOut]:
    """The caller's API keys, revoked ones included, oldest first."""
    return [ApiKeyOut.of(k) for k in accounts.users.list_api_keys(user, user.id)]


@router.delete(
    "/users/me/api-keys/{key_id}", status_code=204, responses={404: {"description": "No such key of yours."}}
)
def revoke_my_api_key(key_id: KeyId, user: CurrentUser, accounts: AccountsDep) -> Response:
    """Revoke one of the caller's keys; it stops working at once. The record stays, marked revoked."""
    accounts.users.revoke_api_key(user, user.id, key_id)
    return Response(status_code=204)


@router.get("/users/{user_id}/api-keys", responses={404: {"description": "No such account."}})
def list_api_keys(user_id: UserId, admin: AdminUser, accounts: AccountsDep) -> list[ApiKeyOut]:
    """Any account's API keys (admin only)."""
    return [ApiKeyOut.of(k) for k in accounts.users.list_api_keys(admin, user_id)]


@router.delete(
    "/users/{user_id}/api-keys/{key_id}",
    status_code=204,
    responses={404: {"description": "No such account or key."}},
)
def revoke_api_key(user_id: UserId, key_id: KeyId, admin: AdminUser, accounts: AccountsDep) -> Response:
    """Revoke any account's key (admin only)."""
    accounts.users.revoke_api_key(admin, user_id, key_id)
    return Response(status_code=204)
