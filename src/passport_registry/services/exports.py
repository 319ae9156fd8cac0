"""Export of passports: the current version of every live passport (or one owner's), every access group.

Formats, each written as the export goes (one passport at a time, never the whole store in memory):

- `nquads` and `trig`: each passport in a named graph named after the passport IRI; `import` reads such a
  dataset back as one passport a graph;
- `jsonl`: one compacted JSON-LD document a line, naming the stable context URL (`resources.CONTEXT_URL`),
  so any registry (and any JSON-LD processor) reads it; `import` reads `.jsonl` files.

Registry metadata (owner, versions, history, successor claims) is not exported: an import creates fresh
passports, with fresh IRIs, for the owner it is given.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import BinaryIO

from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from passport_registry.access import ALL_GROUPS
from passport_registry.jsonld import compact
from passport_registry.resources import CONTEXT_URL
from passport_registry.services.registry import Registry
from passport_registry.store import ListFilters, PassportRecord, Status

#: Passports listed a page.
PAGE = 1000


class ExportFormat(StrEnum):
    NQUADS = "nquads"
    TRIG = "trig"
    JSONL = "jsonl"


def exported(registry: Registry, owner: str | None) -> list[PassportRecord]:
    """The live passports an export of `owner` (of every owner when None) writes, in IRI order."""
    records: list[PassportRecord] = []
    cursor = None
    while True:
        page = registry.store.list_owned(
            owner, cursor=cursor, limit=PAGE, filters=ListFilters(status=Status.LIVE)
        )
        records.extend(page.items)
        if page.next_cursor is None:
            return records
        cursor = page.next_cursor


def export_passports(
    registry: Registry,
    records: list[PassportRecord],
    out: BinaryIO,
    export_format: ExportFormat,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the current version of each passport of `records` (every access group) to `out` in
    `export_format`; `progress` hears how many are written. Returns how many were written."""
    written = 0
    for written, chunk in enumerate(_chunks(registry, records, export_format), start=1):
        out.write(chunk)
        if progress is not None:
            progress(written)
    return written


def _chunks(
    registry: Registry, records: list[PassportRecord], export_format: ExportFormat
) -> Iterator[bytes]:
    for record in records:
        triples = registry.store.get(record.iri, ALL_GROUPS).triples
        if export_format == ExportFormat.JSONL:
            document = compact(triples, record.iri, registry.context, CONTEXT_URL)
            yield json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
            continue
        graph = NamedNode(record.iri.value)
        quads = [Quad(t.subject, t.predicate, t.object, graph) for t in triples]
        rdf_format = RdfFormat.N_QUADS if export_format == ExportFormat.NQUADS else RdfFormat.TRIG
        yield serialize(quads, format=rdf_format) or b""
