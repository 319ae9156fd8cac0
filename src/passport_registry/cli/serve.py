"""`serve`: the registry over HTTP, in one process or as stateless workers over a shared store."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from passport_registry.cli import startup
from passport_registry.cli.accounts import AccountsUrlOption

if TYPE_CHECKING:
    from passport_registry.config import Settings
    from passport_registry.services.passports import PassportService


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
    if not startup.port_free(host, port):
        typer.echo(
            f"error: port {port} on {host} is in use (is another server running?); choose another with "
            "--port or PASSPORT_REGISTRY_PORT (make run PORT=8001).",
            err=True,
        )
        raise typer.Exit(2)
    if settings.store_url is not None and workers == 1:
        _check_store_and_load(settings, None)  # one clear message if the server fails its checks
    elif settings.store_url is None and settings.data_dir is not None:
        startup.check_base_url(settings)
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
            on_startup = startup.example_loader(demo_owner or "DEMO-EO-0001", settings.base_url, passwords)
        elif passwords:
            startup.print_exports(settings.base_url, passwords, None)
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
