"""Login throttling: a sliding window of recent failures per account and per client address."""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Iterable
from datetime import datetime, timedelta

from passport_registry.clock import Clock


class LoginThrottle:
    """Counts failed logins per key (e.g. `account:<email>`, `address:<ip>`) in a sliding window.

    After `max_failures` failures within `window`, a key is blocked until its oldest counted failure
    leaves the window. State lives on the instance (one per running app), guarded by a lock; keys with
    no failures left in the window are dropped, so memory stays bounded by recent failures.

    >>> from datetime import UTC
    >>> now = datetime(2027, 2, 18, tzinfo=UTC)
    >>> throttle = LoginThrottle(max_failures=2, window=timedelta(minutes=1), clock=lambda: now)
    >>> throttle.record_failure(["account:a"]); throttle.retry_after(["account:a"]) is None
    True
    >>> throttle.record_failure(["account:a"]); throttle.retry_after(["account:a"])
    60
    """

    def __init__(
        self, *, max_failures: int = 5, window: timedelta = timedelta(minutes=15), clock: Clock
    ) -> None:
        self._max_failures = max_failures
        self._window = window
        self._clock = clock
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: datetime) -> deque[datetime] | None:
        failures = self._failures.get(key)
        if failures is None:
            return None
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return None
        return failures

    def retry_after(self, keys: Iterable[str]) -> int | None:
        """Seconds until every key may try again, or None if none of them is blocked."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                failures = self._recent(key, now)
                if failures is not None and len(failures) >= self._max_failures:
                    oldest_counted = failures[len(failures) - self._max_failures]
                    wait = max(wait, (oldest_counted + self._window - now).total_seconds())
        return max(1, math.ceil(wait)) if wait > 0 else None

    def record_failure(self, keys: Iterable[str]) -> None:
        """Count one failed attempt against every key."""
        now = self._clock()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, deque(maxlen=self._max_failures)).append(now)
            if len(self._failures) > 10_000:
                for stale in list(self._failures):
                    self._recent(stale, now)

    def clear(self, key: str) -> None:
        """Forget the failures of one key (an account after a successful login)."""
        with self._lock:
            self._failures.pop(key, None)
