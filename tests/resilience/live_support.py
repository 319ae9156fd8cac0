"""A real `passport-registry serve` process (production mode, fixed port and secret) that the resilience
suites start, SIGKILL and restart on the same data directory, and the HTTP calls they make to it."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pyoxigraph as ox

from dev_server import SRC
from loopback import free_port
from passport_registry.rdf import parse
from passports_support import canonical, rooted_graph

ADMIN_EMAIL = "admin@registry.example"


def cli(
    *args: str, stdin: str | None = None, settings: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `passport-registry ARGS` as a process (its output captured), with `settings` as environment
    variables and no store or accounts URL from the caller's environment."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("PASSPORT_REGISTRY_STORE_URL", None)
    env.pop("PASSPORT_REGISTRY_ACCOUNTS_URL", None)
    env.update(settings or {})
    command = [sys.executable, "-c", "from passport_registry.cli import app; app()", *args]
    return subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, timeout=300)


class LiveRegistry:
    """`serve --data-dir D` on a fixed port with a fixed secret, so tokens and passport IRIs stay valid
    across a kill and a restart. `base_url` names the public URL (the same for a restored copy)."""

    def __init__(self, data_dir: Path, *, base_url: str | None = None, secret: str | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.base_url = base_url or self.url
        self.secret = secret or secrets.token_urlsafe(32)
        self.process: subprocess.Popen[str] | None = None
        self.output = ""
        self.starts = 0

    def create_admin(self, password: str) -> None:
        done = cli("users", "create-admin", "--email", ADMIN_EMAIL, "--password-stdin",
                   "--data-dir", str(self.data_dir), stdin=password + "\n")  # fmt: skip
        assert done.returncode == 0, done.stderr

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"}
        env["PASSPORT_REGISTRY_SECRET_KEY"] = self.secret
        for name in ("STORE_URL", "ACCOUNTS_URL"):
            env.pop(f"PASSPORT_REGISTRY_{name}", None)
        command = [sys.executable, "-c", "from passport_registry.cli import app; app()", "serve",
                   "--port", str(self.port), "--data-dir", str(self.data_dir),
                   "--base-url", self.base_url]  # fmt: skip
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output += line
            if "Uvicorn running on" in line:
                threading.Thread(target=self._drain, args=(self.process,), daemon=True).start()
                self.starts += 1
                return
        raise AssertionError(f"the server did not start:\n{self.output[-3000:]}")

    def _drain(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self.output += line

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush, no lifespan."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._reap()

    def _reap(self) -> None:
        assert self.process is not None
        self.process.wait(timeout=30)
        time.sleep(0.1)  # let the drain thread read the end of the pipe
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def login(self, email: str, password: str) -> str:
        response = httpx.post(f"{self.url}/auth/token", data={"username": email, "password": password})
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def add_operator(self, admin_token: str, organisation: str, password: str) -> str:
        """Create an economic operator of `organisation`; its email."""
        email = f"eo-{organisation.lower()}@registry.example"
        body = {"email": email, "display_name": organisation, "password": password,
                "roles": ["economic_operator"], "organisation": organisation}  # fmt: skip
        response = httpx.post(f"{self.url}/users", json=body, headers=bearer(admin_token))
        assert response.status_code == 201, response.text
        return email


def bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **{k.replace("_", "-"): v for k, v in extra.items()}}


def document_triples(document: dict[str, Any], passport: str) -> int:
    """How many triples a plain-JSON passport stored under `passport` has."""
    return len(parse(json.dumps(document).encode(), "application/json", passport))


def document_graph(document: dict[str, Any], passport: str) -> set[str]:
    """The canonical graph of a plain-JSON passport stored under the IRI `passport`."""
    triples = [q.triple for q in parse(json.dumps(document).encode(), "application/json", passport)]
    return rooted_graph(triples, passport)


def stored_graph(body: bytes, passport: str) -> set[str]:
    """The canonical graph of an N-Triples representation of `passport`."""
    return canonical([q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)], passport)
