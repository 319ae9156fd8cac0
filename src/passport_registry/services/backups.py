"""Backups of a registry's data directory while it serves, and their restore into an empty one.

A backup is a directory:
- `store/`: a checkpoint of the passport store (`store/backup.py`), itself an Oxigraph store directory;
- `accounts.sqlite3`: a copy of the account database made with SQLite's online backup API;
- `manifest.json`: what it holds (quads, accounts) and when and how it was taken.

The passport store can be opened by one process only (Oxigraph's directory lock), so while a server runs
the server must take the checkpoint. It listens for that on a Unix socket in the data directory,
`<data-dir>/control.sock` (mode 0600: only the account that runs the server, which can read the data
directory anyway, can connect), and answers one request: write a checkpoint into a new directory.
`backup()` asks it there, and opens the store itself when no server answers. Why not a read-only open
of the live directory or an admin HTTP endpoint: docs/operations.md.

Each half is consistent on its own: the checkpoint holds every passport write acknowledged before it
began and none in part; the account copy is one SQLite snapshot. Nothing ties a passport write to an
account write (passports name organisations, which are text), so the two need not be one instant.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import socket
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from passport_registry import __version__
from passport_registry.accounts.sqlite import copy_database
from passport_registry.errors import ConfigurationError, Conflict
from passport_registry.store import EmbeddedPassportStore, PassportStore
from passport_registry.store.backup import backup_closed_store, count_quads, restore_store

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
FORMAT = 1
CONTROL_SOCKET = "control.sock"
#: Longest Unix socket path Linux accepts (sun_path is 108 bytes with its terminating NUL).
MAX_SOCKET_PATH = 107


@dataclass(frozen=True)
class BackupReport:
    target: Path
    quads: int
    accounts: int | None
    online: bool  # taken by the running server


@dataclass(frozen=True)
class RestoreReport:
    data_dir: Path
    quads: int
    accounts: int | None


def backup(data_dir: Path, target: Path) -> BackupReport:
    """Back up the registry in `data_dir` (embedded store, SQLite accounts) into the new directory `target`.

    Asks the server running on `data_dir`, if any, to checkpoint its store; otherwise opens the store.
    Raises ConfigurationError when `target` exists and is not empty, or when there is no store in
    `data_dir`; Conflict when a server holds the store but cannot be reached on its control socket."""
    store_dir = data_dir / "store"
    if not (store_dir / "CURRENT").is_file():
        raise ConfigurationError(f"There is no passport store in {data_dir} (expected {store_dir}).")
    if target.exists() and any(target.iterdir()):
        raise ConfigurationError(f"{target} exists and is not empty: a backup goes into a new directory.")
    created = not target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        return _write_backup(data_dir, target)
    except BaseException:
        _empty(target, remove=created)  # never leave half a backup that looks like one
        raise


def _write_backup(data_dir: Path, target: Path) -> BackupReport:
    store_dir = data_dir / "store"
    started = datetime.now(UTC)
    online = request_checkpoint(data_dir, target / "store")
    if not online:
        try:
            backup_closed_store(store_dir, target / "store")
        except Conflict as exc:
            raise Conflict(
                f"{exc.detail} A running server takes the checkpoint itself when asked on "
                f"{data_dir / CONTROL_SOCKET}, which did not answer (see docs/operations.md)."
            ) from exc
    accounts_file = data_dir / "accounts" / "accounts.sqlite3"
    accounts = copy_database(accounts_file, target / "accounts.sqlite3") if accounts_file.exists() else None
    quads = count_quads(target / "store")
    manifest = {
        "format": FORMAT,
        "registry_version": __version__,
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "source": str(data_dir.resolve()),
        "taken_by": "server" if online else "command",
        "quads": quads,
        "accounts": accounts,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BackupReport(target, quads, accounts, online)


def restore(source: Path, data_dir: Path) -> RestoreReport:
    """Restore the backup `source` into `data_dir`, which must hold no store and no accounts.

    Checks the copy: the restored store holds the manifest's number of quads, the account copy passes
    SQLite's integrity check. Raises ConfigurationError for a directory that is not a backup, a data
    directory in use, or a copy that does not match."""
    try:
        manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(
            f"{source} is not a backup of this registry (no readable {MANIFEST})."
        ) from exc
    if manifest.get("format") != FORMAT or not (source / "store").is_dir():
        raise ConfigurationError(f"{source} is not a backup this version can restore (format {FORMAT}).")
    taken = [p for p in ("store", "accounts") if (data_dir / p).exists()]
    if taken:
        raise ConfigurationError(
            f"{data_dir} already holds {' and '.join(taken)}: restore into an empty data directory."
        )
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        return _restore(source, data_dir, manifest)
    except BaseException:
        for made in ("store", "accounts"):  # leave the data directory as empty as it was
            shutil.rmtree(data_dir / made, ignore_errors=True)
        raise


def _restore(source: Path, data_dir: Path, manifest: dict[str, Any]) -> RestoreReport:
    restore_store(source / "store", data_dir / "store")
    quads = count_quads(data_dir / "store")
    if quads != manifest["quads"]:
        raise ConfigurationError(
            f"The restored store holds {quads} quads, the backup's manifest {manifest['quads']}."
        )
    accounts = None
    if (source / "accounts.sqlite3").is_file():
        try:
            accounts = copy_database(source / "accounts.sqlite3", data_dir / "accounts" / "accounts.sqlite3")
        except sqlite3.Error as exc:
            raise ConfigurationError(f"The backup's account database cannot be restored: {exc}") from exc
        if manifest.get("accounts") is not None and accounts != manifest["accounts"]:
            raise ConfigurationError(
                f"The restored accounts hold {accounts} users, the backup's manifest {manifest['accounts']}."
            )
    return RestoreReport(data_dir, quads, accounts)


def _empty(directory: Path, *, remove: bool) -> None:
    if remove:
        shutil.rmtree(directory, ignore_errors=True)
        return
    for entry in directory.iterdir():
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


# -- the server's side --------------------------------------------------------------------------------


def request_checkpoint(data_dir: Path, target: Path, timeout_s: float = 600.0) -> bool:
    """Ask the server running on `data_dir` to checkpoint its store into `target`. False when no server
    listens there; raises Conflict when it refuses or fails (its reason in the detail)."""
    path = data_dir / CONTROL_SOCKET
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout_s)
        try:
            client.connect(str(path))
        except (ConnectionRefusedError, FileNotFoundError):
            return False  # a socket file left by a server that was killed
        request = {"command": "checkpoint", "target": str(target.resolve())}
        client.sendall(json.dumps(request).encode() + b"\n")
        answer = json.loads(client.makefile("rb").readline() or b"{}")
    if not answer.get("ok"):
        raise Conflict(f"The server could not take the checkpoint: {answer.get('error', 'no answer')}")
    return True


class ControlChannel:
    """The Unix socket on which a server with an embedded store takes checkpoints for `backup()`.

    One thread accepts connections and answers them one at a time (a request names a new directory; the
    answer comes once the checkpoint is written). No polling: `close()` wakes the thread by connecting."""

    def __init__(self, listener: socket.socket, path: Path, store: EmbeddedPassportStore) -> None:
        self._listener = listener
        self._path = path
        self._store = store
        self._closing = False
        self._thread = threading.Thread(target=self._serve, name="control-channel", daemon=True)
        self._thread.start()

    @classmethod
    def open(cls, data_dir: Path | None, store: PassportStore) -> ControlChannel | None:
        """Listen on `<data_dir>/control.sock` when `store` is embedded on disk; None otherwise (a remote
        store is backed up where it lives), or when the socket cannot be made (logged: the server runs,
        and backups need it stopped)."""
        if data_dir is None or not isinstance(store, EmbeddedPassportStore):
            return None
        path = data_dir / CONTROL_SOCKET
        if len(os.fsencode(path)) > MAX_SOCKET_PATH:
            log.warning("%s is too long for a Unix socket: backups need the server stopped", path)
            return None
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            path.unlink(missing_ok=True)  # left by a server that was killed; this process holds the store
            listener.bind(str(path))
            os.chmod(path, 0o600)  # before listening: nobody else can connect in between
            listener.listen(4)
        except OSError:
            log.exception("cannot listen on %s: backups need the server stopped", path)
            listener.close()
            return None
        return cls(listener, path, store)

    def close(self) -> None:
        self._closing = True
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as wake:
            wake.connect(str(self._path))
        self._thread.join(timeout=10)
        self._listener.close()
        self._path.unlink(missing_ok=True)

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            with connection:
                if self._closing:
                    return
                connection.settimeout(10.0)
                with contextlib.suppress(OSError):
                    self._answer(connection)

    def _answer(self, connection: socket.socket) -> None:
        try:
            with connection.makefile("rb") as reader:
                request = json.loads(reader.readline(4096))
            if not isinstance(request, dict) or request.get("command") != "checkpoint":
                raise ValueError("unknown request")
            target = Path(str(request.get("target")))
            if not target.is_absolute():
                raise ValueError("the target must be an absolute path")
            self._store.backup(target)
            answer: dict[str, Any] = {"ok": True}
            log.info("checkpoint of the passport store written to %s", target)
        except (OSError, ValueError, RuntimeError) as exc:
            answer = {"ok": False, "error": str(exc)}
        connection.sendall(json.dumps(answer).encode() + b"\n")
