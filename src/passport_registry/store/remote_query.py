"""Read-only SPARQL for the endpoint, answered by a remote SPARQL 1.1 server under OUR limits.

- Dataset: sent with the Protocol's `default-graph-uri` / `named-graph-uri` (SPARQL 1.1 Protocol
  §2.1.4: they override FROM / FROM NAMED); `server_checks` refuses a server that ignores them.
- Time: our deadline, not the server's. The answer is read in a helper thread; at the deadline the
  caller gets QueryTimeout at once and the thread drops the connection at its next read. Stopping the
  work on the server needs the server's own limit (`oxigraph serve --timeout-s`), which the standards do
  not offer a client to set: docs/deployment.md says to set it no higher than ours.
- Completeness: the server is asked for formats whose end is unmistakable (SPARQL JSON results;
  JSON-LD for CONSTRUCT / DESCRIBE) and the document is parsed to its end before anything is sent.
  `oxigraph serve --timeout-s` answers 200 with a cut-off body (measured); that, or any other
  incomplete document, is a QueryTimeout (503), never a shorter success.
- Size: at most `max_results` solutions or triples (ResultTooLarge as soon as one more arrives; the
  connection is dropped, nothing is sent); the registry writes the client's format itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import IO, Any, cast

import httpx
import pyoxigraph
from pyoxigraph import NamedNode, QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat

from passport_registry.errors import (
    BadRequest,
    NotAcceptable,
    QueryTimeout,
    RegistryError,
    StoreUnavailable,
)
from passport_registry.sparql import results
from passport_registry.sparql.parser import inspect
from passport_registry.store.query import GRAPH_MEDIA_TYPES, QueryRequest, QueryResult, graph_document
from passport_registry.store.sparql_http import FORM, RESULTS_JSON, SparqlHttp, form

JSON_LD = "application/ld+json"
#: What we ask the server for: both end in a bracket, so a cut-off document never parses.
ACCEPT = f"{RESULTS_JSON}, {JSON_LD};q=0.9"


class _Stopped(Exception):
    """The caller gave up (deadline passed): stop reading."""


class _Body:
    """The response body as a binary file for pyoxigraph's streaming parsers; every read checks that
    the caller still waits."""

    def __init__(self, chunks: Iterator[bytes], stop: threading.Event) -> None:
        self._chunks = chunks
        self._stop = stop
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while not self._buffer or (size < 0):
            if self._stop.is_set():
                raise _Stopped
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if size < 0 or size >= len(self._buffer):
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def readable(self) -> bool:
        return True


class RemoteQueries:
    """Runs endpoint queries on the server, at most `max_concurrent` at once (further ones wait, and
    their waiting counts against their own time limit). Thread-safe."""

    def __init__(self, http: SparqlHttp, *, max_concurrent: int = 4) -> None:
        self._http = http
        self._pool = ThreadPoolExecutor(max_workers=max_concurrent, thread_name_prefix="sparql-remote")

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def run(self, request: QueryRequest, timeout_s: float) -> QueryResult:
        """Answer `request` within `timeout_s` seconds or raise QueryTimeout. Also raises BadRequest
        (the server refused the query text), NotAcceptable, ResultTooLarge, StoreUnavailable."""
        deadline = time.monotonic() + timeout_s
        stop = threading.Event()
        future: Future[QueryResult | RegistryError] = self._pool.submit(
            self._contained, request, deadline, stop
        )
        try:
            outcome = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except FutureTimeout:
            stop.set()
            future.cancel()
            raise QueryTimeout(
                f"The query ran past its time limit of {timeout_s:g} s and was stopped.", timeout_s=timeout_s
            ) from None
        if isinstance(outcome, RegistryError):
            raise outcome
        return outcome

    def _contained(
        self, request: QueryRequest, deadline: float, stop: threading.Event
    ) -> QueryResult | RegistryError:
        """`_answer`, with any error returned as a fresh exception: pyoxigraph's parsers may only be
        dropped by the thread that made them, and a raised error's traceback would carry them along."""
        try:
            return self._answer(request, deadline, stop)
        except RegistryError as exc:
            error = type(exc)(exc.detail, **exc.extensions)
        except Exception as exc:  # never let a reference escape; the caller gets a 500 with the reason
            error = RegistryError(f"The query failed: {type(exc).__name__}: {exc}")
        return error

    def _answer(self, request: QueryRequest, deadline: float, stop: threading.Event) -> QueryResult:
        # The same inspection as the embedded runners, before anything reaches the server: SERVICE and
        # updates refused, depth bounded, the dataset chosen from exactly the caller's graphs. It runs
        # here, in a pool thread, so its time counts against the query's deadline.
        shape = inspect(request.text, request.base_iri)
        default_graphs, named_graphs = request.dataset.choose(shape)
        text = (
            request.text
            if request.base_iri is None
            else f"BASE {NamedNode(request.base_iri)}\n{request.text}"
        )
        body = form(query=text, default_graphs=default_graphs, named_graphs=named_graphs)
        remaining = max(0.001, deadline - time.monotonic())
        try:
            with self._http.client.stream(
                "POST",
                self._http.endpoints.query,
                content=body,
                headers={"Content-Type": FORM, "Accept": ACCEPT},
                timeout=httpx.Timeout(remaining),
            ) as response:
                if response.status_code != 200:
                    response.read()
                    _refused(response)
                media = response.headers.get("content-type", "").split(";")[0].strip().lower()
                reader = _Body(response.iter_bytes(), stop)
                if media == RESULTS_JSON:
                    return _results(reader, request)
                if media == JSON_LD:
                    return _graph(reader, request)
                raise StoreUnavailable(
                    f"The SPARQL server answered in {media or 'no media type'}, not asked."
                )
        except _Stopped:
            raise QueryTimeout("stopped") from None  # nobody waits for this any more
        except httpx.TimeoutException:
            raise QueryTimeout("The SPARQL server did not answer within the time limit.") from None
        except httpx.TransportError as exc:
            raise StoreUnavailable(f"The SPARQL server did not answer: {exc}") from None
        except SyntaxError:
            # Measured: `oxigraph serve --timeout-s` ends a stopped query's 200 answer early.
            raise QueryTimeout(
                "The SPARQL server stopped the query before it finished; its incomplete answer is not sent."
            ) from None


def _refused(response: httpx.Response) -> None:
    message = response.text.strip()[:500]
    if 400 <= response.status_code < 500:
        raise BadRequest(f"Invalid SPARQL query: {message}")
    raise StoreUnavailable(f"The SPARQL server failed ({response.status_code}): {message}")


def _results(reader: _Body, request: QueryRequest) -> QueryResult:
    parsed = pyoxigraph.parse_query_results(cast(IO[bytes], reader), QueryResultsFormat.JSON)
    media = _need(request.results_type, results.RESULT_MEDIA_TYPES)
    if isinstance(parsed, QueryBoolean):
        _drain(reader)
        return QueryResult(results.boolean_document(bool(parsed), media), media)
    assert isinstance(parsed, QuerySolutions)
    variables = [v.value for v in parsed.variables]
    # solutions_document raises ResultTooLarge at row max+1; the parser raises SyntaxError on a cut-off.
    document = results.solutions_document(variables, (tuple(s) for s in parsed), media, request.max_results)
    _drain(reader)
    return QueryResult(document, media)


def _graph(reader: _Body, request: QueryRequest) -> QueryResult:
    media = _need(request.graph_type, GRAPH_MEDIA_TYPES)
    quads = pyoxigraph.parse(cast(IO[bytes], reader), format=RdfFormat.JSON_LD)
    return QueryResult(graph_document(quads, media, request.max_results), media)


def _drain(reader: _Body) -> None:
    """Read to the end: trailing bytes after a complete document mean the server appended an error."""
    rest = reader.read().strip()
    if rest:
        raise SyntaxError("trailing data after the results document")


def _need(media_type: str | None, offered: Any) -> str:
    if media_type is None:
        raise NotAcceptable(
            "None of the media types for this kind of query result matches the Accept header.",
            offered=list(offered),
        )
    return media_type
