"""Bulk import of passport files for one owner: every passport validated, each stored all-or-nothing.

Reads files and folders (recursively, in name order): JSON-LD, plain JSON (one passport, or an array of
passports), Turtle, N-Triples, N-Quads, TriG, RDF/XML (one passport a file; N-Quads and TriG as `export`
writes them, one passport a named graph: `datasets.py`), and JSON lines (`.jsonl`,
`.ndjson`: one plain-JSON passport a line). Accepted passports go to `store.bulk_load`; those refused
(unreadable, non-conforming, battery taken) are reported with their source and reason. Storing a batch
runs in a thread (Oxigraph's bulk load releases the GIL) while the next batch is parsed and validated;
with `workers`, parsing and validating also run in worker processes.
"""

from __future__ import annotations

import functools
import itertools
import json
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from passport_registry.config import Settings
from passport_registry.errors import RegistryError
from passport_registry.rdf import EXTENSIONS, media_type_for_path
from passport_registry.rdf.formats import JSON
from passport_registry.services.datasets import count_passport_graphs, passport_graphs
from passport_registry.services.passports import PassportService
from passport_registry.services.registry import Registry
from passport_registry.store import NewPassport, StagedPassport, stage

JSON_LINES = (".jsonl", ".ndjson")
#: Passports validated before each bulk load.
BATCH = 500


@dataclass(frozen=True)
class Document:
    """One passport to import: where it came from (`file` or `file:line`), its bytes and media type."""

    source: str
    body: bytes
    media_type: str


@dataclass
class ImportReport:
    """What an import did: passports loaded (source, IRI) and documents refused (source, reason)."""

    loaded: list[tuple[str, NamedNode]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def documents(paths: Iterable[Path], report: ImportReport) -> Iterator[Document]:
    """The passports in `paths`; unreadable files and unknown extensions are added to `report.failed`."""
    for path in paths:
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p))
            yield from documents(children, report)
            continue
        if path.suffix.lower() in JSON_LINES:
            yield from _json_lines(path, report)
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.failed.append((str(path), exc.strerror or str(exc)))
            continue
        try:
            media_type = media_type_for_path(path)
        except RegistryError as exc:
            report.failed.append((str(path), exc.detail))
            continue
        graphs = passport_graphs(data, media_type)
        if graphs is not None:
            try:
                for graph, body, body_type in graphs:
                    yield Document(f"{path} graph <{graph}>", body, body_type)
            except SyntaxError as exc:
                report.failed.append((str(path), f"not {media_type} from here on: {exc}"))
            continue
        yield from _split_array(str(path), data, media_type)


def _json_lines(path: Path, report: ImportReport) -> Iterator[Document]:
    """One document a non-blank line, read as the import goes: a file of any size is never held whole."""
    try:
        with path.open("rb") as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield Document(f"{path}:{number}", line.rstrip(b"\r\n"), JSON)
    except OSError as exc:
        report.failed.append((str(path), exc.strerror or str(exc)))


def _wanted(path: Path) -> bool:
    suffix = path.suffix.lower()
    return suffix in JSON_LINES or (suffix in EXTENSIONS and suffix not in (".xml", ".owl"))


def _split_array(source: str, data: bytes, media_type: str) -> Iterator[Document]:
    """A JSON file holding an array of passports gives one document per element."""
    if media_type == JSON and data.lstrip().startswith(b"["):
        try:
            items = json.loads(data)
        except ValueError:
            items = None
        if isinstance(items, list):
            for index, item in enumerate(items):
                yield Document(f"{source}[{index}]", json.dumps(item).encode("utf-8"), JSON)
            return
    yield Document(source, data, media_type)


def count_documents(paths: Iterable[Path]) -> int:
    """How many documents `documents(paths, ...)` will yield (for a progress estimate): reads the files
    (JSON lines a line at a time) but parses only JSON arrays."""
    total = 0
    for path in paths:
        if path.is_dir():
            total += count_documents(sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p)))
            continue
        try:
            if path.suffix.lower() in JSON_LINES:
                with path.open("rb") as lines:
                    total += sum(1 for line in lines if line.strip())
                continue
            data = path.read_bytes()
        except OSError:
            continue
        graphs = count_passport_graphs(data, EXTENSIONS.get(path.suffix.lower(), ""))
        if graphs is not None:
            total += graphs
        elif path.suffix.lower() in (".json",) and data.lstrip().startswith(b"["):
            try:
                items = json.loads(data)
            except ValueError:
                items = None
            total += len(items) if isinstance(items, list) else 1
        else:
            total += 1
    return total


#: A prepared document: its source, and the passport staged for storing or the reason it was refused.
Prepared = tuple[str, StagedPassport | str]


def import_passports(
    service: PassportService,
    paths: Iterable[Path],
    owner: str,
    *,
    progress: Callable[[int], None] | None = None,
    workers: int = 0,
) -> ImportReport:
    """Validate and store every passport in `paths` for `owner`; `progress` hears how many were handled.

    Each passport gets a fresh IRI and is stored entirely or not at all; one bad passport never stops
    the others. Each document is parsed, validated and staged (partitioned and written out as N-Quads);
    a batch of staged passports is stored in a thread while the next batch is prepared. With `workers`
    > 0, that many processes prepare one window of documents ahead, so this process only stores; the
    outcome is the same as with none.
    """
    report = ImportReport()
    docs = documents(paths, report)
    if workers > 0:
        prepared = _prepare_in_pool(service, docs, owner, workers)
    else:
        prepared = _prepare_here(service, docs, owner)
    batch: list[tuple[str, StagedPassport]] = []
    # One batch is stored in a thread (Oxigraph's bulk load releases the GIL) while the next is
    # prepared; at most one is in flight, and batches are stored in input order, so the guards (IRI
    # unused, battery free) see every earlier batch.
    with ThreadPoolExecutor(1, thread_name_prefix="import-store") as storer:
        storing: Future[_Stored] | None = None
        for handled, (source, outcome) in enumerate(prepared, start=1):
            if isinstance(outcome, str):
                report.failed.append((source, outcome))
            else:
                batch.append((source, outcome))
            if len(batch) >= BATCH:
                if storing is not None:
                    _merge(storing.result(), report)
                storing = storer.submit(_load, service, batch)
                batch = []
            if progress is not None:
                progress(handled)
        if storing is not None:
            _merge(storing.result(), report)
    if batch:
        _merge(_load(service, batch), report)
    return report


def _prepare_here(service: PassportService, docs: Iterable[Document], owner: str) -> Iterator[Prepared]:
    for document in docs:
        yield document.source, _prepare(service, document.body, document.media_type, service.mint(), owner)


def _prepare(
    service: PassportService, body: bytes, media_type: str, iri: NamedNode, owner: str
) -> StagedPassport | str:
    """`body` parsed, validated and staged as passport `iri` of `owner`, or the reason it is refused."""
    try:
        triples = service.prepare(body, media_type, iri, adopt_other_iri=True)
        return stage(NewPassport(iri, owner, triples), service.registry.resolver)
    except RegistryError as exc:
        return _reason(exc)


def _prepare_in_pool(
    service: PassportService, docs: Iterable[Document], owner: str, workers: int
) -> Iterator[Prepared]:
    """`_prepare_here` in `workers` processes, in input order, one window of `BATCH` documents ahead."""
    spawn = multiprocessing.get_context("spawn")  # never fork a process that holds the open store
    with ProcessPoolExecutor(workers, mp_context=spawn) as pool:
        ahead: deque[tuple[list[Document], Iterator[StagedPassport | str]]] = deque()
        window_iter = iter(docs)
        while window := list(itertools.islice(window_iter, BATCH)):
            jobs = [
                _Job(
                    d.body,
                    d.media_type,
                    service.mint().value,
                    owner,
                    service.base_url,
                    service.limits.max_bytes,
                    service.context_url,
                    service.registry.vocabulary.files.directory,
                )
                for d in window
            ]
            ahead.append((window, pool.map(_prepare_job, jobs, chunksize=max(1, BATCH // (8 * workers)))))
            if len(ahead) > 1:  # the next window is submitted: hand out (and store) the previous one
                yield from _unpack(*ahead.popleft())
        while ahead:
            yield from _unpack(*ahead.popleft())


def _unpack(window: list[Document], results: Iterator[StagedPassport | str]) -> Iterator[Prepared]:
    for document, result in zip(window, results, strict=True):
        yield document.source, result


@dataclass(frozen=True)
class _Job:
    body: bytes
    media_type: str
    iri: str
    owner: str
    base_url: str
    max_bytes: int
    context_url: str
    vocabulary_dir: Path | None = None


def _prepare_job(job: _Job) -> StagedPassport | str:
    """In a worker process: `_prepare` with a service of its own (a staged passport pickles)."""
    service = _worker_service(job.base_url, job.max_bytes, job.context_url, job.vocabulary_dir)
    return _prepare(service, job.body, job.media_type, NamedNode(job.iri), job.owner)


@functools.cache
def _worker_service(
    base_url: str, max_bytes: int, context_url: str, vocabulary_dir: Path | None
) -> PassportService:
    """One service per worker process (shapes compiled once, of the parent's vocabulary), over an
    in-memory store it never writes: only its parser and validator are used."""
    settings = Settings(dev=True, data_dir=None, base_url=base_url, vocabulary_dir=vocabulary_dir)
    registry = Registry.open(settings)
    return PassportService(registry, base_url, max_bytes=max_bytes, context_url=context_url)


#: What storing one batch did: passports loaded and passports refused, each with its source.
_Stored = tuple[list[tuple[str, NamedNode]], list[tuple[str, str]]]


def _load(service: PassportService, batch: list[tuple[str, StagedPassport]]) -> _Stored:
    sources = {item.iri.value: source for source, item in batch}
    outcome = service.registry.store.bulk_load(item for _, item in batch)
    loaded = [(sources[iri.value], iri) for iri in outcome.loaded]
    return loaded, [(sources[iri.value], reason) for iri, reason in outcome.rejected]


def _merge(stored: _Stored, report: ImportReport) -> None:
    report.loaded.extend(stored[0])
    report.failed.extend(stored[1])


def _reason(error: RegistryError) -> str:
    violations = error.extensions.get("violations")
    if not violations:
        return error.detail
    first = violations[0]
    where = first.get("path") or "the passport"
    return f"{error.detail} First: {where}: {first.get('message')}"
