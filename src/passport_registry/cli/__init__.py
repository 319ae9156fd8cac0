"""The `passport-registry` command line: each command calls services; no business logic here.

One module per family of commands, each a plain function registered on `app` here (in the order `--help`
lists them): `serve.py` (serve, with `startup.py` for what it checks and prints first), `passports.py`
(import, validate), `models.py` (schema, convert), `data.py` (export, rebase, backup, restore) and
`accounts.py` (users create-admin, accounts migrate).
"""

from __future__ import annotations

import typer

from passport_registry.cli import accounts, data, models, passports, serve

app = typer.Typer(help="Battery passport registry.", no_args_is_help=True)
users_app = typer.Typer(help="Manage accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
accounts_app = typer.Typer(help="The account database (PostgreSQL).", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")

users_app.command("create-admin")(accounts.create_admin)
accounts_app.command("migrate")(accounts.migrate_accounts)
app.command()(serve.serve)
app.command("import")(passports.import_command)
app.command()(models.schema)
app.command()(models.convert)
app.command("export")(data.export)
app.command("rebase")(data.rebase)
app.command("backup")(data.backup)
app.command("restore")(data.restore)
app.command()(passports.validate)


def main() -> None:  # pragma: no cover - console entry point
    app()
