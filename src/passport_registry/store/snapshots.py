"""Read-only snapshots of the on-disk store for the SPARQL query workers, taken by the writer.

Why (docs/storage.md, "SPARQL while writing"): a read-only open of the live directory replays the
whole write-ahead log (its cost grows with every write until RocksDB flushes) and races compaction.
A snapshot is a RocksDB checkpoint (`Store.backup`): a flush, then hard links to the immutable table
files plus a copy of the manifest, in a new directory that nothing writes to again. Workers open it
read-only in tens of milliseconds, whatever the write load.

Guarantee (freshness): a query that starts at time T reads a snapshot holding every write
acknowledged before T - `max_staleness_s`. `require()` returns the oldest snapshot that qualifies, and
when none does it has one taken at once and waits for it. While queries arrive, snapshots are also
taken every `max_staleness_s / 2` when there were writes, so a query rarely waits; with no queries for
`IDLE_S` the writer takes none (an import does not pay for them). With `max_staleness_s = 0` every
query sees every write acknowledged before it (a snapshot per query that follows a write).

Speed: each snapshot flushes the writer's memtables, so a burst of writes leaves small level-0 table
files that RocksDB's compaction merges over the following seconds; a snapshot keeps the files it was
taken with, and scans over many small files are slower (measured: the aggregate 3.2x slower on the
last snapshot of a 20 s burst, back to its idle time on a snapshot taken after compaction). So while
queries arrive, a snapshot is also taken when the writer's table files changed (compaction) since
the last one, at most every `SETTLE_S`: queries are back to their idle speed seconds after a burst.

Snapshots are directories `<number>` (12 digits, increasing) published by an atomic rename; one that
was superseded more than `keep_s` ago (longer than any query may run) is deleted; all are deleted at
close. Thread-safe.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store

from passport_registry.errors import QueryTimeout

log = logging.getLogger(__name__)

#: Seconds without a query after which the writer stops taking periodic snapshots.
IDLE_S = 60.0
#: Least seconds between two snapshots taken because compaction changed the writer's table files.
SETTLE_S = 2.0


def snapshot_name(number: int) -> str:
    return f"{number:012d}"


def newest_snapshot(directory: Path) -> int | None:
    """The number of the newest published snapshot in `directory`, if any (for the workers)."""
    try:
        names = [e.name for e in os.scandir(directory) if e.name.isdigit() and len(e.name) == 12]
    except FileNotFoundError:
        return None
    return max((int(n) for n in names), default=None)


@dataclass
class _Snapshot:
    number: int
    started_at: float  # every write acknowledged before this is in the snapshot
    first_write_after: float | None = None  # the first write acknowledged after `started_at`
    superseded_at: float | None = None


class Snapshots:
    """The writer's side: takes, publishes and prunes snapshots of `store` in `directory`."""

    def __init__(
        self,
        store: Store,
        source: Path,
        directory: Path,
        *,
        max_staleness_s: float,
        keep_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store: Store | None = store
        self._source = source
        self._tables: frozenset[str] = frozenset()  # the writer's table files when the last snapshot began
        self._directory = directory
        self._max_staleness_s = max_staleness_s
        self._keep_s = keep_s
        self._clock = clock
        self._changed = threading.Condition()
        self._published: list[_Snapshot] = []  # oldest first
        self._taking: _Snapshot | None = None
        self._next = (newest_snapshot(directory) or 0) + 1
        self._dirty = False
        self._wanted = False
        self._failure: str | None = None
        self._last_query = float("-inf")
        self._closed = False
        self._thread: threading.Thread | None = None

    @property
    def directory(self) -> Path:
        return self._directory

    def written(self) -> None:
        """Record a write just acknowledged (call after every write that committed)."""
        now = self._clock()
        with self._changed:
            for snapshot in (*self._published, self._taking):
                if snapshot is not None and snapshot.first_write_after is None and snapshot.started_at < now:
                    snapshot.first_write_after = now
            self._dirty = True
            self._changed.notify_all()

    def require(self, timeout_s: float) -> int:
        """The oldest snapshot a query starting now may read (see the module's guarantee); takes one
        and waits for it when none qualifies. Raises QueryTimeout when none arrives within `timeout_s`."""
        now = self._clock()
        horizon = now - self._max_staleness_s
        deadline = now + timeout_s
        with self._changed:
            if self._closed:
                raise RuntimeError("the passport store is closed")
            self._last_query = now
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sparql-snapshots", daemon=True)
                self._thread.start()
            while True:
                for snapshot in self._published:
                    if snapshot.first_write_after is None or snapshot.first_write_after >= horizon:
                        return snapshot.number
                self._wanted = True
                self._changed.notify_all()
                left = deadline - self._clock()
                if left <= 0 or self._closed:
                    reason = f" ({self._failure})" if self._failure else ""
                    raise QueryTimeout(
                        f"No snapshot of the store for queries could be taken in time{reason}.",
                        timeout_s=timeout_s,
                    )
                self._changed.wait(left)

    def close(self) -> None:
        """Stop taking snapshots and delete them (the workers must be stopped first)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join()
        self._store = None  # the writer's store must be released for its directory lock to go
        shutil.rmtree(self._directory, ignore_errors=True)

    # -- the snapshot thread ----------------------------------------------------------------------

    def _run(self) -> None:
        self._directory.mkdir(parents=True, exist_ok=True)
        last_started = float("-inf")
        while True:
            snapshot = None
            with self._changed:
                if not self._closed and not self._due(last_started):
                    self._changed.wait(self._wait_s(last_started))
                if self._closed:
                    return
                doomed = self._expired()
                if self._due(last_started):
                    self._dirty = self._wanted = False
                    self._tables = self._table_files()
                    snapshot = self._taking = _Snapshot(self._next, self._clock())
                    self._next += 1
                    last_started = snapshot.started_at
            _delete(doomed)
            if snapshot is not None:
                self._take(snapshot)

    def _due(self, last_started: float) -> bool:
        if self._wanted:
            return True
        now = self._clock()
        if not self._published or now - self._last_query >= IDLE_S:
            return False
        if self._dirty and self._max_staleness_s > 0 and now >= last_started + self._max_staleness_s / 2:
            return True
        return now >= last_started + SETTLE_S and self._table_files() != self._tables

    def _wait_s(self, last_started: float) -> float:
        if self._dirty and self._max_staleness_s > 0:
            return max(0.001, min(1.0, last_started + self._max_staleness_s / 2 - self._clock()))
        return 1.0

    def _table_files(self) -> frozenset[str]:
        try:
            return frozenset(e.name for e in os.scandir(self._source) if e.name.endswith(".sst"))
        except FileNotFoundError:
            return frozenset()

    def _take(self, snapshot: _Snapshot) -> None:
        name = snapshot_name(snapshot.number)
        temporary = self._directory / f"tmp-{name}"
        try:
            assert self._store is not None  # only close() clears it, after this thread ended
            self._store.backup(str(temporary))
            os.rename(temporary, self._directory / name)
        except OSError as exc:  # e.g. disk full: queries wait, then time out with the reason
            log.exception("could not take a SPARQL snapshot")
            _delete([temporary])
            with self._changed:
                self._taking = None
                self._failure = str(exc)
                self._dirty = True
                self._changed.notify_all()
            time.sleep(1.0)
            return
        with self._changed:
            published = self._clock()
            for older in self._published:
                if older.superseded_at is None:
                    older.superseded_at = published
            self._published.append(snapshot)
            self._taking = None
            self._failure = None
            doomed = self._expired()
            self._changed.notify_all()
        _delete(doomed)

    def _expired(self) -> list[Path]:
        """Forget snapshots superseded more than `keep_s` ago; their directories, and any left by an
        earlier process, to delete (outside the lock). Nothing before this process published one."""
        now = self._clock()
        self._published = [
            s for s in self._published if s.superseded_at is None or now - s.superseded_at < self._keep_s
        ]
        if not self._published:
            return []
        keep = {snapshot_name(s.number) for s in self._published}
        if self._taking is not None:
            keep.add(f"tmp-{snapshot_name(self._taking.number)}")
        try:
            return [Path(e.path) for e in os.scandir(self._directory) if e.name not in keep]
        except FileNotFoundError:
            return []


def _delete(paths: list[Path]) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
