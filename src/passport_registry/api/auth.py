"""`POST /auth/token`: the OAuth2 password grant, answering with a signed, expiring access token."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import BaseModel, Field

from passport_registry.api.bodies import SmallBodyRoute, require_media_type
from passport_registry.api.deps import AUTH_RESPONSES, AccountsDep, check_client_credentials

router = APIRouter(
    prefix="/auth",
    tags=["auth"],
    route_class=SmallBodyRoute,
    dependencies=[Depends(check_client_credentials)],
)


class TokenRequest(BaseModel):
    """An OAuth2 password grant (RFC 6749 section 4.3). `scope` and client fields are accepted and ignored."""

    grant_type: Literal["password"] = "password"
    username: str = Field(min_length=1, max_length=320, description="The account's email.")
    password: str = Field(min_length=1, max_length=1024)
    scope: str = Field(default="", max_length=1024)
    client_id: str | None = Field(default=None, max_length=200)
    client_secret: str | None = Field(default=None, max_length=200)


class TokenResponse(BaseModel):
    """An access token: send it as `Authorization: Bearer <access_token>` until it expires."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


_TOKEN_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {**AUTH_RESPONSES[401], "description": "Wrong email or password (problem details)."},
    415: {"description": "The body is not application/x-www-form-urlencoded."},
    429: {"description": "Too many failed logins for this account from this address; see Retry-After."},
}


@router.post(
    "/token",
    dependencies=[Depends(require_media_type("application/x-www-form-urlencoded"))],
    responses=_TOKEN_RESPONSES,
)
def issue_token(
    request: Request,
    response: Response,
    form: Annotated[TokenRequest, Form()],
    accounts: AccountsDep,
) -> TokenResponse:
    """Sign in with email (`username`) and password; get an access token (a JWT) that expires.

    Failed attempts are counted per account and client address together: after five within fifteen
    minutes that pair answers 429 with `Retry-After` until the oldest one ages out. Twenty failures
    within fifteen minutes on one account (from anywhere) or from one address (on any account) slow
    only the pairs that have not signed in successfully in the last 30 days, so nobody is locked
    out by someone else's failures. Deactivating the account or changing its password ends every
    token issued before.
    """
    client = request.client.host if request.client else None
    issued = accounts.auth.login(form.username, form.password, client)
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse(access_token=issued.token, expires_in=issued.expires_in)
