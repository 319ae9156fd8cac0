"""`/users`: one's own account, and account administration (admin only). Users are never deleted."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field, SecretStr, StrictBool, StringConstraints

from passport_registry.accounts.models import User
from passport_registry.api.bodies import SmallBodyRoute, require_media_type
from passport_registry.api.deps import (
    AUTH_RESPONSES,
    CREDENTIALS_CHECKED,
    AccountsDep,
    AdminUser,
    CurrentUser,
)
from passport_registry.roles import Role
from passport_registry.services.users import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, UNSET, UserChanges

router = APIRouter(
    tags=["users"], responses=AUTH_RESPONSES, route_class=SmallBodyRoute, dependencies=CREDENTIALS_CHECKED
)

_json_body = Depends(require_media_type("application/json"))
_json_patch = Depends(require_media_type("application/json", "application/merge-patch+json"))

_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
DisplayName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)
]
Organisation = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=_PRINTABLE)
]
NewPassword = Annotated[
    SecretStr,
    Field(
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
        description=f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters.",
    ),
]
UserId = Annotated[str, Path(max_length=64, description="The account id.")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserOut(BaseModel):
    """An account as the API shows it; never a password or hash."""

    id: str
    email: str
    display_name: str
    organisation: str | None = Field(description="The economic operator identifier, where relevant.")
    roles: list[Role]
    active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            organisation=user.organisation,
            roles=sorted(user.roles),
            active=user.active,
            created_at=user.created_at,
            updated_at=user.updated_at,
        )


class UserPageOut(BaseModel):
    """A page of accounts; pass `next_cursor` as `cursor` to get the next one (null on the last page)."""

    items: list[UserOut]
    next_cursor: str | None


class SelfUpdate(_Strict):
    """Changes to one's own account. Changing the email or password needs `current_password`."""

    display_name: DisplayName | None = None
    email: EmailStr | None = None
    new_password: NewPassword | None = None
    current_password: Annotated[SecretStr, Field(max_length=1024)] | None = None


class UserCreate(_Strict):
    """A new account. An economic operator needs an `organisation` (its economic operator identifier)."""

    email: EmailStr
    display_name: DisplayName
    password: NewPassword
    organisation: Organisation | None = None
    roles: list[Role] = Field(default_factory=list, max_length=len(Role))


class UserUpdate(_Strict):
    """Admin changes to an account. `active: false` ends its tokens and revokes its API keys at once."""

    email: EmailStr | None = None
    display_name: DisplayName | None = None
    organisation: Organisation | None = Field(default=None, description="null clears it.")
    roles: list[Role] | None = Field(default=None, max_length=len(Role), description="Replaces all roles.")
    active: StrictBool | None = None
    password: NewPassword | None = Field(default=None, description="Sets a new password; ends its tokens.")
    current_password: Annotated[SecretStr, Field(max_length=1024)] | None = Field(
        default=None,
        description="The caller's own password: needed when an admin changes its own email or password.",
    )


@router.get("/users/me")
def read_me(user: CurrentUser) -> UserOut:
    """The caller's own account."""
    return UserOut.of(user)


@router.patch(
    "/users/me",
    dependencies=[_json_patch],
    responses={
        403: {"description": "`current_password` is missing or wrong."},
        409: {"description": "The email is taken by another account."},
        429: {"description": "Too many wrong `current_password`s; see Retry-After."},
    },
)
def update_me(request: Request, body: SelfUpdate, user: CurrentUser, accounts: AccountsDep) -> UserOut:
    """Change one's own display name, email or password.

    Email and password changes need `current_password`; a wrong one answers 403 and counts as a
    failed login. A password change ends every access token issued so far (API keys stay valid).
    Roles, organisation and activation are not changed here: an admin changes them.
    """
    changed = accounts.users.update_me(
        user,
        display_name=body.display_name,
        email=body.email,
        new_password=None if body.new_password is None else body.new_password.get_secret_value(),
        current_password=None if body.current_password is None else body.current_password.get_secret_value(),
        client_address=request.client.host if request.client else None,
    )
    return UserOut.of(changed)


@router.post(
    "/users",
    status_code=201,
    dependencies=[_json_body],
    responses={409: {"description": "The email is taken by another account."}},
)
def create_user(body: UserCreate, admin: AdminUser, accounts: AccountsDep, response: Response) -> UserOut:
    """Create an account (admin only). 409 if the email is taken, whatever its case."""
    user = accounts.users.create_user(
        admin,
        email=body.email,
        password=body.password.get_secret_value(),
        display_name=body.display_name,
        organisation=body.organisation,
        roles=frozenset(body.roles),
    )
    response.headers["Location"] = f"/users/{user.id}"
    return UserOut.of(user)


@router.get("/users", responses={400: {"description": "The cursor is not one this registry issued."}})
def list_users(
    admin: AdminUser,
    accounts: AccountsDep,
    role: Annotated[Role | None, Query(description="Only accounts holding this role.")] = None,
    active: Annotated[
        bool | None, Query(description="Only active (true) or inactive (false) accounts.")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=64, description="`next_cursor` of the last page.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> UserPageOut:
    """List accounts in creation order, a page at a time (admin only)."""
    page = accounts.users.list_users(admin, role=role, active=active, cursor=cursor, limit=limit)
    return UserPageOut(items=[UserOut.of(u) for u in page.users], next_cursor=page.next_cursor)


@router.get("/users/{user_id}", responses={404: {"description": "No such account."}})
def read_user(user_id: UserId, admin: AdminUser, accounts: AccountsDep) -> UserOut:
    """One account (admin only)."""
    return UserOut.of(accounts.users.get_user(admin, user_id))


@router.patch(
    "/users/{user_id}",
    dependencies=[_json_patch],
    responses={
        403: {"description": "`current_password` is missing or wrong (an admin changing its own)."},
        404: {"description": "No such account."},
        409: {"description": "The email is taken, or no active admin would be left."},
        429: {"description": "Too many wrong `current_password`s; see Retry-After."},
    },
)
def update_user(
    request: Request, user_id: UserId, body: UserUpdate, admin: AdminUser, accounts: AccountsDep
) -> UserOut:
    """Change an account's roles, activation, name, email, organisation or password (admin only).

    An admin changing its own email or password sends `current_password` too (403 without it or when
    wrong), as on `PATCH /users/me`: a token alone never changes the credentials of its account.
    Deactivating ends the account's access tokens and revokes its API keys at once; the account
    stays, and can be activated again (with new credentials). 409 if the change would leave the
    registry without an active admin.
    """
    given = body.model_fields_set
    changes = UserChanges(
        email=body.email if body.email is not None else UNSET,
        display_name=body.display_name if body.display_name is not None else UNSET,
        organisation=body.organisation if "organisation" in given else UNSET,
        roles=frozenset(body.roles) if body.roles is not None else UNSET,
        active=body.active if body.active is not None else UNSET,
        password=body.password.get_secret_value() if body.password is not None else UNSET,
    )
    current = None if body.current_password is None else body.current_password.get_secret_value()
    client_address = request.client.host if request.client else None
    return UserOut.of(
        accounts.users.update_user(
            admin, user_id, changes, current_password=current, client_address=client_address
        )
    )
