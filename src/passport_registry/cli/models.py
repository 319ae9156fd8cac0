"""`convert` and `schema`: other passport models into our JSON-LD, and the JSON Schema from the shapes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer


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


def convert(
    files: Annotated[
        list[Path], typer.Argument(help="Source documents (JSON); several for Battery Pass aspects.")
    ],
    source: Annotated[
        str,
        typer.Option(
            "--from",
            help="Source data model: batterypass (v1.2.x aspects), catenax (6.1.0) or aas (IDTA-02035 AAS "
            "JSON environments, submodels or SAMM payloads; several files make one passport).",
        ),
    ],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write the passport here.")] = None,
    supplement: Annotated[
        Path | None,
        typer.Option(
            "--supplement",
            help="JSON object (our keys) of attributes the source cannot express; adds, never overrides.",
        ),
    ] = None,
) -> None:
    """Convert other battery passport models to our JSON-LD; list what could not be carried on stderr.

    Exit status: 0 when every value was carried or deliberately left out as unmapped (notes included), 1
    when some values could not be expressed (the passport is still written), 2 when the input cannot be
    converted at all (or the supplement gives a key the import already holds).
    """
    import json

    from passport_registry.errors import UnprocessableInput
    from passport_registry.importers import aas, batterypass, catenax

    if source not in ("batterypass", "catenax", "aas"):
        typer.echo("error: --from must be batterypass, catenax or aas.", err=True)
        raise typer.Exit(2)
    if source == "catenax" and len(files) != 1:
        typer.echo("error: a Catena-X passport is one document; give one file.", err=True)
        raise typer.Exit(2)
    documents = [_json_file(path) for path in files]
    extra = None if supplement is None else _json_file(supplement)
    try:
        if source == "batterypass":
            result = batterypass.convert(documents, supplement=extra)
        elif source == "aas":
            result = aas.convert(documents, supplement=extra)
        else:
            result = catenax.convert(documents[0], supplement=extra)
    except UnprocessableInput as exc:
        # Name the file at fault: the payload the importer names, the supplement, or the one file.
        at = exc.extensions.get("payload", 0 if source == "catenax" else None)
        first = exc.extensions.get("first")
        where = supplement if exc.extensions.get("supplement") else None if at is None else files[at]
        also = "" if first is None else f" The first: {files[first]}."
        typer.echo(f"error: {where}: {exc.detail}{also}" if where else f"error: {exc.detail}", err=True)
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


def _json_file(path: Path) -> Any:
    """The JSON value in `path`; exit 2 with a message that names the file when it cannot be read."""
    import json

    try:
        # bytes: json detects UTF-8, UTF-16 and UTF-32 with or without a BOM (upstream Battery Pass files
        # are UTF-16LE with a BOM)
        return json.loads(path.read_bytes())
    except OSError as exc:
        typer.echo(f"error: {path}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from exc
    except ValueError as exc:
        typer.echo(f"error: {path}: not JSON: {exc}", err=True)
        raise typer.Exit(2) from exc
