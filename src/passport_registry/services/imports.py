"""Bulk import of passport files for one owner: every passport validated, each stored all-or-nothing.

Reads files and folders (recursively, in name order): JSON-LD, plain JSON (one passport, or an array of
passports), Turtle, N-Triples, N-Quads, TriG, RDF/XML (one passport a file), and JSON lines (`.jsonl`,
`.ndjson`: one plain-JSON passport a line). Accepted passports go to `store.bulk_load`; those refused
(unreadable, non-conforming, battery taken) are reported with their source and reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode

from passport_registry.errors import RegistryError
from passport_registry.rdf import EXTENSIONS, media_type_for_path
from passport_registry.rdf.formats import JSON
from passport_registry.services.passports import PassportService
from passport_registry.store import NewPassport

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
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.failed.append((str(path), exc.strerror or str(exc)))
            continue
        suffix = path.suffix.lower()
        if suffix in JSON_LINES:
            for number, line in enumerate(data.splitlines(), start=1):
                if line.strip():
                    yield Document(f"{path}:{number}", line, JSON)
            continue
        try:
            media_type = media_type_for_path(path)
        except RegistryError as exc:
            report.failed.append((str(path), exc.detail))
            continue
        yield from _split_array(str(path), data, media_type)


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


def import_passports(
    service: PassportService,
    paths: Iterable[Path],
    owner: str,
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and store every passport in `paths` for `owner`; `progress` hears how many were handled.

    Each passport gets a fresh IRI and is stored entirely or not at all; one bad passport never stops
    the others.
    """
    report = ImportReport()
    batch: list[tuple[str, NewPassport]] = []
    for handled, document in enumerate(documents(paths, report), start=1):
        iri = service.mint()
        try:
            triples = service.prepare(document.body, document.media_type, iri, adopt_other_iri=True)
        except RegistryError as exc:
            report.failed.append((document.source, _reason(exc)))
        else:
            batch.append((document.source, NewPassport(iri, owner, triples)))
        if len(batch) >= BATCH:
            _load(service, batch, report)
            batch = []
        if progress is not None:
            progress(handled)
    if batch:
        _load(service, batch, report)
    return report


def _load(service: PassportService, batch: list[tuple[str, NewPassport]], report: ImportReport) -> None:
    sources = {item.iri.value: source for source, item in batch}
    outcome = service.registry.store.bulk_load(item for _, item in batch)
    report.loaded.extend((sources[iri.value], iri) for iri in outcome.loaded)
    report.failed.extend((sources[iri.value], reason) for iri, reason in outcome.rejected)


def _reason(error: RegistryError) -> str:
    violations = error.extensions.get("violations")
    if not violations:
        return error.detail
    first = violations[0]
    where = first.get("path") or "the passport"
    return f"{error.detail} First: {where}: {first.get('message')}"
