"""Password hashing (argon2id), access tokens (signed, expiring JWTs) and API-key secrets.

Nothing here stores anything or knows about HTTP; every failure to verify a token raises
`Unauthenticated` with one message, so a caller never learns why a credential was refused.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import argon2
import jwt

from passport_registry.clock import Clock
from passport_registry.errors import Unauthenticated

#: Every API key starts with this, so leaked keys are easy to recognise (and to scan for).
API_KEY_PREFIX = "bpr_"
_TOKEN_ALGORITHM = "HS256"
_REFUSED = "The credentials are invalid, expired or revoked."


class PasswordHasher:
    """argon2id hashing. Defaults are RFC 9106's second recommended option (64 MiB, 3 passes).

    >>> hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    >>> digest = hasher.hash("correct horse battery")
    >>> hasher.verify(digest, "correct horse battery"), hasher.verify(digest, "wrong")
    (True, False)
    """

    def __init__(self, *, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        self._hasher = argon2.PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )

    def hash(self, password: str) -> str:
        """A salted argon2id hash of `password` in PHC string format."""
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether `password` matches; False (never an exception) for a wrong password or a broken hash."""
        try:
            return self._hasher.verify(password_hash, password)
        except argon2.exceptions.VerificationError:
            return False
        except argon2.exceptions.InvalidHashError:
            return False

    @functools.cached_property
    def _dummy(self) -> str:
        # Made on first use, not in __init__, so starting an app costs no hashing.
        return self._hasher.hash(secrets.token_urlsafe(16))

    def verify_nothing(self, password: str) -> None:
        """Spend the time of one verification, so unknown accounts answer as slowly as known ones."""
        self.verify(self._dummy, password)

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether the hash was made with other parameters than this hasher's."""
        return self._hasher.check_needs_rehash(password_hash)


@dataclass(frozen=True, slots=True)
class TokenClaims:
    """What a verified access token says: whose it is, its generation, its id and its expiry."""

    subject: str
    generation: int
    token_id: str
    expires_at: datetime


class TokenIssuer:
    """Issues and verifies HS256 JWTs carrying `sub`, `gen`, `jti`, `iat`, `exp` and `iss`.

    Expiry is checked against the injected clock. A token is only as good as the user record it
    names: callers must also check that the user is active and that `gen` is still current.
    """

    def __init__(self, secret: str, *, issuer: str, lifetime: timedelta, clock: Clock) -> None:
        if len(secret) < 32:
            raise ValueError("a signing secret needs at least 32 characters")
        self._secret = secret
        self._issuer = issuer
        self._lifetime = lifetime
        self._clock = clock

    @property
    def lifetime(self) -> timedelta:
        return self._lifetime

    def issue(self, subject: str, generation: int) -> tuple[str, datetime]:
        """A new signed token for `subject` and when it expires."""
        now = self._clock()
        expires_at = now + self._lifetime
        claims = {
            "iss": self._issuer,
            "sub": subject,
            "gen": generation,
            "jti": str(uuid.uuid4()),
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
        }
        return jwt.encode(claims, self._secret, algorithm=_TOKEN_ALGORITHM), expires_at

    def verify(self, token: str) -> TokenClaims:
        """The claims of an unexpired token this issuer signed; raises `Unauthenticated` otherwise."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[_TOKEN_ALGORITHM],
                issuer=self._issuer,
                options={
                    "require": ["iss", "sub", "gen", "jti", "iat", "exp"],
                    "verify_exp": False,  # checked below against the injected clock
                    "verify_iat": False,
                },
            )
        except jwt.InvalidTokenError as exc:
            raise Unauthenticated(_REFUSED) from exc
        subject, generation, token_id, expiry = claims["sub"], claims["gen"], claims["jti"], claims["exp"]
        if not (isinstance(subject, str) and isinstance(generation, int) and isinstance(expiry, int)):
            raise Unauthenticated(_REFUSED)
        expires_at = datetime.fromtimestamp(expiry, tz=self._clock().tzinfo)
        if self._clock() >= expires_at:
            raise Unauthenticated(_REFUSED)
        return TokenClaims(
            subject=subject, generation=generation, token_id=str(token_id), expires_at=expires_at
        )


def refused() -> Unauthenticated:
    """The one error every refused credential gets."""
    return Unauthenticated(_REFUSED)


def new_api_key() -> tuple[str, str, str]:
    """A fresh key as (key id, secret, the full key `bpr_<id>_<secret>` shown once to its owner)."""
    key_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return key_id, secret, f"{API_KEY_PREFIX}{key_id}_{secret}"


def split_api_key(presented: str) -> tuple[str, str] | None:
    """(key id, secret) of something shaped like an API key, else None.

    >>> split_api_key("bpr_0123456789abcdef_s3cr_et")
    ('0123456789abcdef', 's3cr_et')
    >>> split_api_key("eyJhbGciOi") is None
    True
    """
    if not presented.startswith(API_KEY_PREFIX):
        return None
    key_id, _, secret = presented[len(API_KEY_PREFIX) :].partition("_")
    if len(key_id) != 16 or not secret or any(c not in "0123456789abcdef" for c in key_id):
        return None
    return key_id, secret


def hash_api_secret(secret: str) -> str:
    """SHA-256 of a key secret: enough for 256 random bits, and cheap enough to check on every request."""
    return hashlib.sha256(secret.encode()).hexdigest()


def api_secret_matches(secret: str, secret_hash: str) -> bool:
    """Constant-time comparison of a presented secret with a stored hash."""
    return hmac.compare_digest(hash_api_secret(secret), secret_hash)
