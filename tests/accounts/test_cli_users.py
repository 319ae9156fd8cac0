"""`passport-registry users create-admin`, development-mode demo logins, and `serve` refusing unsafe modes."""

from __future__ import annotations

from pathlib import Path

import pytest
from accounts_support import cheap_hasher, production_settings
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from passport_registry.accounts.sqlite import SqliteAccountStore
from passport_registry.api.app import create_app
from passport_registry.cli import app as cli
from passport_registry.clock import utc_now
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts
from passport_registry.services.users import UserService
from passport_registry.throttle import LoginThrottle

PASSWORD = "first admin's password"


def test_create_admin_then_sign_in_over_http(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "users",
            "create-admin",
            "--email",
            "Root@Registry.example",
            "--password-stdin",
            "--data-dir",
            str(tmp_path),
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Root@registry.example" in result.output and PASSWORD not in result.output
    settings = production_settings(tmp_path)
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


def test_create_admin_refuses_a_taken_email(tmp_path: Path) -> None:
    args = [
        "users",
        "create-admin",
        "--email",
        "root@registry.example",
        "--password-stdin",
        "--data-dir",
        str(tmp_path),
    ]
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
