"""`import` and `validate`: passport files into a registry's data directory, or checked against the shapes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer


def import_command(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders: .jsonld .json .ttl .nt .nq .trig .rdf .jsonl")
    ],
    owner: Annotated[str, typer.Option(help="Organisation (economic operator identifier) to own them.")],
    data_dir: Annotated[
        Path,
        typer.Option(
            help="Data directory of the registry (stop the server first).",
            envvar="PASSPORT_REGISTRY_DATA_DIR",
        ),
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Public base URL that passport IRIs use (default: the data directory's, else "
            "http://127.0.0.1:8000).",
            envvar="PASSPORT_REGISTRY_BASE_URL",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Processes that parse and validate while this one stores (default CPUs-1, max 4; 0 below 4)",
        ),
    ] = None,
) -> None:
    """Import passports: each validated and stored entirely or not at all; prints what failed and why.

    Exit status: 0 when every passport was imported, 1 when some were refused, 2 when the registry cannot
    be opened (its server running, another base URL).
    """
    from passport_registry.config import Settings
    from passport_registry.errors import RegistryError
    from passport_registry.progress import ProgressLine
    from passport_registry.services.imports import count_documents, import_passports
    from passport_registry.services.passports import PassportService
    from passport_registry.services.registry import Registry, stored_base_url

    if workers is None:  # on 2 CPUs the storing thread uses the second one (0, 2, 3 workers: same time)
        cpus = os.cpu_count() or 1
        workers = min(4, cpus - 1) if cpus >= 4 else 0
    try:
        if base_url is None:
            base_url = stored_base_url(Settings(dev=True, data_dir=data_dir)) or "http://127.0.0.1:8000"
        settings = Settings(dev=True, data_dir=data_dir, base_url=base_url)
        registry = Registry.open(settings)
    except (RegistryError, OSError) as exc:
        detail = exc.detail if isinstance(exc, RegistryError) else f"{exc} (is the server running?)"
        typer.echo(f"error: {detail}", err=True)
        raise typer.Exit(2) from exc
    try:
        service = PassportService(
            registry,
            settings.base_url,
            max_bytes=settings.max_request_bytes,
            context_url=settings.served_context_url,
        )

        bar = ProgressLine(sys.stderr, count_documents(paths), label="passports")
        report = import_passports(service, paths, owner, progress=bar, workers=workers)
        bar.finish()
    finally:
        registry.close()
    typer.echo(f"Imported {len(report.loaded)} passport(s) for {owner}; {len(report.failed)} refused.")
    for source, reason in report.failed:
        typer.echo(f"  {source}: {reason}", err=True)
    if report.failed:
        raise typer.Exit(1)


def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Passport files (.jsonld .json .ttl .nt .nq .trig .rdf .xml).")
    ],
    format_: Annotated[
        str | None,
        typer.Option("--format", help="Media type or extension (ttl, jsonld, ...) for every file."),
    ] = None,
) -> None:
    """Validate passport files against the shapes.

    Exit status: 0 when every file conforms, 1 when any does not (a file that holds no passport, or
    characters no output format could carry, is refused), 2 when any cannot be read.
    """
    from pyoxigraph import BlankNode

    from passport_registry.errors import RegistryError, UnprocessableInput
    from passport_registry.rdf import EXTENSIONS, media_type_for_path, parse
    from passport_registry.services.passport_input import passport_root, passport_triples
    from passport_registry.validation import Validator

    validator = Validator.from_resources()
    status = 0
    for path in files:
        try:
            media_type = format_ or media_type_for_path(path)
            if "/" not in media_type:
                media_type = EXTENSIONS.get("." + media_type.lstrip(".").lower(), media_type)
            body = path.read_bytes()
            # The rules POST /passports and /validate apply: one passport, in no registry graph.
            triples = passport_triples(parse(body, media_type, path.resolve().as_uri()))
            passport_root(triples)
            report = validator.validate(triples)
        except UnprocessableInput as exc:  # read, but no passport that could conform
            typer.echo(f"{path}: refused: {exc.detail}")
            status = max(status, 1)
            continue
        except (RegistryError, OSError) as exc:
            detail = exc.detail if isinstance(exc, RegistryError) else (exc.strerror or str(exc))
            typer.echo(f"{path}: unreadable: {detail}", err=True)
            status = 2
            continue
        if report.conforms:
            typer.echo(f"{path}: OK")
            continue
        status = max(status, 1)
        problems = report.problems
        typer.echo(f"{path}: {len(problems)} violation(s)")
        for v in problems:
            severity = v.severity.value.rsplit("#", 1)[-1]
            label = "" if severity == "Violation" else f"[{severity}] "
            where = v.path.value if v.path else "(node)"
            typer.echo(f"  - {label}{where}: {v.message or v.constraint_component.value}")
            steps = [step.value.rsplit("#", 1)[-1] for step in report.focus_path(v)]
            if steps:
                focus = f"{v.focus_node} (at {' / '.join(steps)})"
            elif isinstance(v.focus_node, BlankNode):
                focus = "the passport (a blank node; give it an @id to name it)"
            else:
                focus = str(v.focus_node)
            typer.echo(f"    focus node: {focus}" + ("" if v.value is None else f"  value: {v.value}"))
    raise typer.Exit(status)
