"""The PostgreSQL account schema as numbered migrations, applied at start-up under an advisory lock.

A migration is applied once and never edited afterwards: a later version changes the schema by adding
a migration. `migrate` applies every migration the database lacks, all in one transaction (PostgreSQL's
DDL is transactional, so a failed upgrade leaves the previous schema intact), while holding a
transaction-level advisory lock, so any number of workers starting at once migrate exactly once: the
first applies, the others wait on the lock and then find nothing to do. A database already at a version
newer than this code knows is refused rather than used, since an older version cannot know what a newer
schema requires.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

import psycopg
from psycopg.rows import TupleRow

from passport_registry.errors import ConfigurationError

#: Advisory lock keys (two-int form): (registry, purpose). Any fixed pair works as long as nothing else in
#: the database uses it; the first number spells "BPR1".
LOCK_SPACE = 0x42505231
MIGRATION_LOCK = (LOCK_SPACE, 1)
ADMIN_RULE_LOCK = (LOCK_SPACE, 2)


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema; `statements` run in order inside the migration transaction."""

    version: int
    name: str
    statements: tuple[LiteralString, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "users, roles, API keys and the login throttle's memory",
        (
            """CREATE TABLE users (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text NOT NULL UNIQUE,
                email text NOT NULL,
                email_key text NOT NULL UNIQUE,
                display_name text NOT NULL,
                organisation text,
                active boolean NOT NULL,
                token_generation integer NOT NULL,
                password_hash text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            )""",
            """CREATE TABLE user_roles (
                user_id text NOT NULL REFERENCES users(id),
                role text NOT NULL,
                PRIMARY KEY (user_id, role)
            )""",
            "CREATE INDEX user_roles_by_role ON user_roles (role, user_id)",
            """CREATE TABLE api_keys (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id text NOT NULL UNIQUE,
                user_id text NOT NULL REFERENCES users(id),
                name text NOT NULL,
                secret_hash text NOT NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz,
                revoked_at timestamptz
            )""",
            "CREATE INDEX api_keys_by_user ON api_keys (user_id)",
            # Append-only rows, one per failure and key: concurrent failures of one key never update
            # the same row, so every one of them counts.
            "CREATE TABLE login_failures (key text NOT NULL, at timestamptz NOT NULL)",
            "CREATE INDEX login_failures_by_key ON login_failures (key, at)",
            "CREATE INDEX login_failures_by_time ON login_failures (at)",
            "CREATE TABLE login_successes (key text PRIMARY KEY, at timestamptz NOT NULL)",
            "CREATE INDEX login_successes_by_time ON login_successes (at)",
        ),
    ),
)

#: The schema version this code expects.
LATEST = MIGRATIONS[-1].version

_VERSION_TABLE = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


def migrate(conn: psycopg.Connection[TupleRow]) -> list[int]:
    """Bring the schema of `conn`'s database (its first `search_path` schema) to `LATEST`.

    Returns the versions applied now (empty when the database was already current). Atomic: either
    every missing migration is applied or none. Safe to call from many processes at once (see the
    module text). A current database is only read, so a role that may not create tables can open one
    that its owner migrated. Raises ConfigurationError when the database is newer than this code.
    """
    if _checked(schema_version(conn)) == LATEST:
        return []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", MIGRATION_LOCK)
        conn.execute(_VERSION_TABLE)
        current = _checked(schema_version(conn))  # again: another process may have migrated meanwhile
        applied = []
        for migration in MIGRATIONS:
            if migration.version <= current:
                continue
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
            applied.append(migration.version)
        return applied


def _checked(version: int) -> int:
    if version > LATEST:
        raise ConfigurationError(
            f"The account database is at schema version {version}; this registry knows versions up "
            f"to {LATEST}. Run the newer registry version (or restore a backup of the older schema)."
        )
    return version


def schema_version(conn: psycopg.Connection[TupleRow]) -> int:
    """The version the database is at (0 when no migration was ever applied)."""
    found = conn.execute("SELECT to_regclass('schema_migrations')").fetchone()
    if found is None or found[0] is None:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return int(row[0]) if row is not None else 0
