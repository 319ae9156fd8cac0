"""The account services of one running registry, opened together and closed together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from passport_registry.accounts.sqlite import SqliteAccountStore
from passport_registry.accounts.store import AccountStore
from passport_registry.clock import Clock, utc_now
from passport_registry.config import Settings
from passport_registry.security import PasswordHasher, TokenIssuer
from passport_registry.services.auth import Authenticator
from passport_registry.services.users import UserService
from passport_registry.throttle import LoginThrottle


@dataclass(frozen=True, slots=True)
class Accounts:
    """The account store with the user and authentication services over it.

    The login throttle keeps its counts in the account store, so they outlive a restart.
    """

    store: AccountStore
    users: UserService
    auth: Authenticator

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        store: AccountStore | None = None,
        clock: Clock = utc_now,
        hasher: PasswordHasher | None = None,
    ) -> Accounts:
        """Open the accounts of `settings` (`<data_dir>/accounts/`, in memory without a data dir)."""
        store = store or SqliteAccountStore.in_data_dir(settings.data_dir)
        hasher = hasher or PasswordHasher()
        throttle = LoginThrottle(store, clock=clock)
        tokens = TokenIssuer(
            settings.secret_key,
            issuer=settings.base_url,
            lifetime=timedelta(minutes=settings.access_token_minutes),
            clock=clock,
        )
        return cls(
            store=store,
            users=UserService(store, hasher, clock, throttle),
            auth=Authenticator(store, hasher, tokens, throttle, clock),
        )

    def close(self) -> None:
        """Close the store."""
        self.store.close()


@contextmanager
def user_service_at(data_dir: Path) -> Iterator[UserService]:
    """The user service over the account store of the registry in `data_dir`, closed on exit.

    For the command line, which may run while the server runs: the store is safe to share.
    """
    store = SqliteAccountStore.in_data_dir(data_dir)
    try:
        yield UserService(store, PasswordHasher(), utc_now, LoginThrottle(store, clock=utc_now))
    finally:
        store.close()
