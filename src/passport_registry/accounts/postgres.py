"""The shared account store: users, API keys and the login throttle's memory in a PostgreSQL database.

For registries that run several worker processes or hosts: every worker opens the same database, so an
account created, changed or deactivated through one worker is what the next request sees through any
other (nothing is cached in a process), and the throttle counts failures from all of them.

psycopg 3 with its connection pool, and plain SQL: the store is a dozen short statements whose
semantics matter (what is atomic, what may run at once), so they are written out, not generated.
Connections are in autocommit mode: a single statement is its own transaction (one round trip), and the
few writes of several statements open an explicit transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool, PoolTimeout

from passport_registry.accounts.models import ApiKey, User, UserPage, email_key
from passport_registry.accounts.paging import decode_cursor, encode_cursor
from passport_registry.accounts.postgres_schema import ADMIN_RULE_LOCK, migrate
from passport_registry.errors import AccountsUnavailable, ConfigurationError, Conflict, NotFound
from passport_registry.roles import Role

log = logging.getLogger(__name__)

Connection = psycopg.Connection[TupleRow]

_USER_COLUMNS = (
    "u.id, u.email, u.display_name, u.organisation, u.active, u.created_at, u.updated_at, "
    "u.token_generation, array(SELECT r.role FROM user_roles r WHERE r.user_id = u.id ORDER BY r.role)"
)
_KEY_COLUMNS = "id, user_id, name, created_at, expires_at, revoked_at"
_COUNT_ACTIVE_ADMINS = (
    "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id WHERE u.active AND r.role = %s"
)
#: How many expired throttle rows one write deletes at most: old rows go a batch at a time, so no login
#: ever pays for a long quiet period at once. Rows another transaction is deleting are skipped, not
#: waited for, so concurrent logins never block (or deadlock) each other over old rows.
_PRUNE_BATCH = 1000


def describe_url(url: str) -> str:
    """`url` without its password or options, for messages: `postgresql://user@host:port/database`."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://(unreadable URL)"
    user = f"{params['user']}@" if params.get("user") else ""
    host, port = str(params.get("host") or ""), f":{params['port']}" if params.get("port") else ""
    database = params.get("dbname") or ""
    if host.startswith("/"):  # a unix socket directory
        return f"postgresql://{user}/{database}?host={host}" + (f"&port={params['port']}" if port else "")
    return f"postgresql://{user}{host}{port}/{database}"


def _first_line(exc: Exception) -> str:
    """The first line of a driver error: libpq's reason, without the hints that follow it."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _user(row: tuple[Any, ...]) -> User:
    return User(
        id=row[0],
        email=row[1],
        display_name=row[2],
        organisation=row[3],
        active=row[4],
        created_at=row[5],
        updated_at=row[6],
        token_generation=row[7],
        roles=frozenset(Role(r) for r in row[8]),
    )


def _key(row: tuple[Any, ...]) -> ApiKey:
    return ApiKey(
        id=row[0], user_id=row[1], name=row[2], created_at=row[3], expires_at=row[4], revoked_at=row[5]
    )


def _configure(conn: Connection) -> None:
    """Every pooled connection reads times in UTC, as the clock writes them."""
    conn.execute("SET TIME ZONE 'UTC'")


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("account and throttle times must be timezone-aware")
    return moment


class PostgresAccountStore:
    """An `AccountStore` in a PostgreSQL database, shared by every process that opens the same URL.

    Opening applies the schema migrations the database lacks (`postgres_schema`), then keeps a pool of
    at most `pool_size` connections. Every method is one transaction, committed before it returns.
    Raises `AccountsUnavailable` (503) when the database cannot be reached or does not answer; on
    opening, also when the URL is unusable (wrong password, no such database).
    """

    def __init__(self, url: str, *, pool_size: int = 10, timeout_s: float = 5.0) -> None:
        self._where = describe_url(url)
        try:
            params = conninfo_to_dict(url)
        except psycopg.ProgrammingError:
            raise ConfigurationError(
                "PASSPORT_REGISTRY_ACCOUNTS_URL is not a PostgreSQL URL that libpq can read."
            ) from None
        connect: dict[str, Any] = {"autocommit": True}
        if "connect_timeout" not in params:
            connect["connect_timeout"] = max(1, round(timeout_s))
        # One direct connection first: it migrates, and its failure names the real cause (refused,
        # authentication, no such database) where a pool would only report a timeout.
        try:
            with psycopg.connect(url, **connect) as conn:
                _configure(conn)
                applied = migrate(conn)
        except psycopg.OperationalError as exc:
            raise AccountsUnavailable(
                f"Cannot use the account database {self._where}: {_first_line(exc)}"
            ) from None
        except psycopg.errors.InsufficientPrivilege as exc:
            raise ConfigurationError(
                f"Cannot migrate the account database {self._where}: {_first_line(exc)}. "
                "Run `passport-registry accounts migrate` as its owner, or give this role the right "
                "to create tables (docs/deployment.md)."
            ) from None
        #: The schema versions this opening applied (empty when the database was current).
        self.migrations_applied = applied
        if applied:
            log.info("account database %s migrated to version %s", self._where, applied[-1])
        self._pool: ConnectionPool[Connection] = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            kwargs=connect,
            configure=_configure,
            # A connection broken by a database restart is replaced before use, not handed out.
            check=ConnectionPool.check_connection,
            timeout=timeout_s,
            name="accounts",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=timeout_s)
        except PoolTimeout:
            self._pool.close()
            raise AccountsUnavailable(
                f"Cannot open connections to the account database {self._where}."
            ) from None

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.OperationalError as exc:  # PoolTimeout is one too
            log.warning("account database %s: %s", self._where, _first_line(exc))
            raise AccountsUnavailable("The account database did not answer; try again shortly.") from exc

    def _one(self, query: Any, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        with self._connection() as conn:
            row: tuple[Any, ...] | None = conn.execute(query, params).fetchone()
            return row

    def _run(self, query: Any, params: tuple[Any, ...]) -> int:
        """Execute one statement (its own transaction); the number of rows it changed."""
        with self._connection() as conn:
            return conn.execute(query, params).rowcount

    # --- users --------------------------------------------------------------------------------------

    def add_user(self, user: User, password_hash: str) -> None:
        with self._connection() as conn, conn.transaction():
            try:
                conn.execute(
                    "INSERT INTO users (id, email, email_key, display_name, organisation, active, "
                    "token_generation, password_hash, created_at, updated_at) "
                    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    (
                        user.id,
                        user.email,
                        email_key(user.email),
                        user.display_name,
                        user.organisation,
                        user.active,
                        user.token_generation,
                        password_hash,
                        _aware(user.created_at),
                        _aware(user.updated_at),
                    ),
                )
            except psycopg.IntegrityError as exc:
                raise Conflict("An account with this email already exists.") from exc
            self._insert_roles(conn, user)

    @staticmethod
    def _insert_roles(conn: Connection, user: User) -> None:
        conn.execute(
            "INSERT INTO user_roles (user_id, role) SELECT %s, r FROM unnest(%s::text[]) AS r",
            (user.id, [role.value for role in sorted(user.roles)]),
        )

    def get_user(self, user_id: str) -> User | None:
        row = self._one(f"SELECT {_USER_COLUMNS} FROM users u WHERE u.id = %s", (user_id,))
        return None if row is None else _user(row)

    def find_user_by_email(self, email: str) -> User | None:
        row = self._one(f"SELECT {_USER_COLUMNS} FROM users u WHERE u.email_key = %s", (email_key(email),))
        return None if row is None else _user(row)

    def password_hash(self, user_id: str) -> str | None:
        row = self._one("SELECT password_hash FROM users WHERE id = %s", (user_id,))
        return None if row is None else str(row[0])

    def update_user(
        self, user: User, *, password_hash: str | None = None, revoke_keys_at: datetime | None = None
    ) -> None:
        with self._connection() as conn, conn.transaction():
            # The "one active admin remains" rule reads other rows than it writes: without this lock two
            # workers could each remove a different one of the last two admins, both seeing one left.
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", ADMIN_RULE_LOCK)
            had_admin = self._count_active_admins(conn) > 0
            try:
                cursor = conn.execute(
                    "UPDATE users SET email = %s, email_key = %s, display_name = %s, organisation = %s, "
                    "active = %s, token_generation = %s, updated_at = %s, "
                    "password_hash = coalesce(%s, password_hash) WHERE id = %s",
                    (
                        user.email,
                        email_key(user.email),
                        user.display_name,
                        user.organisation,
                        user.active,
                        user.token_generation,
                        _aware(user.updated_at),
                        password_hash,
                        user.id,
                    ),
                )
            except psycopg.IntegrityError as exc:
                raise Conflict("An account with this email already exists.") from exc
            if cursor.rowcount == 0:
                raise NotFound(f"No user {user.id}.")
            conn.execute("DELETE FROM user_roles WHERE user_id = %s", (user.id,))
            self._insert_roles(conn, user)
            if had_admin and self._count_active_admins(conn) == 0:
                raise Conflict("This change would leave the registry without an active admin.")
            if revoke_keys_at is not None:
                conn.execute(
                    "UPDATE api_keys SET revoked_at = %s WHERE user_id = %s AND revoked_at IS NULL",
                    (_aware(revoke_keys_at), user.id),
                )

    def list_users(
        self,
        *,
        role: Role | None = None,
        active: bool | None = None,
        cursor: str | None = None,
        limit: int = 50,
    ) -> UserPage:
        after = 0 if cursor is None else decode_cursor(cursor)
        params = {
            "after": after,
            "role": None if role is None else role.value,
            "active": active,
            "limit": limit + 1,
        }
        with self._connection() as conn:
            rows = conn.execute(
                f"SELECT {_USER_COLUMNS}, u.seq FROM users u WHERE u.seq > %(after)s "
                "AND (%(role)s::text IS NULL OR EXISTS "
                "(SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = %(role)s::text)) "
                "AND (%(active)s::boolean IS NULL OR u.active = %(active)s::boolean) "
                "ORDER BY u.seq LIMIT %(limit)s",
                params,
            ).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return UserPage(
            users=[_user(row) for row in rows],
            next_cursor=encode_cursor(rows[-1][-1]) if more else None,
        )

    @staticmethod
    def _count_active_admins(conn: Connection) -> int:
        row = conn.execute(_COUNT_ACTIVE_ADMINS, (Role.ADMIN.value,)).fetchone()
        return 0 if row is None else int(row[0])

    def count_active_admins(self) -> int:
        with self._connection() as conn:
            return self._count_active_admins(conn)

    # --- API keys -----------------------------------------------------------------------------------

    def add_api_key(self, key: ApiKey, secret_hash: str) -> None:
        try:
            self._run(
                "INSERT INTO api_keys (id, user_id, name, secret_hash, created_at, expires_at, revoked_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (key.id, key.user_id, key.name, secret_hash, key.created_at, key.expires_at, key.revoked_at),
            )
        except psycopg.IntegrityError as exc:
            raise Conflict("An API key with this id already exists.") from exc

    def get_api_key(self, key_id: str) -> tuple[ApiKey, str] | None:
        row = self._one(f"SELECT {_KEY_COLUMNS}, secret_hash FROM api_keys WHERE id = %s", (key_id,))
        return None if row is None else (_key(row), str(row[6]))

    def list_api_keys(self, user_id: str) -> list[ApiKey]:
        with self._connection() as conn:
            rows = conn.execute(
                f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE user_id = %s ORDER BY seq", (user_id,)
            ).fetchall()
        return [_key(row) for row in rows]

    def revoke_api_key(self, key_id: str, at: datetime) -> bool:
        changed = self._run(
            "UPDATE api_keys SET revoked_at = coalesce(revoked_at, %s) WHERE id = %s", (_aware(at), key_id)
        )
        return changed > 0

    # --- the login throttle's memory (LoginAttempts) ------------------------------------------------
    # Each write is one statement (a data-modifying WITH prunes old rows in the same statement), so it
    # is atomic in one round trip. Failures are inserted, never counted into a shared row, so failures
    # of one key from several workers at the same moment all count.

    def add_login_failure(self, keys: Collection[str], at: datetime, *, forget_before: datetime) -> None:
        self._run(
            "WITH pruned AS (DELETE FROM login_failures WHERE ctid = ANY (ARRAY("
            "SELECT ctid FROM login_failures WHERE at < %s LIMIT %s FOR UPDATE SKIP LOCKED))) "
            "INSERT INTO login_failures (key, at) SELECT k, %s FROM unnest(%s::text[]) AS k",
            (_aware(forget_before), _PRUNE_BATCH, _aware(at), list(keys)),
        )

    def login_failures(self, key: str, *, since: datetime, limit: int) -> list[datetime]:
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT at FROM login_failures WHERE key = %s AND at > %s ORDER BY at DESC LIMIT %s",
                (key, _aware(since), limit),
            ).fetchall()
        return [row[0] for row in rows]

    def clear_login_failures(self, key: str) -> None:
        self._run("DELETE FROM login_failures WHERE key = %s", (key,))

    def add_login_success(self, key: str, at: datetime, *, forget_before: datetime) -> None:
        # The prune leaves `key` alone: one statement must not both delete and upsert the same row.
        self._run(
            "WITH pruned AS (DELETE FROM login_successes WHERE ctid = ANY (ARRAY("
            "SELECT ctid FROM login_successes WHERE at < %s AND key <> %s LIMIT %s "
            "FOR UPDATE SKIP LOCKED))) "
            "INSERT INTO login_successes (key, at) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET at = greatest(login_successes.at, excluded.at)",
            (_aware(forget_before), key, _PRUNE_BATCH, key, _aware(at)),
        )

    def last_login_success(self, key: str) -> datetime | None:
        row = self._one("SELECT at FROM login_successes WHERE key = %s", (key,))
        return None if row is None else row[0]

    def close(self) -> None:
        self._pool.close()
