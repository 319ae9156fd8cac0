"""The `passport-registry` command line: each command calls services; no business logic here."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Battery passport registry.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    data_dir: Annotated[
        Path | None, typer.Option(help="Directory of the embedded store (default: in memory).")
    ] = None,
    base_url: Annotated[str | None, typer.Option(help="Public base URL that passport IRIs use.")] = None,
    store_url: Annotated[
        str | None, typer.Option(help="SPARQL 1.1 server instead of the embedded store.")
    ] = None,
    dev: Annotated[bool, typer.Option("--dev", help="Development mode: random secret, demo login.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (remote store only).")] = 1,
    load_examples: Annotated[
        bool, typer.Option("--load-examples", help="Load examples/ at start-up.")
    ] = False,
) -> None:
    """Serve the registry over HTTP."""
    import uvicorn

    from passport_registry.api.app import create_app
    from passport_registry.config import Settings
    from passport_registry.errors import ConfigurationError

    overrides: dict[str, object] = {"dev": dev}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if store_url is not None:
        overrides["store_url"] = store_url
    overrides["base_url"] = base_url or f"http://{host}:{port}"
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ConfigurationError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    if workers != 1 and settings.store_url is None:
        typer.echo("error: several workers need a shared store (--store-url).", err=True)
        raise typer.Exit(2)
    typer.echo(f"Battery passport registry on {settings.base_url}  (API docs: {settings.base_url}/docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def schema(
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", help="File to write, - for stdout (default: the committed one)."),
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Fail if the output file is out of date.")] = False,
) -> None:
    """Generate the JSON Schema for plain-JSON passports from the SHACL shapes and the JSON-LD context."""
    from passport_registry.json_schema import main as generate

    args = ["-o", output] if output is not None else []
    raise typer.Exit(generate([*args, "--check"] if check else args))


@app.command()
def convert(
    files: Annotated[
        list[Path], typer.Argument(help="Source documents (JSON); several for Battery Pass aspects.")
    ],
    source: Annotated[
        str,
        typer.Option("--from", help="Source data model: batterypass (v1.2.x aspects) or catenax (6.1.0)."),
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the passport here.")] = None,
) -> None:
    """Convert other battery passport models to our JSON-LD; list what could not be carried on stderr.

    Exit status: 0 when every value was carried or deliberately left out as unmapped, 1 when some values
    could not be expressed (the passport is still written), 2 when the input cannot be converted at all.
    """
    import json

    from passport_registry.errors import UnprocessableInput
    from passport_registry.importers import batterypass, catenax

    if source not in ("batterypass", "catenax"):
        typer.echo("error: --from must be batterypass or catenax.", err=True)
        raise typer.Exit(2)
    try:
        # bytes: json detects UTF-8, UTF-16 and UTF-32 with or without a BOM (upstream Battery Pass files
        # are UTF-16LE with a BOM)
        documents = [json.loads(path.read_bytes()) for path in files]
    except (OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    if source == "catenax" and len(documents) != 1:
        typer.echo("error: a Catena-X passport is one document; give one file.", err=True)
        raise typer.Exit(2)
    try:
        result = batterypass.convert(documents) if source == "batterypass" else catenax.convert(documents[0])
    except UnprocessableInput as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    text = json.dumps(result.passport, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
    for issue in result.issues:
        typer.echo(json.dumps(issue.as_dict(), ensure_ascii=False), err=True)
    if result.errors:
        raise typer.Exit(1)


def main() -> None:  # pragma: no cover - console entry point
    app()
