"""The sliding window of failed logins."""

from __future__ import annotations

from datetime import timedelta

from accounts_support import ManualClock

from passport_registry.throttle import LoginThrottle


def test_blocks_after_five_failures_until_the_oldest_ages_out(clock: ManualClock) -> None:
    throttle = LoginThrottle(clock=clock)
    for _ in range(5):
        assert throttle.retry_after(["account:a"]) is None
        throttle.record_failure(["account:a"])
        clock.advance(minutes=1)
    # Failures at 0..4 minutes, now is 5: the first leaves the window at 15.
    assert throttle.retry_after(["account:a"]) == 10 * 60
    assert throttle.retry_after(["account:b"]) is None
    assert throttle.retry_after(["account:b", "account:a"]) == 10 * 60
    clock.advance(minutes=10)
    assert throttle.retry_after(["account:a"]) is None
    throttle.record_failure(["account:a"])
    assert throttle.retry_after(["account:a"]) == 60  # the failure at minute 1 still counts


def test_clear_forgets_one_key(clock: ManualClock) -> None:
    throttle = LoginThrottle(max_failures=2, window=timedelta(minutes=1), clock=clock)
    throttle.record_failure(["account:a", "address:x"])
    throttle.record_failure(["account:a", "address:x"])
    throttle.clear("account:a")
    assert throttle.retry_after(["account:a"]) is None
    assert throttle.retry_after(["address:x"]) == 60


def test_separate_instances_share_nothing(clock: ManualClock) -> None:
    one, two = LoginThrottle(max_failures=1, clock=clock), LoginThrottle(max_failures=1, clock=clock)
    one.record_failure(["account:a"])
    assert one.retry_after(["account:a"]) is not None and two.retry_after(["account:a"]) is None
