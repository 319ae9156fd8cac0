"""Both account stores (SQLite and PostgreSQL), by the same tests: unique emails without regard to case,
the last-admin rule, paging, keys, durability across reopening, and sharing one database between two
store objects (two processes, or a restart)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from accounts_support import StoreOpener
from accounts_support import sample_user as user

from passport_registry.accounts.models import ApiKey, User
from passport_registry.accounts.sqlite import SqliteAccountStore
from passport_registry.accounts.store import AccountStore
from passport_registry.errors import BadRequest, Conflict, NotFound
from passport_registry.roles import Role

T0 = datetime(2027, 2, 18, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(account_stores: StoreOpener) -> Iterator[AccountStore]:
    s = account_stores.open()
    yield s
    s.close()


def test_round_trip_and_case_insensitive_lookup(store: AccountStore) -> None:
    alice = user(1, Role.ADMIN, Role.COMMISSION, email="Alice@Registry.Example")
    store.add_user(alice, "hash-1")
    assert store.get_user("user-1") == alice
    assert store.find_user_by_email("alice@registry.example") == alice
    assert store.password_hash("user-1") == "hash-1"
    assert store.get_user("nobody") is None and store.password_hash("nobody") is None


def test_users_carry_no_password_hash() -> None:
    assert not any("hash" in f.name or "password" in f.name for f in fields(User))


def test_email_is_unique_in_any_case(store: AccountStore) -> None:
    store.add_user(user(1, email="a@registry.example"), "h")
    with pytest.raises(Conflict):
        store.add_user(user(2, email="A@REGISTRY.EXAMPLE"), "h")
    store.add_user(user(3), "h")
    with pytest.raises(Conflict):
        store.update_user(replace(user(3), email="A@registry.example"))
    assert store.get_user("user-2") is None
    assert store.get_user("user-3") == user(3)


def test_update_replaces_roles_and_password(store: AccountStore) -> None:
    store.add_user(user(1, Role.ADMIN), "h")
    store.add_user(user(2, Role.COMMISSION), "old")
    changed = replace(user(2), roles=frozenset({Role.NOTIFIED_BODY, Role.MARKET_SURVEILLANCE}))
    store.update_user(changed, password_hash="new")
    assert store.get_user("user-2") == changed and store.password_hash("user-2") == "new"
    store.update_user(changed)
    assert store.password_hash("user-2") == "new"
    with pytest.raises(NotFound):
        store.update_user(user(9))


def test_the_last_active_admin_stays(store: AccountStore) -> None:
    store.add_user(user(1, Role.ADMIN), "h")
    with pytest.raises(Conflict):
        store.update_user(replace(user(1, Role.ADMIN), active=False))
    with pytest.raises(Conflict):
        store.update_user(user(1))  # dropping the role
    assert store.get_user("user-1") == user(1, Role.ADMIN)
    store.add_user(user(2, Role.ADMIN), "h")
    store.update_user(replace(user(1, Role.ADMIN), active=False))
    assert store.count_active_admins() == 1


def test_pages_filter_by_role_and_activity(store: AccountStore) -> None:
    for n in range(7):
        store.add_user(user(n, Role.COMMISSION if n % 2 else Role.NOTIFIED_BODY, active=n != 3), "h")
    seen, cursor = [], None
    while True:
        page = store.list_users(role=Role.COMMISSION, cursor=cursor, limit=2)
        seen += [u.id for u in page.users]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == ["user-1", "user-3", "user-5"]
    assert [u.id for u in store.list_users(active=False).users] == ["user-3"]
    assert len(store.list_users(limit=7).users) == 7 and store.list_users(limit=7).next_cursor is None


@pytest.mark.parametrize("cursor", ["garbage", "", "dTE", "eDE", "!!!"])
def test_foreign_cursors_are_refused(store: AccountStore, cursor: str) -> None:
    if cursor == "dTE":  # one this store issues ("u1"): accepted
        assert store.list_users(cursor=cursor).users == []
        return
    with pytest.raises(BadRequest):
        store.list_users(cursor=cursor)


def test_keys_revoke_once_and_with_deactivation(store: AccountStore) -> None:
    store.add_user(user(1, Role.ADMIN), "h")
    store.add_user(user(2), "h")
    first = ApiKey(id="0" * 16, user_id="user-2", name="a", created_at=T0)
    second = ApiKey(id="1" * 16, user_id="user-2", name="b", created_at=T0, expires_at=T0 + timedelta(days=1))
    store.add_api_key(first, "hash-a")
    store.add_api_key(second, "hash-b")
    with pytest.raises(Conflict):
        store.add_api_key(first, "again")
    assert store.get_api_key(first.id) == (first, "hash-a")
    assert store.list_api_keys("user-2") == [first, second]
    assert store.revoke_api_key(first.id, T0 + timedelta(hours=1))
    assert store.revoke_api_key(first.id, T0 + timedelta(hours=2))
    assert not store.revoke_api_key("f" * 16, T0)
    store.update_user(replace(user(2), active=False), revoke_keys_at=T0 + timedelta(hours=3))
    revoked = {k.id: k.revoked_at for k in store.list_api_keys("user-2")}
    assert revoked == {first.id: T0 + timedelta(hours=1), second.id: T0 + timedelta(hours=3)}


def test_writes_survive_reopening_and_are_shared(account_stores: StoreOpener) -> None:
    one = account_stores.open()
    two = account_stores.open()
    one.add_user(user(1, Role.ADMIN), "h")
    assert two.get_user("user-1") == user(1, Role.ADMIN)
    with pytest.raises(Conflict):
        two.add_user(user(2, email="USER1@registry.example"), "h")
    two.update_user(replace(user(1, Role.ADMIN), display_name="Renamed"))
    assert one.get_user("user-1") == replace(user(1, Role.ADMIN), display_name="Renamed")
    one.close()
    two.close()
    again = account_stores.open()
    assert again.find_user_by_email("user1@registry.example") == replace(
        user(1, Role.ADMIN), display_name="Renamed"
    )
    again.close()


def test_sqlite_lives_in_the_data_dir(tmp_path: Path) -> None:
    store = SqliteAccountStore.in_data_dir(tmp_path)
    store.add_user(user(1), "h")
    store.close()
    assert (tmp_path / "accounts" / "accounts.sqlite3").is_file()


def test_in_memory_without_a_data_dir() -> None:
    store = SqliteAccountStore.in_data_dir(None)
    store.add_user(user(1), "h")
    assert store.get_user("user-1") == user(1)
    store.close()
