"""The login throttle: per account + address pair, and per account and per address for unproven pairs;
on both account stores, whose `LoginAttempts` hold the counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from accounts_support import ManualClock, StoreOpener

from passport_registry.accounts.store import AccountStore
from passport_registry.throttle import LoginThrottle, ThrottlePolicy

A, B = "a@example.org", "b@example.org"
OFFICE, HOME = "203.0.113.7", "198.51.100.2"


@pytest.fixture
def store(account_stores: StoreOpener) -> Iterator[AccountStore]:
    opened = account_stores.open()
    yield opened
    opened.close()


@pytest.fixture
def throttle(store: AccountStore, clock: ManualClock) -> LoginThrottle:
    return LoginThrottle(store, clock=clock)


def test_a_pair_is_blocked_after_five_failures_until_the_oldest_ages_out(
    throttle: LoginThrottle, clock: ManualClock
) -> None:
    for _ in range(5):
        assert throttle.retry_after(A, OFFICE) is None
        throttle.record_failure(A, OFFICE)
        clock.advance(minutes=1)
    # Failures at 0..4 minutes, now is 5: the first leaves the window at 15.
    assert throttle.retry_after(A, OFFICE) == 10 * 60
    assert throttle.retry_after(A, HOME) is None
    assert throttle.retry_after(B, OFFICE) is None
    clock.advance(minutes=10)
    assert throttle.retry_after(A, OFFICE) is None
    throttle.record_failure(A, OFFICE)
    assert throttle.retry_after(A, OFFICE) == 60  # the failure at minute 1 still counts


def test_a_success_forgets_the_pair_and_makes_it_trusted(throttle: LoginThrottle, clock: ManualClock) -> None:
    for _ in range(4):
        throttle.record_failure(A, OFFICE)
    throttle.record_success(A, OFFICE)
    throttle.record_failure(A, OFFICE)
    assert throttle.retry_after(A, OFFICE) is None
    for n in range(20):  # someone else sprays from the office
        throttle.record_failure(f"u{n}@example.org", OFFICE)
    assert throttle.retry_after(A, OFFICE) is None  # trusted: not slowed by the address count
    assert throttle.retry_after(B, OFFICE) == 15 * 60  # never signed in from there: waits
    clock.advance(days=30)
    throttle.record_failure("u0@example.org", OFFICE)
    assert throttle.retry_after(A, OFFICE) is None  # the trust expired, but so did the old failures


def test_trust_expires(store: AccountStore, clock: ManualClock) -> None:
    policy = ThrottlePolicy(address_failures=2, trusted_for=timedelta(hours=1))
    throttle = LoginThrottle(store, clock=clock, policy=policy)
    throttle.record_success(A, OFFICE)
    clock.advance(hours=1)
    throttle.record_failure(B, OFFICE)
    throttle.record_failure(B, OFFICE)
    assert throttle.retry_after(A, OFFICE) == 15 * 60


def test_an_account_guessed_from_many_addresses_waits_only_where_it_never_signed_in(
    throttle: LoginThrottle,
) -> None:
    throttle.record_success(A, HOME)
    for n in range(20):
        throttle.record_failure(A, f"10.0.0.{n}")
    assert throttle.retry_after(A, "10.0.1.1") == 15 * 60
    assert throttle.retry_after(A, HOME) is None


def test_throttle_state_is_shared_through_the_store(account_stores: StoreOpener, clock: ManualClock) -> None:
    one, two = account_stores.open(), account_stores.open()
    try:
        for _ in range(5):
            LoginThrottle(one, clock=clock).record_failure(A, OFFICE)
        # Another process (or a restart) over the same file sees the same counts.
        assert LoginThrottle(two, clock=clock).retry_after(A, OFFICE) == 15 * 60
    finally:
        one.close()
        two.close()


def test_old_failures_are_forgotten(store: AccountStore, throttle: LoginThrottle, clock: ManualClock) -> None:
    for n in range(100):
        throttle.record_failure(f"u{n}@example.org", OFFICE)
    clock.advance(minutes=16)
    throttle.record_failure(A, HOME)
    remaining = store.login_failures("address:" + OFFICE, since=clock.now - timedelta(days=1), limit=1000)
    assert remaining == []


def test_old_successes_are_forgotten(
    store: AccountStore, throttle: LoginThrottle, clock: ManualClock
) -> None:
    throttle.record_success(A, OFFICE)
    throttle.record_success(A, OFFICE)  # a second success of the same pair keeps one, newer, time
    first = clock.now
    clock.advance(days=31)
    throttle.record_success(B, HOME)
    assert store.last_login_success("pair:a@example.org|" + OFFICE) is None
    assert store.last_login_success("pair:b@example.org|" + HOME) == clock.now != first
    earlier = clock.now - timedelta(minutes=5)
    store.add_login_success("pair:b@example.org|" + HOME, earlier, forget_before=earlier - timedelta(days=30))
    assert store.last_login_success("pair:b@example.org|" + HOME) == clock.now  # never moves back
