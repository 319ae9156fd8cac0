"""Authentication: password logins (throttled) that yield access tokens, and checking tokens and API keys.

Every check reads the account again, so deactivation, a password change or a revoked key takes effect
on the very next request. Refusals all look alike, so callers learn nothing about which part was wrong.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from passport_registry.accounts.models import User
from passport_registry.accounts.store import AccountStore
from passport_registry.clock import Clock
from passport_registry.errors import TooManyRequests, Unauthenticated
from passport_registry.security import (
    PasswordHasher,
    TokenIssuer,
    api_secret_matches,
    refused,
    split_api_key,
)
from passport_registry.throttle import LoginThrottle

log = logging.getLogger(__name__)


class Method(StrEnum):
    """How a caller proved who it is."""

    TOKEN = "token"
    API_KEY = "api_key"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller: the account, how it authenticated, and the key id if by key."""

    user: User
    method: Method
    key_id: str | None = None


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A freshly issued access token."""

    token: str
    expires_at: datetime
    expires_in: int


class Authenticator:
    """Logs users in and recognises the credentials they present."""

    def __init__(
        self,
        store: AccountStore,
        hasher: PasswordHasher,
        tokens: TokenIssuer,
        throttle: LoginThrottle,
        clock: Clock,
    ) -> None:
        self._store = store
        self._hasher = hasher
        self._tokens = tokens
        self._throttle = throttle
        self._clock = clock

    def login(self, email: str, password: str, client_address: str | None) -> AccessToken:
        """An access token for a right email and password of an active account.

        Raises `TooManyRequests` (with a `Retry-After` header), before looking at the password, when
        `LoginThrottle` says this account may not be tried from `client_address` now; otherwise
        `Unauthenticated` for any wrong, unknown or inactive combination.
        """
        wait = self._throttle.retry_after(email, client_address)
        if wait is not None:
            log.warning("login throttled (address %s)", client_address)
            raise TooManyRequests(
                "Too many failed logins; try again later.",
                headers={"Retry-After": str(wait)},
                retry_after=wait,
            )
        user = self._store.find_user_by_email(email)
        stored = None if user is None else self._store.password_hash(user.id)
        if user is None or stored is None:
            self._hasher.verify_nothing(password)
            good = False
        else:
            good = self._hasher.verify(stored, password) and user.active
        if user is None or not good:
            self._throttle.record_failure(email, client_address)
            log.info("login failed (account %s, address %s)", user.id if user else "unknown", client_address)
            raise Unauthenticated(
                "Wrong email or password.", headers={"WWW-Authenticate": "Bearer"}, error="invalid_grant"
            )
        self._throttle.record_success(email, client_address)
        assert stored is not None
        if self._hasher.needs_rehash(stored):
            self._store.update_user(user, password_hash=self._hasher.hash(password))
        token, expires_at = self._tokens.issue(user.id, user.token_generation)
        log.info("login of user %s (address %s)", user.id, client_address)
        return AccessToken(
            token=token, expires_at=expires_at, expires_in=int(self._tokens.lifetime.total_seconds())
        )

    def authenticate(self, credential: str) -> Principal:
        """The caller behind a bearer credential: an access token or an API key (`bpr_...`).

        Raises `Unauthenticated` for anything expired, tampered, revoked, of an inactive account or
        issued before the account's tokens were ended.
        """
        if split_api_key(credential) is not None:
            return self.authenticate_api_key(credential)
        claims = self._tokens.verify(credential)
        user = self._store.get_user(claims.subject)
        if user is None or not user.active or user.token_generation != claims.generation:
            raise refused()
        return Principal(user=user, method=Method.TOKEN)

    def authenticate_api_key(self, presented: str) -> Principal:
        """The owner of a usable API key; raises `Unauthenticated` otherwise."""
        parts = split_api_key(presented)
        if parts is None:
            raise refused()
        key_id, secret = parts
        found = self._store.get_api_key(key_id)
        if found is None or not api_secret_matches(secret, found[1]) or not found[0].usable_at(self._clock()):
            raise refused()
        user = self._store.get_user(found[0].user_id)
        if user is None or not user.active:
            raise refused()
        return Principal(user=user, method=Method.API_KEY, key_id=key_id)
