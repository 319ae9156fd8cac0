"""End to end over a real socket: `serve --dev --load-examples` (what `make run` starts), then real HTTP."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
from passports_support import EXAMPLES, canonical, expected_graph, graph


def test_make_run_serves_the_examples(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src"), "PYTHONUNBUFFERED": "1"}
    env.pop("PASSPORT_REGISTRY_SECRET_KEY", None)
    command = [sys.executable, "-c", "from passport_registry.cli import app; app()",
               "serve", "--dev", "--port", "0", "--data-dir", str(tmp_path), "--load-examples"]  # fmt: skip
    process = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
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
        loaded = dict(re.findall(r"/passports/([A-Za-z0-9_-]+)  \((\S+)\)", output))
        assert sorted(loaded.values()) == sorted(p.name for p in EXAMPLES.glob("*.json")), output
        logins = dict(re.findall(r"Demo login \([a-z_, ]+\): (\S+)  password: (\S+)", output))
        operator = "operator@registry.example"
        with httpx.Client(base_url=url) as client:
            token = client.post("/auth/token", data={"username": operator, "password": logins[operator]})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            listed = client.get("/passports", headers=headers).json()["items"]
            assert sorted(p["id"] for p in listed) == sorted(loaded)
            for passport_id, name in loaded.items():
                response = client.get(
                    f"/passports/{passport_id}", headers={**headers, "Accept": "text/turtle"}
                )
                assert response.status_code == 200
                iri = next(p["iri"] for p in listed if p["id"] == passport_id)
                assert canonical(graph(response.content, "text/turtle"), iri) == expected_graph(name, iri)
            page = client.get(f"/passports/{next(iter(loaded))}", headers={"Accept": "text/html"})
            assert page.status_code == 200 and "<svg" in page.text
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
