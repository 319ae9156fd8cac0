"""Passport GET over HTTP: cached bytes vs rendering each time, against a bare route returning the same bytes.

    PYTHONPATH=src /work/venv/bin/python bench/passports_http.py [--requests 300] [--out FILE.json]

One owner passport (examples/passports/ev-nmc-car-pack.json) on an on-disk store, read through the real
app (starlette TestClient, lifespan run, no socket) anonymously and as the owner, per media type. "uncached"
clears the renderer's cache before each request; the baseline is a bare FastAPI route returning the
cached bytes, so the difference is what the registry adds (authentication, metadata read, negotiation).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from fastapi import FastAPI, Response
from fastapi.testclient import TestClient

from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.security import PasswordHasher
from passport_registry.services.accounts import Accounts

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "passports" / "ev-nmc-car-pack.json"
TYPES = ["application/ld+json", "text/turtle", "application/n-triples", "text/html"]


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def timed_gets(client: TestClient, url: str, headers: dict[str, str], n: int, before: object = None) -> float:
    samples = []
    for _ in range(n):
        if callable(before):
            before()
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        samples.append(time.perf_counter() - start)
        assert response.status_code == 200
    return median_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path("bench/results/passports_http.json"))
    args = parser.parse_args()
    results: dict[str, object] = {"machine": platform.platform(), "requests": args.requests, "rows": []}
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(dev=True, data_dir=Path(tmp), base_url="http://testserver")
        accounts = Accounts.open(settings, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        admin = accounts.users.bootstrap_admin(email="a@bench.example", password="bench password")
        accounts.users.create_user(admin, email="eo@bench.example", password="bench password",
                                   display_name="EO", organisation="DE2847193650",
                                   roles=frozenset({Role.ECONOMIC_OPERATOR}))  # fmt: skip
        app = create_app(settings, accounts=accounts)
        with TestClient(app) as client:
            token = client.post(
                "/auth/token", data={"username": "eo@bench.example", "password": "bench password"}
            )
            owner = {"Authorization": f"Bearer {token.json()['access_token']}"}
            created = client.post("/passports", content=EXAMPLE.read_bytes(),
                                  headers={**owner, "Content-Type": "application/ld+json"})  # fmt: skip
            url = created.headers["location"]
            renderer = app.state.renderer
            rows = []
            for caller, auth in (("anonymous", {}), ("owner", owner)):
                for media_type in TYPES:
                    headers = {**auth, "Accept": media_type}
                    body = client.get(url, headers=headers).content
                    bare = FastAPI()
                    bare.get("/bytes")(
                        lambda body=body, media_type=media_type: Response(body, media_type=media_type)
                    )
                    with TestClient(bare) as bare_client:
                        baseline = timed_gets(bare_client, "/bytes", {}, args.requests)
                    cached = timed_gets(client, url, headers, args.requests)
                    uncached = timed_gets(client, url, headers, args.requests, renderer.clear)
                    rows.append({"caller": caller, "media_type": media_type, "bytes": len(body),
                                 "bare_route_ms": baseline, "cached_ms": cached,
                                 "uncached_ms": uncached})  # fmt: skip
            results["rows"] = rows
        accounts.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(
        f"{'caller':10} {'media type':22} {'bytes':>7} {'bare ms':>8} {'cached ms':>10} {'uncached ms':>12}"
    )
    for r in results["rows"]:  # type: ignore[attr-defined]
        print(f"{r['caller']:10} {r['media_type']:22} {r['bytes']:>7} {r['bare_route_ms']:>8} "
              f"{r['cached_ms']:>10} {r['uncached_ms']:>12}")  # fmt: skip


if __name__ == "__main__":
    main()
