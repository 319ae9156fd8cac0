"""What `serve` checks and prints before it serves: the port, the store's base URL, and in development mode
the example passports and the shell line the README's examples need."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from passport_registry.config import Settings
    from passport_registry.services.passports import PassportService


def port_free(host: str, port: int) -> bool:
    """Whether `host:port` can be bound now (as uvicorn will, with SO_REUSEADDR)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def check_base_url(settings: Settings) -> None:
    """Refuse (exit 2, saying what to do) a data dir whose passports lie under another base URL; in
    development mode move them to this one instead, and say so."""
    from passport_registry.errors import RegistryError
    from passport_registry.services.registry import bind_store_base_url

    try:
        moved_from = bind_store_base_url(settings, rebase=settings.dev)
    except RegistryError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    if moved_from is not None:
        typer.echo(
            f"The passports in {settings.data_dir} were made under {moved_from}; development mode moved "
            f"them to {settings.base_url} (their IRIs changed)."
        )


def examples_dir() -> Path | None:
    """`examples/passports` of the working directory, else of the source checkout this package runs from."""
    for root in (Path.cwd(), Path(__file__).resolve().parents[3]):
        candidate = root / "examples" / "passports"
        if candidate.is_dir():
            return candidate
    return None


def example_loader(owner: str, base_url: str, passwords: dict[str, str]) -> Callable[[PassportService], None]:
    def load(passports: PassportService) -> None:
        from passport_registry.services.imports import import_passports
        from passport_registry.store import ListFilters, Status

        folder = examples_dir()
        if folder is None:
            typer.echo("No examples/passports folder found; starting without examples.", err=True)
            return
        report = import_passports(passports, [folder], owner)
        files = {iri.value: Path(source).name for source, iri in report.loaded}
        for source, reason in report.failed:
            if "already has a live passport" not in reason:
                typer.echo(f"  not loaded: {Path(source).name}: {reason}")
        # Every start lists them, new or kept from an earlier start.
        page = passports.registry.store.list_owned(owner, limit=100, filters=ListFilters(status=Status.LIVE))
        typer.echo(f"Example passports of {owner} ({len(report.loaded)} loaded now from {folder}):")
        for record in page.items:
            note = files.get(
                record.iri.value, f"kept from an earlier start: battery {record.facts.battery_id}"
            )
            typer.echo(f"  {record.iri.value}  ({note})")
        first = page.items[0].iri if page.items else None
        print_exports(base_url, passwords, None if first is None else passports.id_of(first))
        typer.echo(f"Try: curl -H 'Accept: text/turtle' {base_url}/passports/$EXAMPLE_ID")

    return load


def print_exports(base_url: str, passwords: dict[str, str], passport_id: str | None) -> None:
    """The shell line that defines what the README's examples use."""
    import shlex

    names = {"R": base_url, **passwords, **({"EXAMPLE_ID": passport_id} if passport_id else {})}
    typer.echo("For the README's examples, paste into your shell:")
    typer.echo("  export " + " ".join(f"{k}={shlex.quote(v)}" for k, v in names.items()))
