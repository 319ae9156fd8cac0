"""`passport-registry users create-admin` (on both account stores), `accounts migrate`, development-mode
demo logins, and `serve` refusing unsafe modes and unusable account databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from accounts_support import StoreOpener, cheap_hasher, production_settings
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from passport_registry.accounts.postgres_schema import LATEST
from passport_registry.accounts.sqlite import SqliteAccountStore
from passport_registry.api.app import create_app
from passport_registry.cli import app as cli
from passport_registry.clock import utc_now
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts
from passport_registry.services.users import UserService
from passport_registry.throttle import LoginThrottle
from postgres_server import PostgresCluster

PASSWORD = "first admin's password"
SECRET = "a test secret that is long enough to sign tokens"


def test_create_admin_then_sign_in_over_http(account_stores: StoreOpener) -> None:
    result = CliRunner().invoke(
        cli,
        ["users", "create-admin", "--email", "Root@Registry.example", "--password-stdin",
         *account_stores.cli_args()],
        input=PASSWORD + "\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Root@registry.example" in result.output and PASSWORD not in result.output
    settings = account_stores.settings()
    with TestClient(create_app(settings)) as client:
        token = client.post("/auth/token", data={"username": "root@registry.example", "password": PASSWORD})
        assert token.status_code == 200
        me = client.get("/users/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        assert me.json()["roles"] == ["admin"]


def test_create_admin_reads_the_data_dir_from_the_environment(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["users", "create-admin", "--email", "root@registry.example", "--password-stdin"],
        input=PASSWORD + "\n",
        env={"PASSPORT_REGISTRY_DATA_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    store = SqliteAccountStore.in_data_dir(tmp_path)
    assert store.count_active_admins() == 1
    store.close()


def test_create_admin_reads_the_accounts_url_from_the_environment(postgres: PostgresCluster) -> None:
    url = postgres.fresh_url()
    result = CliRunner().invoke(
        cli,
        ["users", "create-admin", "--email", "root@registry.example", "--password-stdin"],
        input=PASSWORD + "\n",
        env={"PASSPORT_REGISTRY_ACCOUNTS_URL": url, "PASSPORT_REGISTRY_DATA_DIR": None},
    )
    assert result.exit_code == 0, result.output
    store = StoreOpener(accounts_url=url).open()
    assert store.count_active_admins() == 1
    store.close()


@pytest.mark.parametrize(
    "url", ["mysql://root@db/accounts", "sqlite:///accounts.sqlite3", "db.example/accounts", "postgresql:/x"]
)
def test_an_accounts_url_that_is_not_postgresql_is_refused(tmp_path: Path, url: str) -> None:
    for command in (["users", "create-admin", "--email", "root@registry.example", "--password-stdin"],
                    ["accounts", "migrate"], ["serve"]):  # fmt: skip
        result = CliRunner().invoke(
            cli,
            [*command, "--accounts-url", url],
            input=PASSWORD + "\n",
            env={"PASSPORT_REGISTRY_SECRET_KEY": SECRET},
        )
        assert result.exit_code == 2, (command, result.output)
        assert "must be a PostgreSQL URL" in result.output, result.output


def test_an_unreachable_account_database_stops_every_command_clearly() -> None:
    url = "postgresql://registry:s3cret-pw@127.0.0.1:1/accounts?connect_timeout=2"
    for command in (["users", "create-admin", "--email", "root@registry.example", "--password-stdin"],
                    ["accounts", "migrate"], ["serve"]):  # fmt: skip
        result = CliRunner().invoke(
            cli,
            [*command, "--accounts-url", url],
            input=PASSWORD + "\n",
            env={"PASSPORT_REGISTRY_SECRET_KEY": SECRET},
        )
        assert result.exit_code == 1, (command, result.output)
        assert "postgresql://registry@127.0.0.1:1/accounts" in result.output, result.output
        assert "s3cret-pw" not in result.output


def test_accounts_migrate_applies_once_then_reports_the_version(postgres: PostgresCluster) -> None:
    url = postgres.fresh_url()
    first = CliRunner().invoke(cli, ["accounts", "migrate", "--accounts-url", url])
    assert first.exit_code == 0, first.output
    assert f"applied migration(s) 1; now at version {LATEST}" in first.output
    again = CliRunner().invoke(cli, ["accounts", "migrate"], env={"PASSPORT_REGISTRY_ACCOUNTS_URL": url})
    assert again.exit_code == 0 and f"already at version {LATEST}" in again.output
    store = StoreOpener(accounts_url=url).open()  # a migrated database opens without changes
    assert store.list_users().users == []
    store.close()


def test_several_workers_need_shared_accounts() -> None:
    result = CliRunner().invoke(
        cli,
        ["serve", "--workers", "2", "--store-url", "http://127.0.0.1:1/sparql"],
        env={"PASSPORT_REGISTRY_SECRET_KEY": SECRET, "PASSPORT_REGISTRY_DATA_DIR": None},
    )
    assert result.exit_code == 2 and "--accounts-url" in result.output


def test_create_admin_prompts_without_stdin_flag(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["users", "create-admin", "--email", "root@registry.example", "--data-dir", str(tmp_path)],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output


@pytest.mark.parametrize(
    ("args", "stdin", "code"),
    [
        (["--email", "root@registry.example", "--password-stdin"], PASSWORD, 2),  # no data dir
        (["--email", "not-an-email", "--password-stdin", "--data-dir", "{d}"], PASSWORD, 2),
        (["--email", "root@registry.example", "--password-stdin", "--data-dir", "{d}"], "short", 2),
    ],
)
def test_create_admin_refuses_bad_input(tmp_path: Path, args: list[str], stdin: str, code: int) -> None:
    args = [a.replace("{d}", str(tmp_path)) for a in args]
    result = CliRunner().invoke(cli, ["users", "create-admin", *args], input=stdin + "\n", env={})
    assert result.exit_code == code
    assert (
        not (tmp_path / "accounts").exists()
        or SqliteAccountStore.in_data_dir(tmp_path).count_active_admins() == 0
    )


def test_create_admin_refuses_a_taken_email(account_stores: StoreOpener) -> None:
    args = ["users", "create-admin", "--email", "root@registry.example", "--password-stdin",
            *account_stores.cli_args()]  # fmt: skip
    assert CliRunner().invoke(cli, args, input=PASSWORD + "\n").exit_code == 0
    args[3] = "ROOT@registry.example"
    result = CliRunner().invoke(cli, args, input=PASSWORD + "\n")
    assert result.exit_code == 1 and "already exists" in result.output


def test_serve_refuses_a_default_secret_outside_dev_mode() -> None:
    result = CliRunner().invoke(cli, ["serve"], env={"PASSPORT_REGISTRY_SECRET_KEY": "change-me"})
    assert result.exit_code == 2 and "SECRET_KEY" in result.output


def test_serve_keeps_dev_mode_on_loopback() -> None:
    result = CliRunner().invoke(cli, ["serve", "--dev", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "loopback" in result.output


def _users(tmp_path: Path) -> tuple[UserService, SqliteAccountStore]:
    store = SqliteAccountStore.in_data_dir(tmp_path)
    return UserService(store, cheap_hasher(), utc_now, LoginThrottle(store, clock=utc_now)), store


def test_dev_mode_demo_logins_work_and_are_renewed(tmp_path: Path) -> None:
    users, store = _users(tmp_path)
    first = users.ensure_demo_accounts()
    assert [(d.email, d.roles) for d in first] == [
        ("admin@registry.example", frozenset({Role.ADMIN})),
        ("operator@registry.example", frozenset({Role.ECONOMIC_OPERATOR})),
    ]
    second = users.ensure_demo_accounts()  # a kept data directory: same accounts, new passwords
    assert {d.password for d in first}.isdisjoint(d.password for d in second)
    store.close()
    settings = production_settings(tmp_path)
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    with TestClient(create_app(settings, accounts=accounts)) as client:
        for old, new in zip(first, second, strict=True):
            assert (
                client.post("/auth/token", data={"username": new.email, "password": new.password}).status_code
                == 200
            )
            assert (
                client.post("/auth/token", data={"username": old.email, "password": old.password}).status_code
                == 401
            )
    accounts.close()


def test_no_demo_logins_beside_a_real_admin(tmp_path: Path) -> None:
    users, store = _users(tmp_path)
    users.bootstrap_admin(email="root@registry.example", password=PASSWORD)
    assert users.ensure_demo_accounts() == []
    assert store.find_user_by_email("admin@registry.example") is None
    store.close()
