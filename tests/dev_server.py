"""Test helper: run `passport-registry serve` as a real process and wait until it listens."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"


@contextmanager
def dev_server(
    data_dir: Path,
    *extra: str,
    cwd: Path | None = None,
    port: int | None = 0,
    settings: dict[str, str] | None = None,
) -> Iterator[tuple[str, str]]:
    """Start `serve --dev --port PORT` on `data_dir`; yield (base URL, everything it printed until listening).

    With the default port 0 the system picks one, but the registry's base URL (in passport IRIs and the
    `@context` URL of its documents) then names port 0: give a `free_port()` where those must resolve.
    The process gets no secret from the environment, as on a newcomer's machine, plus `settings`
    (environment variables such as `PASSPORT_REGISTRY_SPARQL_TIMEOUT_S`); it is stopped on exit. With
    `port=None` no `--port` is given (the environment's `PASSPORT_REGISTRY_PORT`, or the default, holds).
    """
    env = {**os.environ, **(settings or {})}
    env.pop("PASSPORT_REGISTRY_SECRET_KEY", None)
    with serve_process("--dev", "--data-dir", str(data_dir), *extra, env=env, cwd=cwd, port=port) as started:
        yield started


@contextmanager
def serve_process(
    *args: str, env: dict[str, str], cwd: Path | None = None, port: int | None = 0
) -> Iterator[tuple[str, str]]:
    """Start `passport-registry serve --port PORT ARGS` with exactly `env`; yield (base URL, what it
    printed until listening). Stopped on exit."""
    env = {**env, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"}
    command = [*serve_command(), *(["--port", str(port)] if port is not None else []), *args]
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    drain = threading.Thread(target=lambda: process.stdout and process.stdout.read(), daemon=True)
    try:
        assert process.stdout is not None
        output, url, deadline = "", None, time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output += line
            found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
            url = found.group(1) if found else None
        assert url is not None, output
        # Keep reading what it prints, so a chatty server never blocks on a full pipe.
        drain.start()
        yield url, output
    finally:
        process.terminate()
        process.wait(timeout=10)
        if drain.is_alive():
            drain.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def serve_command() -> list[str]:
    """`passport-registry serve` from this checkout's sources (give PYTHONPATH=SRC in its environment)."""
    return [sys.executable, "-c", "from passport_registry.cli import app; app()", "serve"]


def run_serve(*args: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run `passport-registry serve ARGS` to its end (for starts that must fail); output merged."""
    env = {**env, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [*serve_command(), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )


def demo_logins(output: str) -> dict[str, str]:
    """The demo logins (email -> password) a `--dev` start printed."""
    return dict(re.findall(r"Demo login \([a-z_, ]+\): (\S+)  password: (\S+)", output))
