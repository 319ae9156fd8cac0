"""Read-only SPARQL over the store: one query on a given dataset, in a worker process killed at its deadline.

pyoxigraph cannot cancel a running query, so an on-disk store answers queries in a small pool of worker
processes (`QueryWorkers`). Each worker opens the data directory with `Store.read_only` and reopens it
when the directory's write-ahead logs or manifest changed since its last query, so it sees every write
acknowledged before the query started. At the deadline the worker is killed (the work really stops)
and a fresh one takes its place. Results travel back as serialised bytes, never as Python objects.

An in-memory store (tests, development) cannot be shared with another process: there the query runs in
the calling thread and the deadline is checked between solutions only, so a single long evaluation
step (a large ORDER BY or aggregate) runs to its end before `QueryTimeout` is raised.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import pyoxigraph
from pyoxigraph import NamedNode, Quad, QueryBoolean, QuerySolutions, QueryTriples, RdfFormat, Store, Triple

from passport_registry import errors
from passport_registry.errors import BadRequest, NotAcceptable, QueryTimeout, RegistryError, ResultTooLarge
from passport_registry.rdf.formats import FORMATS
from passport_registry.sparql import results

#: Seconds a new worker may take to start and open the store (not counted against a query's limit).
WORKER_START_S = 60.0


@dataclass(frozen=True, slots=True)
class QueryRequest:
    """One read-only query: its text, its dataset (graph IRIs), the media types negotiated for each
    kind of result (None: not acceptable to the client) and the most solutions or triples to return."""

    text: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    results_type: str | None
    graph_type: str | None
    max_results: int
    base_iri: str | None = None


@dataclass(frozen=True, slots=True)
class QueryResult:
    """A complete result document and its media type (as negotiated, without parameters)."""

    body: bytes
    media_type: str


def execute(store: Store, request: QueryRequest, deadline: float | None = None) -> QueryResult:
    """Run `request` on `store` restricted to its dataset and serialise the result.

    The dataset of the request replaces any FROM / FROM NAMED of the query text (pyoxigraph's
    `default_graph=` / `named_graphs=` win; tested). Raises BadRequest (syntax),
    NotAcceptable (no media type for this kind of result), ResultTooLarge, QueryTimeout (only when
    `deadline`, a `time.monotonic()` value, passes between two solutions); OSError when the store
    cannot be read.
    """
    try:
        result = store.query(
            request.text,
            base_iri=request.base_iri,
            default_graph=[NamedNode(g) for g in request.default_graphs],
            named_graphs=[NamedNode(g) for g in request.named_graphs],
        )
        if isinstance(result, QueryBoolean):
            media = _need(request.results_type, results.RESULT_MEDIA_TYPES)
            return QueryResult(results.boolean_document(bool(result), media), media)
        if isinstance(result, QuerySolutions):
            media = _need(request.results_type, results.RESULT_MEDIA_TYPES)
            variables = [v.value for v in result.variables]
            rows = _watched((tuple(s) for s in result), deadline)
            return QueryResult(results.solutions_document(variables, rows, media, request.max_results), media)
        assert isinstance(result, QueryTriples)
        media = _need(request.graph_type, GRAPH_MEDIA_TYPES)
        return QueryResult(_graph_document(result, media, request.max_results, deadline), media)
    except SyntaxError as exc:
        raise BadRequest(f"Invalid SPARQL query: {exc}") from None


#: RDF media types CONSTRUCT and DESCRIBE results are written in (plain JSON is not RDF), Turtle first.
GRAPH_MEDIA_TYPES: tuple[str, ...] = (
    "text/turtle",
    *(m for m in FORMATS if m != "text/turtle" and not FORMATS[m].implied_context),
)


def _need(media_type: str | None, offered: Any) -> str:
    if media_type is None:
        raise NotAcceptable(
            "None of the media types for this kind of query result matches the Accept header.",
            offered=list(offered),
        )
    return media_type


def _watched(items: Iterator[Any], deadline: float | None) -> Iterator[Any]:
    if deadline is None:
        yield from items
        return
    for item in items:
        if time.monotonic() > deadline:
            raise QueryTimeout("The query ran past its time limit and was stopped.")
        yield item


def _graph_document(
    triples: QueryTriples, media_type: str, max_results: int, deadline: float | None
) -> bytes:
    fmt = FORMATS[media_type].rdf_format
    kept = []
    for count, triple in enumerate(_watched(iter(triples), deadline), start=1):
        if count > max_results:
            raise ResultTooLarge(
                f"The result has more than {max_results} triples; narrow the query.", max_results=max_results
            )
        kept.append(
            Quad(triple.subject, triple.predicate, triple.object) if fmt.supports_datasets else triple
        )
    output = pyoxigraph.serialize(kept, format=fmt)
    assert output is not None
    return output


def replace_graph_update(graph: NamedNode, triples: Iterable[Triple]) -> str:
    """One SPARQL UPDATE that empties `graph` (if it exists) and fills it with `triples`."""
    data = pyoxigraph.serialize(list(triples), format=RdfFormat.N_TRIPLES)
    assert data is not None
    return f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{data.decode()}}} }}"


# -- worker processes ------------------------------------------------------------------------------


def _fingerprint(path: str) -> tuple[tuple[str, int, int], ...]:
    """What changes whenever the writer commits: RocksDB's write-ahead logs, manifest and CURRENT."""
    entries = []
    with os.scandir(path) as found:
        for entry in found:
            name = entry.name
            if name == "CURRENT" or name.startswith("MANIFEST-") or name.endswith(".log"):
                stat = entry.stat()
                entries.append((name, stat.st_size, stat.st_mtime_ns))
    return tuple(sorted(entries))


def _serve(conn: Connection, path: str) -> None:
    """A worker's loop: answer requests from `conn` on a read-only view of the store at `path`."""
    store: Store | None = None
    seen: tuple[tuple[str, int, int], ...] = ()
    conn.send(("ready", None))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        for attempt in (1, 2):
            try:
                now = _fingerprint(path)
                if store is None or now != seen:
                    store = None
                    store = Store.read_only(path)
                    seen = now
                conn.send(("ok", execute(store, request)))
                break
            except RegistryError as exc:
                conn.send(("error", (type(exc).__name__, exc.detail, exc.extensions)))
                break
            except OSError as exc:  # the writer compacted files away under us: reopen once
                store = None
                if attempt == 2:
                    conn.send(("error", ("RegistryError", f"The store could not be read: {exc}", {})))
            except Exception as exc:  # never die silently: the caller gets a 500 with the reason
                conn.send(("error", ("RegistryError", f"The query failed: {type(exc).__name__}", {})))
                break


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection

    def stop(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.join(5)


class QueryWorkers:
    """Up to `size` worker processes over the store at `path`, started on demand and reused.

    Thread-safe: each call takes an idle worker (or starts one), so at most `size` queries run at
    once; further callers wait, up to their own time limit, for a worker to come free.
    """

    def __init__(self, path: Path, size: int = 2) -> None:
        self._path = str(path)
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False
        self._context = multiprocessing.get_context("spawn")

    def run(self, request: QueryRequest, timeout_s: float) -> QueryResult:
        """Answer `request` within `timeout_s` seconds of query work, or kill the worker and raise
        QueryTimeout. Also raises what `execute` raises."""
        if not self._slots.acquire(timeout=timeout_s):
            raise QueryTimeout("Every query worker is busy; try again shortly.", timeout_s=timeout_s)
        worker: _Worker | None = None
        try:
            worker = self._take()
            worker.conn.send(request)
            if not worker.conn.poll(timeout_s):
                worker.stop()
                worker = None
                raise QueryTimeout(
                    f"The query ran past its time limit of {timeout_s:g} s and was stopped.",
                    timeout_s=timeout_s,
                )
            status, payload = worker.conn.recv()
        except (EOFError, OSError) as exc:
            if worker is not None:
                worker.stop()
                worker = None
            raise RegistryError(f"The query worker failed: {exc}") from None
        finally:
            if worker is not None:
                with self._lock:
                    closed = self._closed
                    if not closed:
                        self._idle.append(worker)
                if closed:
                    worker.stop()
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
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self._path), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if not parent.poll(WORKER_START_S):
            worker.stop()
            raise RegistryError("A query worker did not start.")
        parent.recv()
        return worker

    def close(self) -> None:
        """Stop every idle worker; busy ones are stopped when their query returns or times out."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()
