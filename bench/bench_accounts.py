"""What authentication costs: a login with production argon2 parameters, and an authenticated request
(access token, API key) against an unauthenticated baseline route in the same app and run.

Run: PYTHONPATH=src python bench/bench_accounts.py   (writes bench/results/accounts.txt)
"""

from __future__ import annotations

import platform
import secrets
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.services.accounts import Accounts

RESULTS = Path(__file__).parent / "results" / "accounts.txt"


def per_call_ms(call: Callable[[], object], repeat: int) -> float:
    """Median of five runs of `repeat` calls, in milliseconds per call."""
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            call()
        runs.append((time.perf_counter() - start) / repeat * 1000)
    return statistics.median(runs)


def main() -> None:
    settings = Settings(dev=False, secret_key=secrets.token_urlsafe(32), base_url="http://testserver")
    accounts = Accounts.open(settings)  # production argon2 parameters
    password = secrets.token_urlsafe(16)
    admin = accounts.users.bootstrap_admin(email="admin@registry.example", password=password)
    _, key = accounts.users.create_api_key(admin, name="bench")
    form = {"username": "admin@registry.example", "password": password}
    with TestClient(create_app(settings, accounts=accounts)) as client:
        token = client.post("/auth/token", data=form).json()["access_token"]
        bearer, api_key = {"Authorization": f"Bearer {token}"}, {"X-API-Key": key}
        rows = [
            ("GET /health (no auth, baseline)", per_call_ms(lambda: client.get("/health"), 300)),
            (
                "GET /users/me with an access token",
                per_call_ms(lambda: client.get("/users/me", headers=bearer), 300),
            ),
            (
                "GET /users/me with an API key",
                per_call_ms(lambda: client.get("/users/me", headers=api_key), 300),
            ),
            (
                "POST /auth/token (argon2id m=64MiB t=3 p=4)",
                per_call_ms(lambda: client.post("/auth/token", data=form), 4),
            ),
        ]
    accounts.close()
    lines = [f"# bench/bench_accounts.py on {platform.python_implementation()} {platform.python_version()}, "
             f"{platform.machine()}; in-process ASGI client, medians of 5 runs"]  # fmt: skip
    lines += [f"{name:<48} {ms:8.3f} ms/request" for name, ms in rows]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
