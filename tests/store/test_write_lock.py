"""The write lock every host shares: a PostgreSQL advisory lock (store/write_lock.py).

Real PostgreSQL (tests/postgres_server.py); each lock object has its own session, as two hosts would.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from passport_registry.config import Settings
from passport_registry.errors import StoreUnavailable
from passport_registry.services.registry import shared_write_lock
from passport_registry.store.write_lock import PostgresWriteLock
from postgres_server import PostgresCluster

SERVER = "http://127.0.0.1:7878"


@pytest.fixture
def url(postgres: PostgresCluster) -> str:
    return postgres.url()


@pytest.fixture
def locks(url: str) -> Iterator[list[PostgresWriteLock]]:
    made = [PostgresWriteLock(url, SERVER, timeout_s=10) for _ in range(2)]
    yield made
    for lock in made:
        lock.close()


def _try_in_thread(lock: PostgresWriteLock) -> tuple[threading.Thread, threading.Event, threading.Event]:
    """Start a thread that takes `lock`; returns it with events set when it holds it and to release."""
    holding, release = threading.Event(), threading.Event()

    def run() -> None:
        with lock.hold():
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, holding, release


def test_a_second_session_waits_until_the_first_releases(locks: list[PostgresWriteLock]) -> None:
    first, second = locks
    with first.hold():
        thread, holding, release = _try_in_thread(second)
        assert not holding.wait(1.0), "the second session took a lock the first one holds"
    assert holding.wait(10), "the second session never got the lock the first released"
    release.set()
    thread.join(10)


def test_stores_behind_different_urls_do_not_share_a_lock(url: str) -> None:
    one, other = PostgresWriteLock(url, SERVER), PostgresWriteLock(url, "http://127.0.0.1:7879")
    try:
        with one.hold():
            thread, holding, release = _try_in_thread(other)
            assert holding.wait(10)
            release.set()
            thread.join(10)
    finally:
        one.close()
        other.close()


def test_a_holder_whose_session_dies_releases_the_lock_and_the_next_write_reconnects(
    postgres: PostgresCluster, locks: list[PostgresWriteLock]
) -> None:
    first, second = locks
    with first.hold():
        thread, holding, release = _try_in_thread(second)
        assert not holding.wait(0.5)
        # The holder's host dies: PostgreSQL ends its session, and with it the lock.
        postgres.admin_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        )
        assert holding.wait(10), "a dead holder's lock was never released"
    release.set()
    thread.join(10)
    with first.hold():  # its broken connection is replaced
        pass


def test_waiting_longer_than_the_timeout_is_store_unavailable(url: str) -> None:
    holder, waiter = PostgresWriteLock(url, SERVER), PostgresWriteLock(url, SERVER, timeout_s=1)
    try:
        with holder.hold():
            started = time.monotonic()
            with pytest.raises(StoreUnavailable, match="no write lock within 1 s"), waiter.hold():
                pass
            assert time.monotonic() - started < 10
        with waiter.hold():  # usable again once the lock is free
            pass
    finally:
        holder.close()
        waiter.close()


def test_an_unreachable_database_is_store_unavailable() -> None:
    lock = PostgresWriteLock("postgresql://nobody@127.0.0.1:1/none", SERVER, timeout_s=1)
    with pytest.raises(StoreUnavailable, match="did not answer"), lock.hold():
        pass


def test_the_registry_shares_the_lock_through_postgres_accounts_unless_a_lock_file_is_set(url: str) -> None:
    shared = shared_write_lock(Settings(dev=True, store_url=SERVER, accounts_url=url))
    assert isinstance(shared, PostgresWriteLock)
    shared.close()
    assert (
        shared_write_lock(
            Settings(dev=True, store_url=SERVER, accounts_url=url, store_write_lock="/tmp/x.lock")
        )
        is None
    )
    assert shared_write_lock(Settings(dev=True, store_url=SERVER)) is None
    assert shared_write_lock(Settings(dev=True, accounts_url=url)) is None


def test_a_session_the_server_ended_between_writes_is_replaced(
    postgres: PostgresCluster, locks: list[PostgresWriteLock]
) -> None:
    first, _ = locks
    with first.hold():
        pass
    postgres.admin_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE pid <> pg_backend_pid() AND query LIKE '%pg_advisory_unlock%'"
    )
    with first.hold():  # the first attempt meets the ended session, the second a new one
        pass
