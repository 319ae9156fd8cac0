"""The embedded account store: one SQLite file beside (never inside) the passport store.

SQLite rather than a second Oxigraph store because accounts are rows, not graphs: it enforces
case-insensitive unique emails and the "one active admin remains" rule inside a transaction, pages by
an index, and lets several processes on one host (workers, `users create-admin` while the server runs)
share the file, which an embedded Oxigraph store cannot.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from passport_registry.accounts.models import ApiKey, User, UserPage, email_key
from passport_registry.accounts.paging import decode_cursor, encode_cursor
from passport_registry.errors import Conflict, NotFound
from passport_registry.roles import Role

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    organisation TEXT,
    active INTEGER NOT NULL,
    token_generation INTEGER NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS user_roles (
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
CREATE INDEX IF NOT EXISTS user_roles_by_role ON user_roles(role, user_id);
CREATE TABLE IF NOT EXISTS api_keys (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT
);
CREATE INDEX IF NOT EXISTS api_keys_by_user ON api_keys(user_id);
CREATE TABLE IF NOT EXISTS login_failures (
    key TEXT NOT NULL,
    at_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_by_key ON login_failures(key, at_us);
CREATE INDEX IF NOT EXISTS login_failures_by_time ON login_failures(at_us);
CREATE TABLE IF NOT EXISTS login_successes (
    key TEXT PRIMARY KEY,
    at_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_successes_by_time ON login_successes(at_us);
"""

_USER_COLUMNS = (
    "u.id, u.email, u.display_name, u.organisation, u.active, u.created_at, u.updated_at, "
    "u.token_generation, (SELECT group_concat(r.role) FROM user_roles r WHERE r.user_id = u.id)"
)
_KEY_COLUMNS = "id, user_id, name, created_at, expires_at, revoked_at"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _user(row: tuple[Any, ...]) -> User:
    roles = frozenset(Role(r) for r in row[8].split(",")) if row[8] else frozenset()
    return User(
        id=row[0],
        email=row[1],
        display_name=row[2],
        organisation=row[3],
        active=bool(row[4]),
        created_at=datetime.fromisoformat(row[5]),
        updated_at=datetime.fromisoformat(row[6]),
        token_generation=row[7],
        roles=roles,
    )


def _micros(moment: datetime) -> int:
    """Microseconds since the epoch: throttle times as integers, so SQLite compares them exactly."""
    if moment.tzinfo is None:
        raise ValueError("throttle times must be timezone-aware")
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _from_micros(micros: int) -> datetime:
    return _EPOCH + timedelta(microseconds=micros)


def _key(row: tuple[Any, ...]) -> ApiKey:
    return ApiKey(
        id=row[0],
        user_id=row[1],
        name=row[2],
        created_at=datetime.fromisoformat(row[3]),
        expires_at=_moment(row[4]),
        revoked_at=_moment(row[5]),
    )


class SqliteAccountStore:
    """An `AccountStore` in one SQLite file, or in memory when `path` is None.

    Writes are transactions with `synchronous=FULL`, so an acknowledged write survives a crash. One
    connection per store, guarded by a lock, so the store can be shared by the server's threads.
    """

    def __init__(self, path: Path | None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            ":memory:" if path is None else str(path), isolation_level=None, check_same_thread=False
        )
        self._db.execute("PRAGMA busy_timeout = 10000")
        if path is not None:
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA foreign_keys = ON")
        with self._write() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)

    @classmethod
    def in_data_dir(cls, data_dir: Path | None) -> SqliteAccountStore:
        """The store of a registry whose data directory is `data_dir` (in memory when None)."""
        return cls(None if data_dir is None else data_dir / "accounts" / "accounts.sqlite3")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _one(self, sql: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, params).fetchone()
            return row

    def add_user(self, user: User, password_hash: str) -> None:
        with self._write() as db:
            try:
                db.execute(
                    "INSERT INTO users (id, email, email_key, display_name, organisation, active, "
                    "token_generation, password_hash, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        user.id,
                        user.email,
                        email_key(user.email),
                        user.display_name,
                        user.organisation,
                        int(user.active),
                        user.token_generation,
                        password_hash,
                        _iso(user.created_at),
                        _iso(user.updated_at),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise Conflict("An account with this email already exists.") from exc
            db.executemany(
                "INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
                [(user.id, role.value) for role in sorted(user.roles)],
            )

    def get_user(self, user_id: str) -> User | None:
        row = self._one(f"SELECT {_USER_COLUMNS} FROM users u WHERE u.id = ?", (user_id,))
        return None if row is None else _user(row)

    def find_user_by_email(self, email: str) -> User | None:
        row = self._one(f"SELECT {_USER_COLUMNS} FROM users u WHERE u.email_key = ?", (email_key(email),))
        return None if row is None else _user(row)

    def password_hash(self, user_id: str) -> str | None:
        row = self._one("SELECT password_hash FROM users WHERE id = ?", (user_id,))
        return None if row is None else str(row[0])

    def update_user(
        self, user: User, *, password_hash: str | None = None, revoke_keys_at: datetime | None = None
    ) -> None:
        with self._write() as db:
            had_admin = self._count_active_admins(db) > 0
            try:
                cursor = db.execute(
                    "UPDATE users SET email = ?, email_key = ?, display_name = ?, organisation = ?, "
                    "active = ?, token_generation = ?, updated_at = ?, "
                    "password_hash = coalesce(?, password_hash) WHERE id = ?",
                    (
                        user.email,
                        email_key(user.email),
                        user.display_name,
                        user.organisation,
                        int(user.active),
                        user.token_generation,
                        _iso(user.updated_at),
                        password_hash,
                        user.id,
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise Conflict("An account with this email already exists.") from exc
            if cursor.rowcount == 0:
                raise NotFound(f"No user {user.id}.")
            db.execute("DELETE FROM user_roles WHERE user_id = ?", (user.id,))
            db.executemany(
                "INSERT INTO user_roles (user_id, role) VALUES (?, ?)",
                [(user.id, role.value) for role in sorted(user.roles)],
            )
            if had_admin and self._count_active_admins(db) == 0:
                raise Conflict("This change would leave the registry without an active admin.")
            if revoke_keys_at is not None:
                db.execute(
                    "UPDATE api_keys SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                    (_iso(revoke_keys_at), user.id),
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
        conditions = ["u.seq > ?"]
        params: list[Any] = [after]
        if role is not None:
            conditions.append("EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = ?)")
            params.append(role.value)
        if active is not None:
            conditions.append("u.active = ?")
            params.append(int(active))
        params.append(limit + 1)
        sql = (
            f"SELECT {_USER_COLUMNS}, u.seq FROM users u WHERE {' AND '.join(conditions)} "
            "ORDER BY u.seq LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        return UserPage(
            users=[_user(row) for row in rows],
            next_cursor=encode_cursor(rows[-1][-1]) if more else None,
        )

    @staticmethod
    def _count_active_admins(db: sqlite3.Connection) -> int:
        row = db.execute(
            "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id "
            "WHERE u.active = 1 AND r.role = ?",
            (Role.ADMIN.value,),
        ).fetchone()
        return int(row[0])

    def count_active_admins(self) -> int:
        with self._lock:
            return self._count_active_admins(self._db)

    def add_api_key(self, key: ApiKey, secret_hash: str) -> None:
        with self._write() as db:
            try:
                db.execute(
                    "INSERT INTO api_keys (id, user_id, name, secret_hash, created_at, expires_at, "
                    "revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        key.id,
                        key.user_id,
                        key.name,
                        secret_hash,
                        _iso(key.created_at),
                        _iso(key.expires_at),
                        _iso(key.revoked_at),
                    ),
                )
            except sqlite3.IntegrityError as exc:
                raise Conflict("An API key with this id already exists.") from exc

    def get_api_key(self, key_id: str) -> tuple[ApiKey, str] | None:
        row = self._one(f"SELECT {_KEY_COLUMNS}, secret_hash FROM api_keys WHERE id = ?", (key_id,))
        return None if row is None else (_key(row), str(row[6]))

    def list_api_keys(self, user_id: str) -> list[ApiKey]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY seq", (user_id,)
            ).fetchall()
        return [_key(row) for row in rows]

    def revoke_api_key(self, key_id: str, at: datetime) -> bool:
        with self._write() as db:
            if db.execute("SELECT 1 FROM api_keys WHERE id = ?", (key_id,)).fetchone() is None:
                return False
            db.execute(
                "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", (_iso(at), key_id)
            )
            return True

    # --- the login throttle's memory (LoginAttempts) ------------------------------------------------

    def add_login_failure(self, keys: Collection[str], at: datetime, *, forget_before: datetime) -> None:
        with self._write() as db:
            db.execute("DELETE FROM login_failures WHERE at_us < ?", (_micros(forget_before),))
            db.executemany(
                "INSERT INTO login_failures (key, at_us) VALUES (?, ?)", [(key, _micros(at)) for key in keys]
            )

    def login_failures(self, key: str, *, since: datetime, limit: int) -> list[datetime]:
        with self._lock:
            rows = self._db.execute(
                "SELECT at_us FROM login_failures WHERE key = ? AND at_us > ? ORDER BY at_us DESC LIMIT ?",
                (key, _micros(since), limit),
            ).fetchall()
        return [_from_micros(row[0]) for row in rows]

    def clear_login_failures(self, key: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM login_failures WHERE key = ?", (key,))

    def add_login_success(self, key: str, at: datetime, *, forget_before: datetime) -> None:
        with self._write() as db:
            db.execute("DELETE FROM login_successes WHERE at_us < ?", (_micros(forget_before),))
            db.execute(
                "INSERT INTO login_successes (key, at_us) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET at_us = max(at_us, excluded.at_us)",
                (key, _micros(at)),
            )

    def last_login_success(self, key: str) -> datetime | None:
        row = self._one("SELECT at_us FROM login_successes WHERE key = ?", (key,))
        return None if row is None else _from_micros(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


def copy_database(source: Path, target: Path) -> int:
    """Copy the account database `source` to the new file `target` with SQLite's online backup API: a
    consistent snapshot even while the server writes to `source`. Returns the number of accounts.

    Raises FileExistsError when `target` exists, sqlite3.DatabaseError when the copy fails its
    integrity check."""
    if target.exists():
        raise FileExistsError(f"{target} exists")
    if not source.is_file():
        raise FileNotFoundError(f"no account database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    origin = sqlite3.connect(str(source))
    copy = sqlite3.connect(str(target))
    try:
        origin.execute("PRAGMA busy_timeout = 10000")
        origin.backup(copy)
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            raise sqlite3.DatabaseError(f"the copy of {source} fails SQLite's integrity check: {check}")
        (users,) = copy.execute("SELECT COUNT(*) FROM users").fetchone()
        return int(users)
    finally:
        copy.close()
        origin.close()
