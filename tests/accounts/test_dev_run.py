"""The README's run command: `serve --dev` prints a demo login that works, and nothing else needs a secret."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx


def test_dev_serve_prints_a_working_demo_login(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src"), "PYTHONUNBUFFERED": "1"}
    env.pop("PASSPORT_REGISTRY_SECRET_KEY", None)
    command = [sys.executable, "-c", "from passport_registry.cli import app; app()",
               "serve", "--dev", "--port", "0", "--data-dir", str(tmp_path)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
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
        logins = dict(re.findall(r"Demo login \([a-z_, ]+\): (\S+)  password: (\S+)", output))
        assert set(logins) == {"admin@registry.example", "operator@registry.example"}, output
        with httpx.Client(base_url=url) as client:
            for email, password in logins.items():
                token = client.post("/auth/token", data={"username": email, "password": password})
                assert token.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
