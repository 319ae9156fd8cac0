"""Property-based API test generated from the registry's own OpenAPI document: schemathesis runs every
check (status codes, content types, response schemas and headers, positive and negative data, missing
headers, unsupported methods, `Allow`, authentication, stateful sequences) against a live server, as an
anonymous caller, as an admin and as an economic operator, each on a fresh registry holding a passport.

CI runs a bounded budget with a fixed seed. Longer runs, with a random seed:

    make api-fuzz                                  # API_FUZZ_EXAMPLES=200
    API_FUZZ_EXAMPLES=50 API_FUZZ_SEED=7 .venv/bin/python -m pytest tests/api/test_openapi_fuzz.py

What counts as "accepted" where the schema cannot say more (RDF bodies, opaque cursors) is set, with
the reasons, in `tests/api/schemathesis.toml`.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from live_app import live_app
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts
from passports_support import cheap_hasher, example

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("st")
#: Test cases per operation and phase; CI keeps the whole file within a couple of minutes.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
#: A fixed seed makes CI reproducible; `API_FUZZ_SEED=random` draws a new one per run.
SEED = os.environ.get("API_FUZZ_SEED", "20270218")
PASSWORDS = {"admin": secrets.token_urlsafe(12), "economic_operator": secrets.token_urlsafe(12)}


@pytest.fixture
def live_registry(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A registry on disk behind uvicorn on loopback, with an admin, an economic operator and one of
    its passports; yields its URL and a bearer token per caller (taken before any fuzzing)."""
    settings = Settings(dev=True, data_dir=tmp_path / "data")
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    admin = accounts.users.bootstrap_admin(email="admin@registry.example", password=PASSWORDS["admin"])
    accounts.users.create_user(
        admin, email="operator@registry.example", password=PASSWORDS["economic_operator"],
        display_name="E-bike maker", organisation="NL859412367B01", roles=frozenset({Role.ECONOMIC_OPERATOR}),
    )  # fmt: skip
    try:
        with live_app(create_app(settings, accounts=accounts)) as url, httpx.Client(base_url=url) as client:
            tokens = {}
            for caller, email in (
                ("admin", "admin@registry.example"),
                ("economic_operator", "operator@registry.example"),
            ):
                login = client.post("/auth/token", data={"username": email, "password": PASSWORDS[caller]})
                tokens[caller] = login.json()["access_token"]
            operator = {"Authorization": f"Bearer {tokens['economic_operator']}"}
            created = client.post(
                "/passports",
                content=example("lmt-ebike-nmc.json"),
                headers={**operator, "Content-Type": "application/ld+json"},
            )
            assert created.status_code == 201, created.text
            yield url, tokens
    finally:
        accounts.close()


@pytest.mark.skipif(
    not SCHEMATHESIS.exists(), reason="schemathesis is not installed (pip install -e '.[dev]')"
)
@pytest.mark.parametrize("caller", ["anonymous", "admin", "economic_operator"])
def test_the_server_keeps_every_promise_of_its_openapi_document(
    live_registry: tuple[str, dict[str, str]], caller: str, tmp_path: Path
) -> None:
    url, tokens = live_registry
    command = [str(SCHEMATHESIS), "--no-color", "--config-file", str(CONFIG), "run", f"{url}/openapi.json",
               "--checks", "all", "--max-examples", str(EXAMPLES), "--workers", "1",
               "--request-timeout", "30", "--max-failures", "50", "--continue-on-failure"]  # fmt: skip
    if SEED != "random":
        command += ["--seed", SEED]
    if caller != "anonymous":
        command += ["--header", f"Authorization: Bearer {tokens[caller]}"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=1800, check=False)
    output = done.stdout + done.stderr
    summary = re.search(r"Test cases:\s*\n\s*(\d+) generated", output)
    assert summary and int(summary.group(1)) > 0, output[-3000:]
    failures = output[output.find("FAILURES") :] if "FAILURES" in output else output[-3000:]
    assert done.returncode == 0, failures[:20000]
