"""One writer at a time across every process that writes to one SPARQL server: an OS file lock.

Why a lock at all: a SPARQL 1.1 Update is applied atomically by the servers we support, but not in
isolation from a concurrent one. Measured on `oxigraph serve` (bench/isolation.py, results in
bench/results/isolation.json): of guarded updates racing over HTTP from separate processes, more than
one committed in 2 of 200 trials with two writers and in 12 of 200 with eight (once four of them).
The guards (`layout.Guard`) check preconditions only against what the update read, so the registry
makes the check-and-write exclusive itself: every write takes this lock first (with it: one commit in
every one of those 400 trials).

`FileWriteLock` serialises every process on one host that names the same lock file (`serve --workers
N` shares one by default; `config.Settings.store_write_lock`). The kernel releases it when its holder
dies, even by `kill -9`, so a crashed writer never blocks the others.

`PostgresWriteLock` serialises every process on every host that reaches one PostgreSQL database (the
account database, when the registry has one): a session-level advisory lock, keyed by the SPARQL
server's URL. PostgreSQL releases it when its holder's session ends, so a crashed writer never blocks
the others either. What it cannot do (docs/deployment.md): if the holder's connection to PostgreSQL is
lost while its Update is in flight, another writer may start before that Update ends.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

import psycopg

from passport_registry.errors import StoreUnavailable


class WriteLock(Protocol):
    """Mutual exclusion between every writer of one store, whatever process it runs in."""

    def hold(self) -> AbstractContextManager[None]:
        """A context manager: while inside, no other writer of the store is inside."""
        ...

    def close(self) -> None:
        """Release the lock's resources; later `hold` calls fail."""
        ...


class FileWriteLock:
    """An exclusive `flock` on `path`, plus a thread lock (flock is per open file, not per thread).

    Thread-safe; blocks until the lock is free. Released by the kernel when the process dies.
    """

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._threads = threading.Lock()

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._threads:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def default_lock_path(store_url: str) -> Path:
    """The lock file every process of this host uses for `store_url` unless configured otherwise."""
    digest = hashlib.sha256(store_url.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"passport-registry-{digest}.write.lock"


class PostgresWriteLock:
    """A session-level advisory lock (`pg_advisory_lock`) on a dedicated connection to `url`, keyed by
    `name` (the SPARQL server's URL), plus a thread lock (the session holds the lock, not a thread).

    Thread-safe; waits at most `timeout_s` for the lock, then raises StoreUnavailable (as when
    PostgreSQL does not answer). A connection found broken is replaced before the next write.
    """

    def __init__(self, url: str, name: str, *, timeout_s: float = 30.0) -> None:
        self.url = url
        self.key = advisory_key(name)
        self.timeout_s = timeout_s
        self._threads = threading.Lock()
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None
        self._closed = False

    def _connection(self) -> psycopg.Connection[tuple[object, ...]]:
        if self._closed:
            raise RuntimeError("the write lock is closed")
        if self._conn is None or self._conn.closed or self._conn.broken:
            try:
                self._conn = psycopg.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=max(1, int(self.timeout_s)),
                    # The client notices a lost server, and (the SETs below) the server a lost client
                    # host, within ~25 s: the session, and the lock it may hold, end with it.
                    keepalives=1,
                    keepalives_idle=10,
                    keepalives_interval=5,
                    keepalives_count=3,
                )
                for setting in (
                    f"lock_timeout = {int(self.timeout_s * 1000)}",
                    "tcp_keepalives_idle = 10",
                    "tcp_keepalives_interval = 5",
                    "tcp_keepalives_count = 3",
                ):
                    self._conn.execute(f"SET {setting}".encode())
            except psycopg.Error as exc:
                self._conn = None
                raise StoreUnavailable(
                    f"the write lock's database did not answer: {type(exc).__name__}"
                ) from exc
        return self._conn

    def _acquire(self) -> psycopg.Connection[tuple[object, ...]]:
        """Take the lock on a live session: a session the server ended since the last write (a restart,
        an idle timeout) is replaced once."""
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.execute("SELECT pg_advisory_lock(%s)", (self.key,))
                return conn
            except psycopg.errors.LockNotAvailable as exc:
                raise StoreUnavailable(f"no write lock within {self.timeout_s:g} s") from exc
            except psycopg.OperationalError as exc:
                conn.close()
                if attempt == 2:
                    raise StoreUnavailable(
                        f"the write lock's database did not answer: {type(exc).__name__}"
                    ) from exc
        raise AssertionError("unreachable")

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._threads:
            conn = self._acquire()
            try:
                yield
            finally:
                try:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
                except psycopg.Error:
                    # The session is gone, and PostgreSQL released its locks with it.
                    conn.close()

    def close(self) -> None:
        with self._threads:
            self._closed = True
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def advisory_key(name: str) -> int:
    """A signed 64-bit advisory lock key for `name`: stores behind different URLs never share a lock."""
    return int.from_bytes(
        hashlib.sha256(b"passport-registry write lock " + name.encode("utf-8")).digest()[:8],
        "big",
        signed=True,
    )


def is_postgres_url(url: str | None) -> bool:
    return url is not None and url.startswith(("postgresql://", "postgres://"))
