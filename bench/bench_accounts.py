"""What authentication costs, and what the account database needs, on both account stores.

1. Request costs: a login with production argon2 parameters, and an authenticated request (access
   token, API key) against an unauthenticated baseline route in the same app and run; accounts in
   SQLite (in memory, as before) and in PostgreSQL.
2. Storage: bytes per account (a user with one role, a production argon2id hash), per API key, per
   failed login (the throttle writes three rows: pair, account, address) and per remembered success,
   measured as the growth of the tables with their indexes (PostgreSQL: `pg_total_relation_size` after
   VACUUM; SQLite: pages in use) over `--accounts` accounts and `--failures` failures.

PostgreSQL: `--accounts-url` names a database to use (a schema `bench_accounts` is created there and
dropped afterwards); without it a throwaway cluster is started in a temporary directory with the test
suite's helper (`tests/postgres_server.py`, Debian's `postgresql` binaries; fsync off, which changes
write timings but not sizes). Without either, the PostgreSQL rows are skipped and the results say so.

Run: PYTHONPATH=src python bench/bench_accounts.py   (writes bench/results/accounts.txt)
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from fastapi.testclient import TestClient

from passport_registry.accounts.models import ApiKey, User
from passport_registry.accounts.postgres import PostgresAccountStore, describe_url
from passport_registry.accounts.sqlite import SqliteAccountStore
from passport_registry.accounts.store import AccountStore
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.security import PasswordHasher, hash_api_secret
from passport_registry.services.accounts import Accounts
from passport_registry.throttle import account_key, address_key, pair_key

RESULTS = Path(__file__).parent / "results" / "accounts.txt"
TABLES = ("users", "user_roles", "api_keys", "login_failures", "login_successes")
T0 = datetime(2027, 2, 18, 9, 0, tzinfo=UTC)


def per_call_ms(call: Callable[[], object], repeat: int) -> float:
    """Median of five runs of `repeat` calls, in milliseconds per call."""
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            call()
        runs.append((time.perf_counter() - start) / repeat * 1000)
    return statistics.median(runs)


def request_costs(label: str, accounts_url: str | None) -> list[tuple[str, float]]:
    settings = Settings(
        dev=False,
        secret_key=secrets.token_urlsafe(32),
        base_url="http://testserver",
        accounts_url=accounts_url,
    )
    accounts = Accounts.open(settings)  # production argon2 parameters
    password = secrets.token_urlsafe(16)
    admin = accounts.users.bootstrap_admin(
        email=f"admin-{uuid.uuid4().hex[:8]}@registry.example", password=password
    )
    _, key = accounts.users.create_api_key(admin, name="bench")
    form = {"username": admin.email, "password": password}
    with TestClient(create_app(settings, accounts=accounts)) as client:
        token = client.post("/auth/token", data=form).json()["access_token"]
        bearer, api_key = {"Authorization": f"Bearer {token}"}, {"X-API-Key": key}
        rows = [
            (f"[{label}] GET /health (no auth, baseline)", per_call_ms(lambda: client.get("/health"), 300)),
            (
                f"[{label}] GET /users/me with an access token",
                per_call_ms(lambda: client.get("/users/me", headers=bearer), 300),
            ),
            (
                f"[{label}] GET /users/me with an API key",
                per_call_ms(lambda: client.get("/users/me", headers=api_key), 300),
            ),
            (
                f"[{label}] POST /auth/token (argon2id m=64MiB t=3 p=4)",
                per_call_ms(lambda: client.post("/auth/token", data=form), 4),
            ),
        ]
    accounts.close()
    return rows


def _user(n: int) -> User:
    return User(
        id=str(uuid.uuid4()),
        email=f"user{n:07d}@operator-{n % 97:02d}.example",
        display_name=f"User {n}",
        organisation=f"EO-{n % 97:04d}",
        roles=frozenset({Role.ECONOMIC_OPERATOR}),
        active=True,
        created_at=T0,
        updated_at=T0,
    )


def fill(store: AccountStore, phase: str, count: int, password_hash: str) -> None:
    """Write `count` of one kind of row through the store's own methods, as the registry writes them."""
    owner = store.list_users(limit=1).users[0].id if phase == "api keys" else ""
    for n in range(count):
        email, address = f"user{n:07d}@operator.example", f"198.51.{n // 256 % 256}.{n % 256}"
        if phase == "accounts":
            store.add_user(_user(n), password_hash)
        elif phase == "api keys":
            key = ApiKey(id=secrets.token_hex(8), user_id=owner, name=f"key {n}", created_at=T0)
            store.add_api_key(key, hash_api_secret(secrets.token_urlsafe(32)))
        elif phase == "failed logins":
            keys = [pair_key(email, address), account_key(email), address_key(address)]
            store.add_login_failure(
                keys, T0 + timedelta(microseconds=n), forget_before=T0 - timedelta(days=1)
            )
        else:
            moment = T0 + timedelta(microseconds=n)
            store.add_login_success(pair_key(email, address), moment, forget_before=T0 - timedelta(days=60))


def postgres_bytes(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        row = conn.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "WHERE c.relname = ANY(%s) AND c.relnamespace = current_schema()::regnamespace",
            (list(TABLES),),
        ).fetchone()
    return int(row[0]) if row else 0


def sqlite_bytes(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = (
            db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]
        )
        return int(pages * db.execute("PRAGMA page_size").fetchone()[0])
    finally:
        db.close()


def storage_costs(
    label: str, open_store: Callable[[], AccountStore], measure: Callable[[], int], sizes: dict[str, int]
) -> list[tuple[str, float]]:
    password_hash = PasswordHasher().hash(secrets.token_urlsafe(16))  # the real length of a stored hash
    store = open_store()
    rows = []
    try:
        before = measure()
        for phase, count in sizes.items():
            start = time.perf_counter()
            fill(store, phase, count, password_hash)
            seconds = time.perf_counter() - start
            after = measure()
            per = {
                "accounts": "account (user, one role)",
                "api keys": "API key",
                "failed logins": "failed login (3 rows: pair, account, address)",
                "remembered successes": "remembered success (1 row)",
            }[phase]
            rows.append((f"[{label}] bytes per {per}, {count:,} written", (after - before) / count))
            rows.append((f"[{label}]   ms to write one (one at a time)", seconds / count * 1000))
            before = after
        # The reads behind every request with credentials: the account (token), the key then its account.
        some = store.list_users(limit=1).users[0]
        key_id = store.list_api_keys(some.id)[0].id if store.list_api_keys(some.id) else None
        rows.append(
            (f"[{label}] ms per get_user (store call)", per_call_ms(lambda: store.get_user(some.id), 1000))
        )
        if key_id is not None:
            rows.append(
                (
                    f"[{label}] ms per get_api_key (store call)",
                    per_call_ms(lambda: store.get_api_key(key_id), 1000),
                )
            )
    finally:
        store.close()
    return rows


@contextmanager
def postgres_database(url: str | None) -> Iterator[tuple[str | None, str]]:
    """(URL of an empty schema, where it is), or (None, why not)."""
    if url is not None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS bench_accounts CASCADE")
            conn.execute("CREATE SCHEMA bench_accounts")
        joiner = "&" if "?" in url else "?"
        try:
            yield f"{url}{joiner}options=-csearch_path%3Dbench_accounts", "the given --accounts-url"
        finally:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DROP SCHEMA bench_accounts CASCADE")
        return
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
    from postgres_server import PostgresCluster, postgres_bindir

    bindir = postgres_bindir()
    if bindir is None:
        yield None, "PostgreSQL is not installed (apt-get install postgresql) and no --accounts-url was given"
        return
    cluster = PostgresCluster(bindir)
    try:
        version = cluster.bindir.parent.name
        yield cluster.fresh_url(), f"a throwaway PostgreSQL {version} cluster on loopback TCP, fsync off"
    finally:
        cluster.stop()


def _options(args: argparse.Namespace) -> str:
    """The command-line options of this run, the URL without its password."""
    shown = [] if args.accounts_url is None else [f" --accounts-url {describe_url(args.accounts_url)}"]
    for name in ("accounts", "api_keys", "failures", "successes"):
        shown.append(f" --{name.replace('_', '-')} {getattr(args, name)}")
    return "".join(shown)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts-url", default=os.environ.get("PASSPORT_REGISTRY_ACCOUNTS_URL"))
    parser.add_argument("--accounts", type=int, default=10_000)
    parser.add_argument("--api-keys", type=int, default=10_000)
    parser.add_argument("--failures", type=int, default=30_000)
    parser.add_argument("--successes", type=int, default=10_000)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = {
        "accounts": args.accounts,
        "api keys": args.api_keys,
        "failed logins": args.failures,
        "remembered successes": args.successes,
    }

    rows = request_costs("sqlite", None)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "accounts.sqlite3"
        rows += storage_costs("sqlite", lambda: SqliteAccountStore(path), lambda: sqlite_bytes(path), sizes)
    with postgres_database(args.accounts_url) as (url, where):
        if url is not None:
            rows += request_costs("postgres", url)
            rows += storage_costs(
                "postgres", lambda: PostgresAccountStore(url, pool_size=2), lambda: postgres_bytes(url), sizes
            )
    load = os.getloadavg()[0]
    lines = [
        f"# bench/bench_accounts.py on {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load:.1f} at the end; "
        f"{datetime.now(UTC):%Y-%m-%dT%H:%M}Z",
        "# request costs: in-process ASGI client, medians of 5 runs; sqlite: in memory",
        f"# postgres: {where}",
        "# command: PYTHONPATH=src python bench/bench_accounts.py"
        + ("" if args.accounts_url is None else f" --accounts-url {describe_url(args.accounts_url)}")
        + "".join(
            f" --{k.replace('_', '-')} {v}"
            for k, v in vars(args).items()
            if k not in ("accounts_url", "results")
        ),
    ]
    for name, value in rows:
        unit = "bytes" if name.split("] ", 1)[1].startswith("bytes") else "ms"
        lines.append(f"{name:<82} {value:10.3f} {unit}")
    args.results.parent.mkdir(exist_ok=True)
    args.results.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
