"""Login throttling that slows a guesser without letting it lock anybody else out.

Three counts of failed logins (wrong password, unknown or inactive account), each a sliding window:

- per **account + address pair**: a guesser at one address trying one account is blocked after
  `pair_failures`; nobody else is affected (another account behind the same NAT, or the owner of the
  account at another address, signs in as usual);
- per **address** (password spraying: many accounts, one address) and per **account** (one account
  guessed from many addresses): blocked after the larger `address_failures` / `account_failures`, but
  only for pairs that have *not* signed in successfully within `trusted_for`. An office behind one NAT
  whose colleague typed a wrong password twenty times is not locked out: everyone there who signed in
  before still does. Only pairs never seen before wait.

Why this and not exponential back-off: back-off on the account or the address still lets an attacker
decide when the real user may try again; a pair that proved itself cannot be slowed by failures it
did not make. Why not per pair alone: a sprayer or a botnet would then never be slowed at all.

The counts live in a `LoginAttempts` store (the account store: SQLite embedded, or PostgreSQL shared by
every worker and host), so they hold across restarts and across processes that share the store.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from passport_registry.accounts.store import LoginAttempts
from passport_registry.clock import Clock


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """The limits; each count is over the last `window`."""

    pair_failures: int = 5
    account_failures: int = 20
    address_failures: int = 20
    window: timedelta = timedelta(minutes=15)
    trusted_for: timedelta = timedelta(days=30)


def _address(address: str | None) -> str:
    return address or "unknown"


def pair_key(email: str, address: str | None) -> str:
    """The key of one account (email, any case) at one client address."""
    return f"pair:{email.lower()}|{_address(address)}"


def account_key(email: str) -> str:
    """The key of one account, whatever the address."""
    return "account:" + email.lower()


def address_key(address: str | None) -> str:
    """The key of one client address, whatever the account."""
    return "address:" + _address(address)


class LoginThrottle:
    """Decides whether a login of an account from an address may be tried now (see the module text).

    Stateless itself: every count is read from and written to `attempts`, so any number of instances
    (threads, processes, the CLI) over one store agree.

    >>> from datetime import UTC
    >>> from passport_registry.accounts.sqlite import SqliteAccountStore
    >>> now = datetime(2027, 2, 18, tzinfo=UTC)
    >>> policy = ThrottlePolicy(pair_failures=2)
    >>> throttle = LoginThrottle(SqliteAccountStore(None), clock=lambda: now, policy=policy)
    >>> throttle.record_failure("a@example.org", "192.0.2.1")
    >>> throttle.retry_after("a@example.org", "192.0.2.1") is None
    True
    >>> throttle.record_failure("a@example.org", "192.0.2.1")
    >>> throttle.retry_after("a@example.org", "192.0.2.1")
    900
    >>> throttle.retry_after("a@example.org", "198.51.100.1") is None  # the same account elsewhere
    True
    """

    def __init__(
        self, attempts: LoginAttempts, *, clock: Clock, policy: ThrottlePolicy | None = None
    ) -> None:
        self._attempts = attempts
        self._clock = clock
        self._policy = policy or ThrottlePolicy()

    def retry_after(self, email: str, address: str | None) -> int | None:
        """Seconds until this account may be tried from this address, or None if it may be now."""
        policy, now = self._policy, self._clock()
        pair = pair_key(email, address)
        wait = self._wait(pair, policy.pair_failures, now)
        if not self._trusted(pair, now):
            wait = max(
                wait,
                self._wait(account_key(email), policy.account_failures, now),
                self._wait(address_key(address), policy.address_failures, now),
            )
        return max(1, math.ceil(wait)) if wait > 0 else None

    def record_failure(self, email: str, address: str | None) -> None:
        """Count one failed attempt against the pair, the account and the address."""
        now = self._clock()
        self._attempts.add_login_failure(
            [pair_key(email, address), account_key(email), address_key(address)],
            now,
            forget_before=now - self._policy.window,
        )

    def record_success(self, email: str, address: str | None) -> None:
        """A right password: the pair's failures are forgotten and the pair is trusted for `trusted_for`.

        The account's and the address's counts stay: failures made by others elsewhere are not
        forgiven by this success, they just no longer concern this pair.
        """
        now = self._clock()
        pair = pair_key(email, address)
        self._attempts.clear_login_failures(pair)
        self._attempts.add_login_success(pair, now, forget_before=now - self._policy.trusted_for)

    def _trusted(self, pair: str, now: datetime) -> bool:
        last = self._attempts.last_login_success(pair)
        return last is not None and last > now - self._policy.trusted_for

    def _wait(self, key: str, limit: int, now: datetime) -> float:
        """Seconds until `key` has fewer than `limit` failures in the window (0 if it has already)."""
        recent = self._attempts.login_failures(key, since=now - self._policy.window, limit=limit)
        if len(recent) < limit:
            return 0.0
        oldest_counted = recent[limit - 1]
        return max(0.0, (oldest_counted + self._policy.window - now).total_seconds())
