"""SPARQL on an in-memory store: queries in a few dedicated, sandboxed threads of the server process.

An in-memory store cannot be shared with another process, so its queries run in threads started for
them (`QueryThreads`, on first use): each confines itself at start (`store/sandbox.py`: no network
sockets, for that thread only; the server's other threads are untouched) and has a 256 MiB stack for
Oxigraph's recursive evaluation. The deadline is checked between solutions only, so one long
evaluation step (a big ORDER BY or aggregate) runs to its end; the caller stops waiting at the deadline
and gets QueryTimeout while the thread finishes. Reads see every write acknowledged before the query.
For tests and development; production uses a data directory (`store/workers.py`).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field

from pyoxigraph import Store

from passport_registry.errors import QueryTimeout, RegistryError
from passport_registry.sparql.parser import inspect
from passport_registry.store import sandbox
from passport_registry.store.query import Inspector, QueryRequest, QueryResult, execute
from passport_registry.store.workers import QUERY_STACK_BYTES


@dataclass
class _Job:
    request: QueryRequest
    deadline: float
    done: threading.Event = field(default_factory=threading.Event)
    result: QueryResult | None = None
    error: Exception | None = None


class QueryThreads:
    """Up to `size` sandboxed threads answering queries on `store`. Thread-safe."""

    def __init__(self, store: Store, size: int = 2, inspector: Inspector = inspect) -> None:
        self._store: Store | None = store
        self._size = size
        self._inspector = inspector
        self._jobs: queue.Queue[_Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._closed = False

    def run(self, request: QueryRequest, timeout_s: float) -> QueryResult:
        """Answer `request`; raise QueryTimeout when it is not done after `timeout_s` seconds. Also
        raises what `execute` raises, and SandboxUnavailable where threads cannot be confined."""
        self._start_threads()
        job = _Job(request, time.monotonic() + timeout_s)
        self._jobs.put(job)
        if not job.done.wait(timeout_s):
            raise QueryTimeout(
                f"The query ran past its time limit of {timeout_s:g} s; its result will be discarded.",
                timeout_s=timeout_s,
            )
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return job.result

    def _start_threads(self) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the passport store is closed")
            if self._threads:
                return
            # The stack size applies to threads started after it is set; set it for ours only.
            previous = threading.stack_size(QUERY_STACK_BYTES)
            try:
                for n in range(self._size):
                    thread = threading.Thread(target=self._serve, name=f"sparql-query-{n}", daemon=True)
                    thread.start()
                    self._threads.append(thread)
            finally:
                threading.stack_size(previous)

    def _serve(self) -> None:
        refusal: RegistryError | None = None
        try:
            sandbox.confine(all_threads=False)
        except RegistryError as exc:
            refusal = exc
        while (job := self._jobs.get()) is not None:
            try:
                if refusal is not None:
                    raise refusal
                if self._store is None:
                    raise RuntimeError("the passport store is closed")
                job.result = execute(self._store, job.request, job.deadline, self._inspector)
            except RegistryError as exc:
                # A fresh copy, without the traceback: the traceback's frames hold the engine's result
                # objects, which must be dropped in this thread, not in the caller's.
                job.error = type(exc)(exc.detail, **exc.extensions)
            except Exception as exc:  # never lost: the caller gets a 500 with the reason
                job.error = RegistryError(f"The query failed: {type(exc).__name__}: {exc}")
            finally:
                job.done.set()

    def close(self) -> None:
        """Stop the threads once the queries in hand are answered."""
        with self._lock:
            self._closed = True
            threads = list(self._threads)
        self._store = None  # the store object goes with its owner
        for _ in threads:
            self._jobs.put(None)
