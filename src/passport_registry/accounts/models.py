"""The account records, users and API keys, as immutable values; secrets and hashes stay in the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from passport_registry.roles import Role


def email_key(email: str) -> str:
    """The form in which every account store compares emails: unique, and found, without regard to case.

    >>> email_key("Alice@Registry.Example")
    'alice@registry.example'
    """
    return email.lower()


@dataclass(frozen=True, slots=True)
class User:
    """An account. Carries no password hash, so a `User` can be passed anywhere without leaking one.

    `token_generation` grows whenever every token issued so far must stop working (deactivation,
    password change); a token names the generation it was issued under.
    """

    id: str
    email: str
    display_name: str
    organisation: str | None
    roles: frozenset[Role]
    active: bool
    created_at: datetime
    updated_at: datetime
    token_generation: int = 0

    def has_any_role(self, *roles: Role) -> bool:
        """Whether the user holds at least one of `roles`."""
        return not self.roles.isdisjoint(roles)


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A personal API key; its secret is shown once at creation and only a hash of it is stored."""

    id: str
    user_id: str
    name: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None

    def usable_at(self, now: datetime) -> bool:
        """Whether the key authenticates at `now`: not revoked and not expired."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or now < self.expires_at


@dataclass(frozen=True, slots=True)
class UserPage:
    """One page of users; `next_cursor` is None on the last page."""

    users: list[User]
    next_cursor: str | None
