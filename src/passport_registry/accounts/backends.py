"""Which account store a registry opens: SQLite in its data directory, or a PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

from passport_registry.accounts.sqlite import SqliteAccountStore
from passport_registry.accounts.store import AccountStore


def open_account_store(
    data_dir: Path | None, accounts_url: str | None, *, pool_size: int = 10, timeout_s: float = 5.0
) -> AccountStore:
    """The account store of a registry: PostgreSQL at `accounts_url` when given (migrated to this
    version's schema on opening), else SQLite in `<data_dir>/accounts/` (in memory without a data dir).

    Raises AccountsUnavailable when the database cannot be used, ConfigurationError for an unreadable URL
    or a database newer than this version.
    """
    if accounts_url is None:
        return SqliteAccountStore.in_data_dir(data_dir)
    # Imported here: a registry on SQLite never loads the PostgreSQL driver.
    from passport_registry.accounts.postgres import PostgresAccountStore

    return PostgresAccountStore(accounts_url, pool_size=pool_size, timeout_s=timeout_s)
