"""The `export`, `rebase`, `backup` and `restore` commands (registered on the app in `cli/__init__.py`):
passports out of a registry, a data directory moved to another base URL, and a data directory backed up
and restored."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from passport_registry.config import Settings

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        help="Data directory of the registry (stop the server first).", envvar="PASSPORT_REGISTRY_DATA_DIR"
    ),
]


def export(
    data_dir: DataDirOption = None,
    store_url: Annotated[
        str | None,
        typer.Option(
            help="SPARQL 1.1 server of the registry instead of a data directory (safe while it serves).",
            envvar="PASSPORT_REGISTRY_STORE_URL",
        ),
    ] = None,
    owner: Annotated[
        str | None, typer.Option(help="Only this organisation's passports (default: every owner's).")
    ] = None,
    export_format: Annotated[
        str, typer.Option("--format", help="nquads or trig (a named graph a passport), or jsonl.")
    ] = "nquads",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File to write (default: standard output).")
    ] = None,
) -> None:
    """Export the current version of every live passport (or one owner's), every access group.

    `import` reads the file back (a passport a graph, or a line). Exit status: 0 done, 2 refused.
    """
    from passport_registry.config import Settings
    from passport_registry.errors import RegistryError
    from passport_registry.progress import ProgressLine
    from passport_registry.services.exports import ExportFormat, export_passports, exported
    from passport_registry.services.registry import Registry

    try:
        chosen = ExportFormat(export_format)
    except ValueError as exc:
        typer.echo("error: --format must be nquads, trig or jsonl.", err=True)
        raise typer.Exit(2) from exc
    if (data_dir is None) == (store_url is None):
        typer.echo("error: give --data-dir or --store-url (one of them).", err=True)
        raise typer.Exit(2)
    if data_dir is not None and not (data_dir / "store").is_dir():
        typer.echo(f"error: {data_dir} holds no passport store.", err=True)
        raise typer.Exit(2)
    try:
        registry = Registry.open(Settings(dev=True, data_dir=data_dir, store_url=store_url), bind=False)
    except (RegistryError, OSError) as exc:
        detail = exc.detail if isinstance(exc, RegistryError) else f"{exc} (is the server running?)"
        typer.echo(f"error: {detail}", err=True)
        raise typer.Exit(2) from exc
    try:
        records = exported(registry, owner)
        bar = ProgressLine(sys.stderr, len(records), label="passports")
        if output is None:
            count = export_passports(registry, records, sys.stdout.buffer, chosen, progress=bar)
            sys.stdout.buffer.flush()
        else:
            with output.open("wb") as out:
                count = export_passports(registry, records, out, chosen, progress=bar)
        bar.finish()
    finally:
        registry.close()
    whose = f" of {owner}" if owner else ""
    typer.echo(
        f"Exported {count} passport(s){whose} as {chosen.value}" + (f" to {output}." if output else "."),
        err=True,
    )


def rebase(
    data_dir: Annotated[
        Path,
        typer.Option(
            help="Data directory of the registry (stop the server first).",
            envvar="PASSPORT_REGISTRY_DATA_DIR",
        ),
    ],
    base_url: Annotated[str, typer.Option(help="The base URL to serve the passports under from now on.")],
) -> None:
    """Move a data directory's passports to another base URL: every IRI under the old one is rewritten.

    Passport IRIs change (printed QR codes and links to the old ones stop resolving here). Safe to run
    again after an interruption. Exit status: 0 done (or nothing to do), 2 refused.
    """
    from passport_registry.config import Settings
    from passport_registry.errors import RegistryError
    from passport_registry.services.registry import bind_store_base_url

    if not (data_dir / "store").is_dir():
        typer.echo(f"error: {data_dir} holds no passport store.", err=True)
        raise typer.Exit(2)
    try:
        settings = Settings(dev=True, data_dir=data_dir, base_url=base_url)
        moved_from = bind_store_base_url(settings, rebase=True)
    except (RegistryError, OSError) as exc:
        detail = exc.detail if isinstance(exc, RegistryError) else str(exc)
        typer.echo(f"error: {detail}", err=True)
        raise typer.Exit(2) from exc
    if moved_from is None:
        typer.echo(f"The passports in {data_dir} are under {settings.base_url} already; nothing to do.")
    else:
        typer.echo(f"Moved the passports in {data_dir} from {moved_from} to {settings.base_url}.")


def backup(
    target: Annotated[Path, typer.Argument(help="New (or empty) directory to write the backup to.")],
    data_dir: Annotated[
        Path, typer.Option(help="Data directory of the registry.", envvar="PASSPORT_REGISTRY_DATA_DIR")
    ],
) -> None:
    """Back up the passport store and the accounts of a data directory, also while the server runs.

    The running server writes the store's checkpoint itself (asked on <data-dir>/control.sock). A store
    on a SPARQL server (--store-url) and accounts in PostgreSQL are backed up where they live
    (docs/operations.md)."""
    from passport_registry.config import Settings
    from passport_registry.errors import RegistryError
    from passport_registry.services.backups import backup as take_backup

    _refuse_external_stores(Settings(dev=True, data_dir=data_dir))
    try:
        report = take_backup(data_dir, target)
    except (RegistryError, OSError) as exc:
        typer.echo(f"error: {getattr(exc, 'detail', None) or exc}", err=True)
        raise typer.Exit(1) from exc
    by = "the running server" if report.online else "this command (no server running)"
    accounts = "no account database" if report.accounts is None else f"{report.accounts} account(s)"
    typer.echo(f"Backed up {report.quads} quads (checkpoint by {by}) and {accounts} to {report.target}.")


def restore(
    source: Annotated[Path, typer.Argument(help="A directory written by `passport-registry backup`.")],
    data_dir: Annotated[
        Path,
        typer.Option(help="Empty data directory to restore into.", envvar="PASSPORT_REGISTRY_DATA_DIR"),
    ],
) -> None:
    """Restore a backup into an empty data directory (then serve it with `serve --data-dir`)."""
    from passport_registry.errors import RegistryError
    from passport_registry.services.backups import restore as restore_backup

    try:
        report = restore_backup(source, data_dir)
    except (RegistryError, OSError) as exc:
        typer.echo(f"error: {getattr(exc, 'detail', None) or exc}", err=True)
        raise typer.Exit(1) from exc
    accounts = "no account database" if report.accounts is None else f"{report.accounts} account(s)"
    typer.echo(f"Restored {report.quads} quads and {accounts} into {report.data_dir}.")


def _refuse_external_stores(settings: Settings) -> None:
    if settings.store_url is not None:
        typer.echo(
            f"error: the passports live in the SPARQL server at {settings.store_url}: back up that server "
            "(for `oxigraph serve`, a dump of its whole dataset; docs/deployment.md).",
            err=True,
        )
        raise typer.Exit(2)
    if settings.accounts_url is not None:
        typer.echo(
            "error: the accounts live in PostgreSQL: back them up with pg_dump (restore: pg_restore; "
            "docs/deployment.md); unset PASSPORT_REGISTRY_ACCOUNTS_URL to back up the passport store.",
            err=True,
        )
        raise typer.Exit(2)
