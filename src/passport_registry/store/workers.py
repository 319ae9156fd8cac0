"""SPARQL on an on-disk store: each query in a sandboxed worker process, killed at its deadline.

pyoxigraph cannot cancel a running query, so queries run in a small pool of worker processes
(`QueryWorkers`, `spawn` context, started on first use and reused). A worker:
- confines itself at start (`store/sandbox.py`: no network sockets in any of its threads);
- reads the writer's snapshots (`store/snapshots.py`), never the live directory: each query names the
  oldest snapshot it may read, the worker uses the one it has open when that is new enough and else
  opens the newest; a thread in the worker opens each new snapshot as it appears, so queries rarely wait;
- runs queries in a thread with a 256 MiB stack: Oxigraph evaluates recursively, and the parser's
  depth limit (`sparql/parser.py`) keeps the deepest accepted query far below what that stack holds.
At the deadline the worker is killed (the work really stops) and the caller gets QueryTimeout (503);
a worker that dies on its own (the engine crashed) gives QueryAborted (503). Either way a replacement
is started at once, so it is ready for the next query. Results travel back as serialised bytes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from pyoxigraph import Store

from passport_registry import errors
from passport_registry.errors import QueryAborted, QueryTimeout, RegistryError, SandboxUnavailable
from passport_registry.sparql.parser import inspect
from passport_registry.store import sandbox
from passport_registry.store.query import Inspector, QueryRequest, QueryResult, execute
from passport_registry.store.snapshots import newest_snapshot, snapshot_name

#: Seconds a new worker may take to start (not counted against a query's limit).
WORKER_START_S = 60.0
#: Stack of the thread that runs queries in a worker.
QUERY_STACK_BYTES = 256 * 1024 * 1024
#: How often a worker looks for a newer snapshot.
REFRESH_S = 0.1


class _SnapshotView:
    """The newest snapshot a worker has open, kept fresh by a background thread."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._lock = threading.Lock()
        self._number = 0
        self._store: Store | None = None
        threading.Thread(target=self._refresh, name="snapshot-refresh", daemon=True).start()

    def store(self, at_least: int) -> Store:
        """A store holding snapshot `at_least` or a newer one."""
        with self._lock:
            number, store = self._number, self._store
        if store is not None and number >= at_least:
            return store
        newest = newest_snapshot(self._directory)
        if newest is None or newest < at_least:
            raise RegistryError(f"Snapshot {at_least} of the store is missing.")
        return self._open(newest)

    def _open(self, number: int) -> Store:
        opened = Store.read_only(str(self._directory / snapshot_name(number)))
        with self._lock:
            if number > self._number:
                self._number, self._store = number, opened
        return opened

    def _refresh(self) -> None:
        while True:
            time.sleep(REFRESH_S)
            newest = newest_snapshot(self._directory)
            if newest is not None and newest > self._number:
                # Pruned meanwhile (OSError / RocksDB's RuntimeError): the next round finds a newer one.
                with contextlib.suppress(OSError, RuntimeError):
                    self._open(newest)


def _serve(conn: Connection, directory: str, inspector: Inspector) -> None:
    """A worker process: confine it, then answer requests from `conn` in a thread with a large stack."""
    try:
        sandbox.confine(all_threads=True)
    except SandboxUnavailable as exc:
        conn.send(("unavailable", exc.detail))
        return
    conn.send(("ready", None))
    view = _SnapshotView(Path(directory))
    threading.stack_size(QUERY_STACK_BYTES)
    answering = threading.Thread(target=_answer, args=(conn, view, inspector), name="query")
    answering.start()
    answering.join()


def _answer(conn: Connection, view: _SnapshotView, inspector: Inspector) -> None:
    while True:
        try:
            request, at_least = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", execute(view.store(at_least), request, inspector=inspector)))
        except RegistryError as exc:
            conn.send(("error", (type(exc).__name__, exc.detail, exc.extensions)))
        except Exception as exc:  # never die silently: the caller gets a 500 with the reason
            conn.send(("error", ("RegistryError", f"The query failed: {type(exc).__name__}: {exc}", {})))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.join(5)


class QueryWorkers:
    """Up to `size` worker processes over the snapshots in `directory`, started on demand and reused.

    Thread-safe: each call takes an idle worker (or starts one), so at most `size` queries run at
    once; further callers wait, up to their own time limit, for a worker to come free.
    """

    def __init__(self, directory: Path, size: int = 2, inspector: Inspector = inspect) -> None:
        self._directory = str(directory)
        self._size = size
        self._inspector = inspector
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self._context = multiprocessing.get_context("spawn")

    def run(self, request: QueryRequest, at_least: int, timeout_s: float) -> QueryResult:
        """Answer `request` from snapshot `at_least` (or newer) within `timeout_s` seconds of query
        work, or kill the worker and raise QueryTimeout; QueryAborted if the worker dies. Also raises
        what `execute` raises, and SandboxUnavailable where workers cannot be confined."""
        if not self._slots.acquire(timeout=max(timeout_s, 0.0)):
            raise QueryTimeout("Every query worker is busy; try again shortly.", timeout_s=timeout_s)
        worker: _Worker | None = None
        try:
            worker = self._take()
            worker.conn.send((request, at_least))
            if not worker.conn.poll(max(timeout_s, 0.0)):
                self._discard(worker)
                worker = None
                raise QueryTimeout(
                    f"The query ran past its time limit of {timeout_s:g} s and was stopped.",
                    timeout_s=timeout_s,
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError):
            if worker is not None:
                self._discard(worker)
                worker = None
            raise QueryAborted(
                "The query stopped the process evaluating it (the query engine failed on it); a fresh "
                "one is ready. Simplify the query, or try again."
            ) from None
        finally:
            if worker is not None:
                self._keep(worker)
            self._slots.release()
        if status == "ok":
            assert isinstance(payload, QueryResult)
            return payload
        name, detail, extensions = payload
        error_class = getattr(errors, name)
        raise error_class(detail, **extensions)

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise RuntimeError("the passport store is closed")
            if self._idle:
                return self._idle.pop()
        return self._start()

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self._directory, self._inspector), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if not parent.poll(WORKER_START_S):
            worker.stop()
            raise RegistryError("A query worker did not start.")
        status, detail = parent.recv()
        if status != "ready":
            worker.stop()
            raise SandboxUnavailable(detail)
        return worker

    def _keep(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed and len(self._idle) < self._size:
                self._idle.append(worker)
                return
        worker.stop()

    def _discard(self, worker: _Worker) -> None:
        """Stop `worker` and start its replacement in the background, ready for the next query."""
        worker.stop()

        def replace() -> None:
            try:
                fresh = self._start()
            except RegistryError:
                return
            self._keep(fresh)

        threading.Thread(target=replace, name="query-worker-start", daemon=True).start()

    def close(self) -> None:
        """Stop every idle worker; busy ones are stopped when their query returns or times out."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()
