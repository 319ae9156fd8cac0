"""The README's run command: `serve --dev` prints a demo login that works, and nothing else needs a secret."""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx

from dev_server import demo_logins, dev_server


def test_dev_serve_prints_a_working_demo_login(tmp_path: Path) -> None:
    with dev_server(tmp_path) as (url, output):
        logins = demo_logins(output)
        assert set(logins) == {"admin@registry.example", "operator@registry.example"}, output
        with httpx.Client(base_url=url) as client:
            for email, password in logins.items():
                token = client.post("/auth/token", data={"username": email, "password": password})
                assert token.status_code == 200
