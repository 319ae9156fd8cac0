"""What only the PostgreSQL account store has to prove: migrations applied once however many workers start
at once, a refused newer schema, counts and rules that hold under concurrent writers, broken connections
replaced, and an unreachable database answered with a clear error that never shows the password."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from accounts_support import sample_user as user

from passport_registry.accounts.models import ApiKey
from passport_registry.accounts.postgres import PostgresAccountStore, describe_url
from passport_registry.accounts.postgres_schema import ADMIN_RULE_LOCK, LATEST, MIGRATIONS
from passport_registry.errors import AccountsUnavailable, ConfigurationError, Conflict
from passport_registry.roles import Role
from postgres_server import DATABASE, PostgresCluster

T0 = datetime(2027, 2, 18, 9, 0, tzinfo=UTC)
TABLES = {"users", "user_roles", "api_keys", "login_failures", "login_successes", "schema_migrations"}


@pytest.fixture
def url(postgres: PostgresCluster) -> str:
    return postgres.fresh_url()


def _sql(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cursor = conn.execute(query.encode())
        return cursor.fetchall() if cursor.description is not None else []


def _at_once(count: int, work: Callable[[int], object]) -> list[object]:
    """Run `work(0..count-1)` in threads released together; their results (or exceptions) in order."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(n: int) -> None:
        barrier.wait()
        try:
            results[n] = work(n)
        except Exception as exc:
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    return list(results)


@pytest.fixture
def stores(url: str) -> Iterator[list[PostgresAccountStore]]:
    """Two stores over one database, as two worker processes would open it."""
    opened = [PostgresAccountStore(url, pool_size=2) for _ in range(2)]
    yield opened
    for store in opened:
        store.close()


def test_opening_an_empty_database_applies_every_migration_once(url: str) -> None:
    PostgresAccountStore(url).close()
    PostgresAccountStore(url).close()  # reopening: nothing left to apply
    versions = _sql(url, "SELECT version FROM schema_migrations ORDER BY version")
    assert [v for (v,) in versions] == [m.version for m in MIGRATIONS]
    found = {
        name for (name,) in _sql(url, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    }
    assert found == TABLES


def test_workers_starting_at_once_migrate_exactly_once(url: str) -> None:
    opened = _at_once(8, lambda _: PostgresAccountStore(url, pool_size=1))
    errors = [o for o in opened if isinstance(o, Exception)]
    for store in opened:
        if isinstance(store, PostgresAccountStore):
            store.close()
    assert errors == []
    assert _sql(url, "SELECT count(*), max(version) FROM schema_migrations") == [(len(MIGRATIONS), LATEST)]


def test_a_newer_schema_is_refused(url: str) -> None:
    PostgresAccountStore(url).close()
    _sql(url, f"INSERT INTO schema_migrations (version, name) VALUES ({LATEST + 1}, 'from the future')")
    with pytest.raises(ConfigurationError, match=f"schema version {LATEST + 1}"):
        PostgresAccountStore(url)


def test_concurrent_failures_of_one_key_all_count(stores: list[PostgresAccountStore]) -> None:
    key = "pair:a@example.org|203.0.113.7"

    def fail(n: int) -> None:
        for i in range(10):
            at = T0 + timedelta(seconds=i, microseconds=n)
            stores[n % 2].add_login_failure([key, "address:203.0.113.7"], at, forget_before=T0)

    assert _at_once(6, fail) == [None] * 6
    assert len(stores[0].login_failures(key, since=T0 - timedelta(hours=1), limit=1000)) == 60
    assert (
        len(stores[1].login_failures("address:203.0.113.7", since=T0 - timedelta(hours=1), limit=1000)) == 60
    )


def test_concurrent_pruning_and_counting_do_not_block_each_other(
    stores: list[PostgresAccountStore], url: str
) -> None:
    for n in range(300):
        stores[0].add_login_failure([f"old:{n}"], T0, forget_before=T0 - timedelta(days=1))
    later = T0 + timedelta(hours=1)

    def fail(n: int) -> None:  # each write also prunes a batch of the old rows
        for i in range(20):
            stores[n % 2].add_login_failure(
                ["new"], later + timedelta(microseconds=20 * n + i), forget_before=later
            )

    assert _at_once(4, fail) == [None] * 4
    assert len(stores[0].login_failures("new", since=T0, limit=1000)) == 80
    assert _sql(url, "SELECT count(*) FROM login_failures WHERE key LIKE 'old:%'") == [(0,)]


def test_two_workers_never_remove_the_last_two_admins_together(stores: list[PostgresAccountStore]) -> None:
    # Each round: two admins, and each worker deactivates a different one at the same moment. Without
    # serialising the rule, both see "one admin left" and both commit.
    for round_ in range(15):
        ids = [f"admin-{round_}-{n}" for n in range(2)]
        admins = [replace(user(0, Role.ADMIN), id=i, email=f"{i}@registry.example") for i in ids]
        for admin in admins:
            stores[0].add_user(admin, "h")
        if round_:  # the previous round's survivor steps down, so exactly these two are active
            for old in stores[0].list_users(role=Role.ADMIN, active=True, limit=100).users:
                if old.id not in ids:
                    stores[0].update_user(replace(old, active=False))
        stepping_down = [replace(admin, active=False) for admin in admins]
        outcomes = _at_once(2, lambda n, down=stepping_down: stores[n].update_user(down[n]))
        assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "NoneType"], outcomes
        assert stores[1].count_active_admins() == 1


def test_the_admin_rule_waits_for_a_concurrent_admin_change(
    url: str, stores: list[PostgresAccountStore]
) -> None:
    # Deterministic form of the race above: another worker is inside its admin change (holds the rule's
    # lock, has deactivated admin 1, not yet committed) when this worker deactivates admin 2.
    store = stores[0]
    for n in (1, 2):
        store.add_user(user(n, Role.ADMIN), "h")
    with psycopg.connect(url, autocommit=True) as other:
        with other.transaction():
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", ADMIN_RULE_LOCK)
            other.execute("UPDATE users SET active = false WHERE id = 'user-1'")
            outcome: list[object] = []
            worker = threading.Thread(
                target=lambda: outcome.append(
                    _outcome(store.update_user, replace(user(2, Role.ADMIN), active=False))
                )
            )
            worker.start()
            worker.join(timeout=0.5)
            assert worker.is_alive(), "the change went ahead while another admin change was open"
        worker.join(timeout=30)
    assert [type(o) for o in outcome] == [Conflict]
    assert store.count_active_admins() == 1 and store.get_user("user-2") == user(2, Role.ADMIN)


def _outcome(call: Callable[..., object], *args: object) -> object:
    try:
        return call(*args)
    except Exception as exc:
        return exc


def test_a_broken_connection_is_replaced_before_use(postgres: PostgresCluster, url: str) -> None:
    store = PostgresAccountStore(url + "&application_name=to-be-broken", pool_size=1)
    try:
        store.add_user(user(1), "h")
        # What a database restart or a failover does to every pooled connection.
        ended = _sql(
            postgres.url(),
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'to-be-broken'",
        )
        assert ended == [(True,)]
        assert store.get_user("user-1") == user(1)
    finally:
        store.close()


def test_an_unreachable_database_is_refused_clearly_without_its_password() -> None:
    url = "postgresql://registry:s3cret-pw@127.0.0.1:1/accounts"
    with pytest.raises(AccountsUnavailable) as caught:
        PostgresAccountStore(url, timeout_s=2)
    message = caught.value.detail
    assert "postgresql://registry@127.0.0.1:1/accounts" in message and "s3cret-pw" not in message
    assert "refused" in message.lower() or "connect" in message.lower()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://app:pw@db.example:5433/accounts", "postgresql://app@db.example:5433/accounts"),
        (
            "postgresql:///accounts?host=/run/postgresql&password=pw",
            "postgresql:///accounts?host=/run/postgresql",
        ),
        ("postgres://db.example/accounts", "postgresql://db.example/accounts"),
        ("postgresql://app:pw@db.example/accounts?sslmode=require", "postgresql://app@db.example/accounts"),
        ("postgresql://[broken", "postgresql://(unreadable URL)"),
    ],
)
def test_urls_are_shown_without_their_password(url: str, shown: str) -> None:
    assert describe_url(url) == shown and "pw" not in describe_url(url)


def test_a_rule_broken_in_a_transaction_changes_nothing(url: str) -> None:
    store = PostgresAccountStore(url)
    try:
        store.add_user(user(1, Role.ADMIN), "h")
        with pytest.raises(Conflict):
            store.update_user(
                replace(user(1, Role.ADMIN), roles=frozenset(), display_name="Changed"), password_hash="new"
            )
        assert store.get_user("user-1") == user(1, Role.ADMIN) and store.password_hash("user-1") == "h"
    finally:
        store.close()


def test_pg_dump_and_pg_restore_carry_the_whole_account_database(
    postgres: PostgresCluster, url: str, tmp_path: Path
) -> None:
    # The procedure docs/deployment.md gives for backups, run for real.
    store = PostgresAccountStore(url)
    store.add_user(user(1, Role.ADMIN), "hash-1")
    key = ApiKey(id="0" * 16, user_id="user-1", name="ci", created_at=T0)
    store.add_api_key(key, "key-hash")
    store.add_login_success(
        "pair:user1@registry.example|192.0.2.1", T0, forget_before=T0 - timedelta(days=30)
    )
    store.close()
    dump, schema = tmp_path / "accounts.dump", url.rsplit("%3D", 1)[1]  # this test's schema (see fresh_url)
    subprocess.run(
        [str(postgres.bindir / "pg_dump"), "--format=custom", f"--file={dump}", f"--schema={schema}",
         postgres.url()],
        check=True,
    )  # fmt: skip
    postgres.admin_sql("CREATE DATABASE restored", database="postgres")
    try:
        restored_url = url.replace(f"/{DATABASE}?", "/restored?")
        subprocess.run(
            [
                str(postgres.bindir / "pg_restore"),
                "--no-owner",
                f"--dbname={postgres.url('restored')}",
                str(dump),
            ],
            check=True,
        )
        again = PostgresAccountStore(restored_url)
        try:
            assert again.migrations_applied == []  # the schema version came along
            assert (
                again.get_user("user-1") == user(1, Role.ADMIN) and again.password_hash("user-1") == "hash-1"
            )
            assert again.get_api_key(key.id) == (key, "key-hash")
            assert again.last_login_success("pair:user1@registry.example|192.0.2.1") == T0
        finally:
            again.close()
    finally:
        postgres.admin_sql("DROP DATABASE restored WITH (FORCE)", database="postgres")


def test_a_role_that_may_only_read_and_write_rows_uses_a_migrated_database(
    postgres: PostgresCluster, url: str
) -> None:
    schema = url.rsplit("%3D", 1)[1]
    role = f"worker_{schema}"
    postgres.admin_sql(f"CREATE ROLE {role} LOGIN")
    postgres.admin_sql(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    worker_url = url.replace("postgresql://registry@", f"postgresql://{role}@")
    with pytest.raises(ConfigurationError, match="accounts migrate"):
        PostgresAccountStore(worker_url)  # not migrated, and this role may not create tables

    PostgresAccountStore(url).close()  # the owner migrates (`accounts migrate` does just this)
    postgres.admin_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}")
    store = PostgresAccountStore(worker_url)
    try:
        store.add_user(user(1, Role.ADMIN), "h")
        store.add_user(user(2), "h")
        store.update_user(replace(user(2), display_name="Renamed"), revoke_keys_at=T0)
        store.add_api_key(ApiKey(id="1" * 16, user_id="user-2", name="k", created_at=T0), "kh")
        store.add_login_failure(["pair:x|y"], T0, forget_before=T0 - timedelta(minutes=15))
        store.add_login_success("pair:x|y", T0, forget_before=T0 - timedelta(days=30))
        assert [u.id for u in store.list_users().users] == ["user-1", "user-2"]
    finally:
        store.close()
