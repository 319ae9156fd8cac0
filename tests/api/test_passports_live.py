"""End to end over a real socket: `serve --dev --load-examples` (what `make run` starts), then real HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2 as httpx
from passports_support import EXAMPLES, canonical, expected_graph, graph

from dev_server import demo_logins, dev_server


def test_make_run_serves_the_examples(tmp_path: Path) -> None:
    with dev_server(tmp_path, "--load-examples", cwd=tmp_path) as (url, output):
        loaded = dict(re.findall(r"/passports/([A-Za-z0-9_-]+)  \((\S+)\)", output))
        assert sorted(loaded.values()) == sorted(p.name for p in EXAMPLES.glob("*.json")), output
        logins = demo_logins(output)
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
