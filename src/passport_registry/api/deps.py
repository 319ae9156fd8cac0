"""Who is calling: the `CurrentUser`, `OptionalUser` and `require_role(...)` dependencies every router uses.

A caller authenticates with `Authorization: Bearer <access token or API key>` or `X-API-Key: <API key>`.
Anonymous callers get None from `OptionalUser` and 401 from `CurrentUser`; credentials that are present
but wrong always get 401, never a silent downgrade to anonymous. Hot read routes use `OptionalReader`
(or call `reader_of(request)`): the same answers, without a thread-pool hop for anonymous callers.
The dependencies that touch no store are `async`, because FastAPI runs every plain-`def` dependency
in the thread pool.

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


def optional_principal(
    request: Request,
    accounts: AccountsDep,
    bearer: Annotated[str | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> Principal | None:
    """The authenticated caller, or None when the request carries no credentials at all."""
    return authenticate(request, accounts, bearer, api_key)


def authenticate(
    request: Request, accounts: Accounts, bearer: str | None, api_key: str | None
) -> Principal | None:
    """The caller behind `bearer` or `api_key`; None when neither (nor any Authorization header) is sent.

    Blocking (reads the account store). Raises Unauthenticated for credentials that are present but
    wrong, a non-Bearer Authorization header, or both kinds of credential at once.
    """
    if bearer is None and api_key is None:
        if request.headers.get("authorization"):
            raise Unauthenticated(
                "Only Bearer credentials are accepted in the Authorization header.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return None
    if bearer is not None and api_key is not None:
        raise Unauthenticated(
            "Send one credential: either an Authorization header or X-API-Key, not both.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    try:
        if api_key is not None:
            principal = accounts.auth.authenticate_api_key(api_key)
        else:
            assert bearer is not None
            principal = accounts.auth.authenticate(bearer)
    except Unauthenticated as exc:
        exc.extensions.setdefault("headers", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        raise
    request.state.principal = principal
    return principal


async def optional_reader(
    request: Request,
    bearer: Annotated[str | None, Depends(_bearer)],
    api_key: Annotated[str | None, Depends(_api_key)],
) -> User | None:
    """`OptionalUser` for hot read routes: anonymous requests are answered on the event loop.

    A request with no `Authorization` and no `X-API-Key` header is anonymous without a thread-pool hop;
    any other request is authenticated exactly as `OptionalUser` does (in the thread pool), so wrong
    credentials still get 401.
    """
    if bearer is None and api_key is None and not request.headers.get("authorization"):
        return None
    accounts: Accounts = request.app.state.accounts
    principal = await run_in_threadpool(authenticate, request, accounts, bearer, api_key)
    return None if principal is None else principal.user


async def reader_of(request: Request) -> User | None:
    """What `OptionalReader` gives, for a route that reads its request itself (no dependency to solve).

    Reads the credentials as the `AccessToken` and `ApiKey` security schemes do; such a route declares
    them in its OpenAPI text with `READER_SECURITY`.
    """
    scheme, credential = get_authorization_scheme_param(request.headers.get("authorization"))
    bearer = credential if scheme.lower() == "bearer" else None
    return await optional_reader(request, bearer, request.headers.get("x-api-key") or None)


#: The OpenAPI `security` of a route that calls `reader_of`: either scheme, or none (anonymous).
READER_SECURITY: dict[str, Any] = {"security": [{"AccessToken": []}, {"ApiKey": []}]}


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
#: Same answer as `OptionalUser`, cheaper for anonymous callers (see `optional_reader`).
OptionalReader = Annotated[User | None, Depends(optional_reader)]


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
