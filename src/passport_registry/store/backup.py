"""Backups of the embedded passport store: a RocksDB checkpoint of its directory, and its restore.

A checkpoint (`Store.backup`) flushes the store's memory tables and then hard-links (or, on another file
system, copies) its immutable table files and copies its manifest into a new directory that nothing
writes to again. It holds every transaction committed before it began and none in part (a transaction
is one RocksDB write batch; a bulk load chunk one atomic ingest), and the writer keeps writing while it
is taken. The result is itself a store directory: `Store(path)` opens it, and restoring is copying it.

The process that has the store open must take the checkpoint (Oxigraph's directory lock keeps every
other process out, and a read-only open beside a writer is undefined behaviour in Oxigraph):
`EmbeddedPassportStore.backup` in the server, `backup_closed_store` when no server runs.
The SPARQL snapshots (`<store>.snapshots/`) are not part of a checkpoint and a restore does not need
them: they are taken afresh by the next server.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pyoxigraph import Store

from passport_registry.errors import Conflict


class StoreInUse(Conflict):
    """Another process (a running server) holds the store's directory lock."""


def backup_closed_store(source: Path, target: Path) -> None:
    """Checkpoint the store at `source` into the new directory `target`, when no server holds it.

    Raises StoreInUse when another process has the store open, FileNotFoundError when there is none."""
    if not (source / "CURRENT").is_file():
        raise FileNotFoundError(f"no passport store in {source}")
    try:
        store = Store(str(source))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreInUse(f"The passport store in {source} is open in another process.") from exc
        raise
    try:
        store.backup(str(target))
    finally:
        store.flush()
        del store  # releases the directory lock


def count_quads(path: Path) -> int:
    """The number of quads in the store directory `path` (a checkpoint or a closed store)."""
    store = Store.read_only(str(path))
    return len(store)


def restore_store(backup: Path, target: Path) -> None:
    """Copy the checkpoint `backup` to the store directory `target`, which must not exist.

    The copy is made beside `target` and renamed into place, so `target` either holds the whole copy or
    does not exist."""
    if target.exists():
        raise FileExistsError(f"{target} exists")
    partial = target.with_name(target.name + ".restoring")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(backup, partial)
    _sync_directory(partial)
    os.rename(partial, target)
    _sync_directory(target.parent)


def _sync_directory(path: Path) -> None:
    for entry in path.iterdir():
        if entry.is_file():
            with entry.open("rb") as handle:
                os.fsync(handle.fileno())
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
