"""Test helper: run `passport-registry serve --dev` as a real process and wait until it listens."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SRC = Path(__file__).parents[1] / "src"


@contextmanager
def dev_server(
    data_dir: Path, *extra: str, cwd: Path | None = None, port: int = 0
) -> Iterator[tuple[str, str]]:
    """Start `serve --dev --port PORT` on `data_dir`; yield (base URL, everything it printed until listening).

    With the default port 0 the system picks one, but the registry's base URL (in passport IRIs and the
    `@context` URL of its documents) then names port 0: give a `free_port()` where those must resolve.
    The process gets no secret from the environment, as on a newcomer's machine; it is stopped on exit.
    """
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONUNBUFFERED": "1"}
    env.pop("PASSPORT_REGISTRY_SECRET_KEY", None)
    command = [sys.executable, "-c", "from passport_registry.cli import app; app()",
               "serve", "--dev", "--port", str(port), "--data-dir", str(data_dir), *extra]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        assert process.stdout is not None
        output, url, deadline = "", None, time.monotonic() + 30
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output += line
            found = re.search(r"Uvicorn running on (http://127\.0\.0\.1:\d+)", line)
            url = found.group(1) if found else None
        assert url is not None, output
        yield url, output
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        found: int = probe.getsockname()[1]
        return found


def demo_logins(output: str) -> dict[str, str]:
    """The demo logins (email -> password) a `--dev` start printed."""
    return dict(re.findall(r"Demo login \([a-z_, ]+\): (\S+)  password: (\S+)", output))
