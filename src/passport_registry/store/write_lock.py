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
dies, even by `kill -9`, so a crashed writer never blocks the others. Hosts that do not share a file
system must not write to the same SPARQL server (docs/deployment.md).
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
