"""The `passport-registry` command line: each command calls services; no business logic here."""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from passport_registry import cli_data, cli_startup

if TYPE_CHECKING:
    from passport_registry.config import Settings
    from passport_registry.services.passports import PassportService

app = typer.Typer(help="Battery passport registry.", no_args_is_help=True)
users_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
accounts_app = typer.Typer(help="The account database (PostgreSQL).", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


AccountsUrlOption = Annotated[
    str | None,
    typer.Option(
        help="PostgreSQL database of the accounts (postgresql://user@host/database) instead of SQLite "
        "in the data directory. Prefer the environment variable (or a password file): command lines "
        "are visible to every local user.",
        envvar="PASSPORT_REGISTRY_ACCOUNTS_URL",
        show_envvar=True,
    ),
]


def _check_accounts_url(accounts_url: str | None) -> None:
    """Exit with status 2 and a clear message for an accounts URL that is not PostgreSQL's."""
    from passport_registry.config import check_accounts_url
    from passport_registry.errors import ConfigurationError

    if accounts_url is None:
        return
    try:
        check_accounts_url(accounts_url)
    except ConfigurationError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc


@users_app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(help="Email of the new admin (the login name).")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    display_name: Annotated[str, typer.Option(help="Name shown for the account.")] = "Administrator",
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Data directory of the registry.", envvar="PASSPORT_REGISTRY_DATA_DIR"),
    ] = None,
    accounts_url: AccountsUrlOption = None,
) -> None:
    """Create an admin account (first or further); prompts for the password without --password-stdin."""
    from pydantic import EmailStr, TypeAdapter, ValidationError

    from passport_registry.errors import RegistryError
    from passport_registry.services.accounts import user_service_at
    from passport_registry.services.users import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH

    if data_dir is None and accounts_url is None:
        typer.echo(
            "error: give --data-dir (or PASSPORT_REGISTRY_DATA_DIR) or, for accounts in PostgreSQL, "
            "--accounts-url (or PASSPORT_REGISTRY_ACCOUNTS_URL).",
            err=True,
        )
        raise typer.Exit(2)
    _check_accounts_url(accounts_url)
    try:
        address = TypeAdapter(EmailStr).validate_python(email)
    except ValidationError as exc:
        typer.echo("error: not a valid email address.", err=True)
        raise typer.Exit(2) from exc
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        typer.echo(
            f"error: the password needs {PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters.", err=True
        )
        raise typer.Exit(2)
    try:
        with user_service_at(data_dir, accounts_url) as users:
            user = users.bootstrap_admin(email=address, password=password, display_name=display_name)
    except RegistryError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    typer.echo(f"Created admin {user.email} (id {user.id}).")


@accounts_app.command("migrate")
def migrate_accounts(
    accounts_url: Annotated[
        str,
        typer.Option(
            help="PostgreSQL database of the accounts (postgresql://user@host/database).",
            envvar="PASSPORT_REGISTRY_ACCOUNTS_URL",
            show_envvar=True,
        ),
    ],
) -> None:
    """Apply the account database's schema migrations and print its version.

    Every start applies them too; run this as the database's owner when the registry's own role may
    not create tables. Safe while workers run. Exit status: 0 done, 1 failed (nothing changed), 2 bad URL.
    """
    from passport_registry.errors import RegistryError
    from passport_registry.services.accounts import migrate_accounts as migrate

    _check_accounts_url(accounts_url)
    try:
        done = migrate(accounts_url)
    except RegistryError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    if done.applied:
        versions = ", ".join(str(v) for v in done.applied)
        typer.echo(
            f"Account database {done.where}: applied migration(s) {versions}; now at version {done.version}."
        )
    else:
        typer.echo(f"Account database {done.where}: already at version {done.version}; nothing to do.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(help="Port to listen on.", envvar="PASSPORT_REGISTRY_PORT", show_envvar=True)
    ] = 8000,
    data_dir: Annotated[
        Path | None, typer.Option(help="Directory of the embedded store (default: in memory).")
    ] = None,
    base_url: Annotated[str | None, typer.Option(help="Public base URL that passport IRIs use.")] = None,
    store_url: Annotated[
        str | None, typer.Option(help="SPARQL 1.1 server instead of the embedded store.")
    ] = None,
    accounts_url: AccountsUrlOption = None,
    dev: Annotated[bool, typer.Option("--dev", help="Development mode: random secret, demo login.")] = False,
    workers: Annotated[int, typer.Option(help="Worker processes (remote store only).")] = 1,
    load_examples: Annotated[
        bool, typer.Option("--load-examples", help="Load examples/ at start-up.")
    ] = False,
    trusted_proxies: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is "
            "believed (default: none; the client address is the connection's peer)."
        ),
    ] = None,
) -> None:
    """Serve the registry over HTTP."""
    import uvicorn

    from passport_registry.api.app import create_app
    from passport_registry.config import Settings
    from passport_registry.errors import ConfigurationError, RegistryError
    from passport_registry.services.accounts import Accounts

    if dev and not _is_loopback(host):
        typer.echo("error: development mode serves only on a loopback address (127.0.0.1, ::1).", err=True)
        raise typer.Exit(2)
    overrides: dict[str, object] = {"dev": dev}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if store_url is not None:
        overrides["store_url"] = store_url
    if accounts_url is not None:
        overrides["accounts_url"] = accounts_url
    if trusted_proxies is not None:
        overrides["trusted_proxies"] = trusted_proxies
    overrides["base_url"] = base_url or f"http://{host}:{port}"
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ConfigurationError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    if workers != 1 and settings.store_url is None:
        typer.echo("error: several workers need a shared store (--store-url).", err=True)
        raise typer.Exit(2)
    if workers != 1 and settings.accounts_url is None and settings.data_dir is None:
        typer.echo(
            "error: several workers need shared accounts: --accounts-url (PostgreSQL) or --data-dir.",
            err=True,
        )
        raise typer.Exit(2)
    # Before anything is printed or written: a busy port is one line, not a banner and a traceback.
    if not cli_startup.port_free(host, port):
        typer.echo(
            f"error: port {port} on {host} is in use (is another server running?); choose another with "
            "--port or PASSPORT_REGISTRY_PORT (make run PORT=8001).",
            err=True,
        )
        raise typer.Exit(2)
    if settings.store_url is not None and workers == 1:
        _check_store_and_load(settings, None)  # one clear message if the server fails its checks
    elif settings.store_url is None and settings.data_dir is not None:
        cli_startup.check_base_url(settings)
    try:
        accounts = Accounts.open(settings)
    except RegistryError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    try:
        typer.echo(f"Battery passport registry on {settings.base_url}  (API docs: {settings.base_url}/docs)")
        demo_owner = None
        passwords: dict[str, str] = {}
        if settings.dev:
            for login in accounts.users.ensure_demo_accounts():
                roles = ", ".join(sorted(login.roles))
                typer.echo(f"Demo login ({roles}): {login.email}  password: {login.password}")
                passwords["ADMIN_PASSWORD" if "admin" in login.roles else "OPERATOR_PASSWORD"] = (
                    login.password
                )
                user = accounts.store.find_user_by_email(login.email)
                if user is not None and user.organisation:
                    demo_owner = user.organisation
        on_startup = None
        if load_examples:
            on_startup = cli_startup.example_loader(
                demo_owner or "DEMO-EO-0001", settings.base_url, passwords
            )
        elif passwords:
            cli_startup.print_exports(settings.base_url, passwords, None)
        proxies = settings.proxy_list()
        # uvicorn believes X-Forwarded-For from 127.0.0.1 (or $FORWARDED_ALLOW_IPS) unless told
        # otherwise: any local client could then choose the address it is throttled under.
        if workers == 1:
            uvicorn.run(
                create_app(settings, accounts=accounts, on_startup=on_startup),
                host=host,
                port=port,
                log_level="info",
                proxy_headers=bool(proxies),
                forwarded_allow_ips=proxies,
            )
            return
        _check_store_and_load(settings, on_startup)
    finally:
        accounts.close()
    # Stateless workers: each builds its app from the same settings, passed down as environment
    # variables (the development secret too, so a token from one worker is valid at every other).
    os.environ.update(settings_environment(settings))
    uvicorn.run(
        "passport_registry.api.app:create_app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies,
    )


def settings_environment(settings: Settings) -> dict[str, str]:
    """`settings` as the `PASSPORT_REGISTRY_*` environment variables that rebuild them."""
    return {
        f"PASSPORT_REGISTRY_{name.upper()}": str(value)
        for name, value in settings.model_dump().items()
        if value is not None
    }


def _check_store_and_load(settings: Settings, on_startup: Callable[[PassportService], None] | None) -> None:
    """Open the store once before the workers start, so a server that fails its start-up checks stops
    `serve` with one clear message (not one traceback per worker); load the examples then, once."""
    from passport_registry.errors import RegistryError
    from passport_registry.services.passports import PassportService
    from passport_registry.services.registry import Registry

    try:
        registry = Registry.open(settings)
    except RegistryError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(2) from exc
    try:
        if on_startup is not None:
            on_startup(PassportService(registry, settings.base_url, max_bytes=settings.max_request_bytes))
    finally:
        registry.close()


@app.command("import")
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


app.command("export")(cli_data.export)
app.command("rebase")(cli_data.rebase)
app.command("backup")(cli_data.backup)
app.command("restore")(cli_data.restore)


def main() -> None:  # pragma: no cover - console entry point
    app()


@app.command()
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
    from passport_registry.services.passports import passport_root, passport_triples
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
