"""`users create-admin` and `accounts migrate`: the commands that manage accounts and their database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

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
