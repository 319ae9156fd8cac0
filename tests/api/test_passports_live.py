"""End to end over a real socket: `serve --dev --load-examples` (what `make run` starts), then real HTTP."""

from __future__ import annotations

import re
from pathlib import Path

import httpx2 as httpx
import requests
from pyld import jsonld
from pyld.documentloader.requests import requests_document_loader

from dev_server import demo_logins, dev_server
from loopback import free_port
from passport_graphs import ill_typed, same_graph
from passports_support import EXAMPLES, canonical, expected_graph, graph


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


def test_pyld_over_http_expands_our_documents_with_nothing_but_our_responses(tmp_path: Path) -> None:
    # pyld's own HTTP document loader: it fetches the passport, then the @context URL the document names
    # (or the context its Link header names, for application/json), from the live registry and nowhere else.
    port = free_port()
    with dev_server(tmp_path, "--load-examples", cwd=tmp_path, port=port) as (url, output):
        assert url == f"http://127.0.0.1:{port}"
        ids = re.findall(r"/passports/([A-Za-z0-9_-]+)  \(", output)
        assert len(ids) == len(list(EXAMPLES.glob("*.json")))
        fetched: list[str] = []
        session = requests.Session()
        session.hooks["response"].append(lambda response, *_, **__: fetched.append(response.url))
        loader = requests_document_loader(timeout=10)
        loader.session = session  # keeps pyld's loader as it is; the hook only records what it fetched
        for passport_id in ids:
            location = f"{url}/passports/{passport_id}"
            expected = httpx.get(location, headers={"Accept": "application/n-triples"}).text
            for accept in ("application/ld+json", "application/json"):
                jsonld._resolved_context_cache.clear()  # pyld caches contexts process-wide
                fetched.clear()
                nquads = jsonld.to_rdf(
                    location,
                    {
                        "format": "application/n-quads",
                        "documentLoader": loader,
                        "headers": {"Accept": accept},
                    },
                )
                assert fetched == [location, f"{url}/contexts/battery-passport.jsonld"], accept
                assert ill_typed(nquads) == [], accept
                assert same_graph(nquads, expected), accept
