"""Password hashing, access tokens and API-key secrets."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import timedelta

import jwt
import pytest
from accounts_support import ManualClock, cheap_hasher

from passport_registry.errors import Unauthenticated
from passport_registry.security import (
    PasswordHasher,
    TokenIssuer,
    api_secret_matches,
    hash_api_secret,
    new_api_key,
    split_api_key,
)

SECRET = "s" * 40


def issuer(clock: ManualClock, secret: str = SECRET) -> TokenIssuer:
    return TokenIssuer(secret, issuer="http://testserver", lifetime=timedelta(minutes=60), clock=clock)


def test_passwords_hash_with_argon2id_and_salt() -> None:
    hasher = cheap_hasher()
    first, second = hasher.hash("correct horse battery"), hasher.hash("correct horse battery")
    assert first.startswith("$argon2id$") and first != second
    assert hasher.verify(first, "correct horse battery")
    assert not hasher.verify(first, "correct horse batterY")
    assert not hasher.verify("not a hash", "correct horse battery")
    hasher.verify_nothing("anything")


def test_rehash_is_needed_when_parameters_change() -> None:
    old = cheap_hasher().hash("pw")
    assert not cheap_hasher().needs_rehash(old)
    assert PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).needs_rehash(old)


def test_token_round_trip(clock: ManualClock) -> None:
    token, expires_at = issuer(clock).issue("user-1", 3)
    claims = issuer(clock).verify(token)
    assert (claims.subject, claims.generation, claims.expires_at) == ("user-1", 3, expires_at)
    assert expires_at == clock.now + timedelta(minutes=60)
    decoded = jwt.decode(
        token, SECRET, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False}
    )
    assert {"sub", "jti", "exp", "iat", "iss", "gen"} <= decoded.keys()
    assert issuer(clock).issue("user-1", 3)[0] != token  # every token has its own jti


def test_expired_tokens_are_refused(clock: ManualClock) -> None:
    token, _ = issuer(clock).issue("user-1", 0)
    clock.advance(minutes=59)
    issuer(clock).verify(token)
    clock.advance(minutes=1)
    with pytest.raises(Unauthenticated):
        issuer(clock).verify(token)


def _tamper(token: str, **changes: object) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def test_tampered_and_foreign_tokens_are_refused(clock: ManualClock) -> None:
    token, _ = issuer(clock).issue("user-1", 0)
    now = int(clock.now.timestamp())
    forged = [
        _tamper(token, sub="user-2"),
        _tamper(token, gen=1),
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        issuer(clock, secret="t" * 40).issue("user-1", 0)[0],
        jwt.encode(
            {"sub": "user-1", "gen": 0, "jti": "x", "iat": now, "exp": now + 60, "iss": "http://testserver"},
            key=None,
            algorithm="none",
        ),
        jwt.encode({"sub": "user-1", "iss": "http://testserver"}, SECRET, algorithm="HS256"),
        jwt.encode(
            {"sub": "user-1", "gen": 0, "jti": "x", "iat": now, "exp": now + 60, "iss": "http://elsewhere"},
            SECRET,
            algorithm="HS256",
        ),
        "not-a-token",
        "",
    ]
    for bad in forged:
        with pytest.raises(Unauthenticated):
            issuer(clock).verify(bad)


def test_signing_needs_a_long_secret(clock: ManualClock) -> None:
    with pytest.raises(ValueError):
        issuer(clock, secret="short")


def test_api_keys_split_and_match() -> None:
    key_id, secret, full = new_api_key()
    assert full == f"bpr_{key_id}_{secret}" and split_api_key(full) == (key_id, secret)
    assert api_secret_matches(secret, hash_api_secret(secret))
    assert not api_secret_matches(secret + "x", hash_api_secret(secret))
    assert hash_api_secret(secret) != secret and secret not in hash_api_secret(secret)
    for malformed in [
        "bpr_",
        "bpr_xyz_secret",
        f"bpr_{key_id}",
        f"bpr_{key_id}_",
        "Bpr_" + full[4:],
        secrets.token_hex(),
    ]:
        assert split_api_key(malformed) is None
