"""The interface every account store implements: SQLite (`sqlite.py`) and PostgreSQL (`postgres.py`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from passport_registry.accounts.models import ApiKey, User, UserPage
from passport_registry.roles import Role


class LoginAttempts(Protocol):
    """What the login throttle remembers: recent failures and the last success, per opaque key.

    Every method is one atomic operation; times are aware datetimes. Kept with the accounts so the
    throttle holds across restarts and across processes that share the account store.
    """

    def add_login_failure(self, keys: Collection[str], at: datetime, *, forget_before: datetime) -> None:
        """Count one failure at `at` against each of `keys`; failures (of any key) before
        `forget_before` may be forgotten now."""
        ...

    def login_failures(self, key: str, *, since: datetime, limit: int) -> list[datetime]:
        """The failures of `key` after `since`, newest first, at most `limit` of them."""
        ...

    def clear_login_failures(self, key: str) -> None:
        """Forget every failure of `key`."""
        ...

    def add_login_success(self, key: str, at: datetime, *, forget_before: datetime) -> None:
        """Remember `at` as the last success of `key`; successes (of any key) before `forget_before`
        may be forgotten now."""
        ...

    def last_login_success(self, key: str) -> datetime | None:
        """The last success of `key` still remembered, or None."""
        ...


class AccountStore(LoginAttempts, Protocol):
    """Users, password hashes and API-key hashes, and the login throttle's memory (`LoginAttempts`).
    Every method is one atomic operation.

    Emails are unique without regard to case: writes that would break that raise `Conflict`.
    Users are never deleted. No method returns a secret other than the hash a caller asks for.
    """

    def add_user(self, user: User, password_hash: str) -> None:
        """Store a new user; raises `Conflict` if the email (any case) is taken."""
        ...

    def get_user(self, user_id: str) -> User | None:
        """The user with this id, or None."""
        ...

    def find_user_by_email(self, email: str) -> User | None:
        """The user with this email, compared without regard to case, or None."""
        ...

    def password_hash(self, user_id: str) -> str | None:
        """The stored password hash of a user, or None if there is no such user."""
        ...

    def update_user(
        self, user: User, *, password_hash: str | None = None, revoke_keys_at: datetime | None = None
    ) -> None:
        """Replace the stored record of `user` (matched by id), and optionally its password hash.

        With `revoke_keys_at`, every unrevoked key of the user is revoked in the same operation.
        Raises `NotFound` for an unknown id, `Conflict` if the new email is taken or if the update
        would leave the registry without an active admin.
        """
        ...

    def list_users(
        self,
        *,
        role: Role | None = None,
        active: bool | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> UserPage:
        """Users in creation order, optionally only those holding `role` or with the given `active` flag.

        `cursor` is the `next_cursor` of the previous page; raises `BadRequest` for one this store
        did not issue.
        """
        ...

    def count_active_admins(self) -> int:
        """How many active users hold the admin role."""
        ...

    def add_api_key(self, key: ApiKey, secret_hash: str) -> None:
        """Store a new API key with the hash of its secret."""
        ...

    def get_api_key(self, key_id: str) -> tuple[ApiKey, str] | None:
        """The key with this id and its secret hash, or None."""
        ...

    def list_api_keys(self, user_id: str) -> list[ApiKey]:
        """Every key of a user, revoked ones included, oldest first."""
        ...

    def revoke_api_key(self, key_id: str, at: datetime) -> bool:
        """Revoke one key; False if it does not exist. Revoking twice keeps the first time."""
        ...

    def close(self) -> None:
        """Release the store; further calls fail."""
        ...
