"""Test helper: run `oxigraph serve` (the `oxigraph` PyPI package, in the dev extra) on 127.0.0.1.

The binary is looked up next to the running Python first (the venv's bin/), then on PATH; tests skip
with that reason only when it is genuinely absent (`make test` installs it).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from loopback import free_port


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    return shutil.which("oxigraph")


class OxigraphServer:
    """One `oxigraph serve --location DIR` on a free loopback port; `url` is its root."""

    def __init__(self, location: Path, *, timeout_s: float | None = None) -> None:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the `oxigraph` command is not installed (pip install oxigraph)")
        self.binary = binary
        self.location = location
        self.timeout_s = timeout_s
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        command = [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        if self.timeout_s is not None:
            command += ["--timeout-s", f"{self.timeout_s:g}"]
        log = open(self.location.parent / f"oxigraph-{self.port}.log", "ab")  # noqa: SIM115 - kept by Popen
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}")
            try:
                httpx.get(self.url + "/query", params={"query": "ASK {}"}, timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not answer within 30 s")

    def update(self, text: str) -> None:
        response = httpx.post(self.url + "/update", data={"update": text}, timeout=60)
        assert response.status_code < 300, response.text

    def reset(self) -> None:
        """Empty the whole dataset."""
        self.update("DROP ALL")

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
