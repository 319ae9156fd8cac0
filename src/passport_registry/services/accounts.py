"""The account services of one running registry, opened together and closed together."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from passport_registry.accounts.backends import open_account_store
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

    The login throttle keeps its counts in the account store, so they outlive a restart and, with
    accounts in PostgreSQL, are shared by every worker. Nothing about an account is cached in the
    process: every check reads the store, so a change made through another worker counts at once.
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
        """Open the accounts of `settings`: the PostgreSQL database `accounts_url` when set, else SQLite
        in `<data_dir>/accounts/` (in memory without a data dir). Raises AccountsUnavailable when the
        database cannot be used."""
        store = store or open_account_store(
            settings.data_dir,
            settings.accounts_url,
            pool_size=settings.accounts_pool_size,
            timeout_s=settings.accounts_timeout_s,
        )
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
def user_service_at(data_dir: Path | None, accounts_url: str | None = None) -> Iterator[UserService]:
    """The user service over the account store of a registry (`open_account_store`), closed on exit.

    For the command line, which may run while the server runs: the store is safe to share.
    """
    store = open_account_store(data_dir, accounts_url, pool_size=1)
    try:
        yield UserService(store, PasswordHasher(), utc_now, LoginThrottle(store, clock=utc_now))
    finally:
        store.close()


@dataclass(frozen=True, slots=True)
class Migration:
    """What `migrate_accounts` did: the versions it applied (none when current) and the version now."""

    applied: list[int]
    version: int
    where: str


def migrate_accounts(accounts_url: str) -> Migration:
    """Bring the PostgreSQL account database at `accounts_url` to this version's schema.

    What every start does anyway; as a command, it lets the database's owner migrate before workers
    whose role may only read and write rows start. Raises AccountsUnavailable, ConfigurationError.
    """
    from passport_registry.accounts.postgres import PostgresAccountStore, describe_url
    from passport_registry.accounts.postgres_schema import LATEST

    store = PostgresAccountStore(accounts_url, pool_size=1)
    store.close()
    return Migration(applied=store.migrations_applied, version=LATEST, where=describe_url(accounts_url))
