"""Who is calling: the `CurrentUser`, `OptionalUser` and `require_role(...)` dependencies every router uses.

A caller authenticates with `Authorization: Bearer <access token or API key>` or `X-API-Key: <API key>`.
Anonymous callers get None from `OptionalUser` and 401 from `CurrentUser`. One rule holds on every
route: a credential that is sent must be valid (every router declares `CREDENTIALS_CHECKED`), so wrong,
empty or non-Bearer credentials get 401, never a silent downgrade to anonymous. The credentials are
checked once per request (`principal_of`); anonymous requests never wait for the thread pool. The
dependencies are `async`, because FastAPI runs every plain-`def` dependency in the thread pool.

    @router.get("/things")
    def list_things(user: OptionalUser) -> ...

    @router.post("/things")
    def create_thing(user: Annotated[User, Depends(require_role(Role.ECONOMIC_OPERATOR))]) -> ...
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool

from passport_registry.accounts.models import User
from passport_registry.errors import Forbidden, Unauthenticated
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts
from passport_registry.services.auth import Principal

#: Relative, so Swagger UI's "Authorize" finds it whatever prefix the app is mounted under.
TOKEN_URL = "auth/token"

_bearer = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    scheme_name="AccessToken",
    description="An access token from `POST /auth/token`, or a personal API key (`bpr_...`).",
    auto_error=False,
)
_api_key = APIKeyHeader(
    name="X-API-Key", scheme_name="ApiKey", description="A personal API key (`bpr_...`).", auto_error=False
)

_PROBLEM = {
    "application/problem+json": {
        "schema": {
            "type": "object",
            "properties": {
                "type": {"type": "string", "format": "uri"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
            },
        }
    }
}
#: OpenAPI `responses` for routes that need a signed-in caller.
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid credentials (RFC 9457 problem details).", "content": _PROBLEM},
    403: {"description": "Signed in, but not allowed (RFC 9457 problem details).", "content": _PROBLEM},
}


async def get_accounts(request: Request) -> Accounts:
    """The account services opened by the app's lifespan."""
    accounts: Accounts = request.app.state.accounts
    return accounts


AccountsDep = Annotated[Accounts, Depends(get_accounts)]

#: Marks a request whose credentials were not looked at yet (None means "anonymous").
_UNCHECKED = object()


async def principal_of(request: Request) -> Principal | None:
    """The caller behind the request's credentials, or None when it sends no credential header at all.

    A credential that is sent must be valid: an `Authorization` or `X-API-Key` header that is present,
    even empty, is checked, and anything but a valid Bearer access token or API key raises
    Unauthenticated (401), as do both headers at once. Anonymous requests cost no thread-pool hop; the
    result is kept on the request, so every dependency of one request shares one check.
    """
    found = getattr(request.state, "principal", _UNCHECKED)
    if found is _UNCHECKED:
        headers = request.headers
        authorization, api_key = headers.get("authorization"), headers.get("x-api-key")
        if authorization is None and api_key is None:
            found = None
        else:
            accounts: Accounts = request.app.state.accounts
            found = await run_in_threadpool(authenticate, accounts, authorization, api_key)
        request.state.principal = found
    assert found is None or isinstance(found, Principal)
    return found


def authenticate(accounts: Accounts, authorization: str | None, api_key: str | None) -> Principal | None:
    """The caller behind an `Authorization` and an `X-API-Key` header value (None: header absent).

    Blocking (reads the account store). Raises Unauthenticated for a credential that is present but
    wrong or empty, a non-Bearer Authorization header, or both kinds of credential at once.
    """
    if authorization is None and api_key is None:
        return None
    if authorization is not None and api_key is not None:
        raise Unauthenticated(
            "Send one credential: either an Authorization header or X-API-Key, not both.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if authorization is not None:
        scheme, credential = get_authorization_scheme_param(authorization)
        if scheme.lower() != "bearer":
            raise Unauthenticated(
                "Only Bearer credentials are accepted in the Authorization header.",
                headers={"WWW-Authenticate": "Bearer"},
            )
    else:
        assert api_key is not None
        credential = api_key.strip()
    if not credential:
        raise Unauthenticated(
            "The credential header is empty; send a valid credential or none at all.",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    try:
        if api_key is not None:
            return accounts.auth.authenticate_api_key(credential)
        return accounts.auth.authenticate(credential)
    except Unauthenticated as exc:
        exc.extensions.setdefault("headers", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        raise


async def check_credentials(request: Request) -> None:
    """A router dependency: refuse any request whose credentials are present but not valid (401).

    Every router of the app carries it, so the rule holds on routes that read no caller as well.
    """
    await principal_of(request)


#: `APIRouter(dependencies=CREDENTIALS_CHECKED)`: what every router declares.
CREDENTIALS_CHECKED = [Depends(check_credentials)]


async def check_client_credentials(request: Request) -> None:
    """`check_credentials` for the token endpoint, where `Authorization: Basic` is OAuth2 client
    authentication (RFC 6749 section 2.3.1, as Swagger UI sends it): the registry registers no clients,
    so it is accepted and ignored. Any other credential sent must be valid (401)."""
    authorization = request.headers.get("authorization")
    if authorization is not None and get_authorization_scheme_param(authorization)[0].lower() == "basic":
        authorization = None
    api_key = request.headers.get("x-api-key")
    if authorization is not None or api_key is not None:
        accounts: Accounts = request.app.state.accounts
        await run_in_threadpool(authenticate, accounts, authorization, api_key)


async def optional_principal(
    request: Request,
    bearer: Annotated[str | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Principal | None:
    """The authenticated caller, or None when the request carries no credentials at all.

    `bearer` and `api_key` are declared so the OpenAPI document names both security schemes; the
    headers themselves are read by `principal_of`.
    """
    return await principal_of(request)


async def reader_of(request: Request) -> User | None:
    """What `OptionalUser` gives, for a route that reads its request itself (no dependency to solve).

    Such a route declares the security schemes in its OpenAPI text with `READER_SECURITY`.
    """
    principal = await principal_of(request)
    return None if principal is None else principal.user


#: The OpenAPI `security` of a route that calls `reader_of`: either scheme, or none (anonymous).
READER_SECURITY: dict[str, Any] = {"security": [{"AccessToken": []}, {"ApiKey": []}, {}]}


async def current_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    """The authenticated caller; 401 for anonymous requests."""
    if principal is None:
        raise Unauthenticated("This needs credentials.", headers={"WWW-Authenticate": "Bearer"})
    return principal


async def current_user(principal: Annotated[Principal, Depends(current_principal)]) -> User:
    """The account of the authenticated caller; 401 for anonymous requests."""
    return principal.user


async def optional_user(principal: Annotated[Principal | None, Depends(optional_principal)]) -> User | None:
    """The account of the caller, or None for anonymous requests."""
    return None if principal is None else principal.user


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]
#: The same as `OptionalUser` (kept for the routes that name it).
OptionalReader = OptionalUser


def require_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """A dependency letting through callers with at least one of `roles` (else 403; 401 if anonymous).

    `Annotated[User, Depends(require_role(Role.NOTIFIED_BODY, Role.COMMISSION))]`
    """
    needed = frozenset(roles)
    names = ", ".join(sorted(needed))

    async def check_role(user: CurrentUser) -> User:
        if not user.has_any_role(*needed):
            raise Forbidden(f"This needs one of the roles: {names}.")
        return user

    return check_role


AdminUser = Annotated[User, Depends(require_role(Role.ADMIN))]
