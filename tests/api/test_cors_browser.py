"""CORS as a browser enforces it: headless Chromium runs a page from another origin that reads the
context, a public passport, SPARQL results and an owner's view, and tries a credentialed request.

Needs Debian's `chromium` (`.ci/run` installs it); skipped, saying so, where it is absent.
"""

from __future__ import annotations

import http.server
import json
import re
import secrets
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from live_app import live_app
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts
from passports_support import cheap_hasher, example

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)

#: The page's script: every fetch a cross-origin client makes, each result (or the error) recorded.
SCRIPT = """
const R = %(registry)s, ID = %(id)s, TOKEN = %(token)s;
async function attempt(name, run) {
  try { out[name] = await run(); } catch (e) { out[name] = {blocked: String(e)}; }
}
const out = {};
(async () => {
  await attempt("context", async () => {
    const r = await fetch(R + "/contexts/battery-passport.jsonld");
    return {status: r.status, etag: r.headers.get("ETag"), hasContext: "@context" in await r.json()};
  });
  await attempt("passport", async () => {
    const r = await fetch(R + "/passports/" + ID, {headers: {Accept: "application/json"}});
    return {status: r.status, etag: r.headers.get("ETag"), link: r.headers.get("Link"),
            lastModified: r.headers.get("Last-Modified"), type: (await r.json())["@type"]};
  });
  await attempt("head", async () => {
    const r = await fetch(R + "/passports/" + ID, {method: "HEAD", headers: {Accept: "application/json"}});
    return {status: r.status, etag: r.headers.get("ETag")};
  });
  await attempt("sparql", async () => {
    const r = await fetch(R + "/sparql", {method: "POST", body: "ASK { ?s ?p ?o }",
      headers: {"Content-Type": "application/sparql-query", Accept: "application/sparql-results+json"}});
    return {status: r.status, boolean: (await r.json()).boolean};
  });
  await attempt("owner", async () => {
    const r = await fetch(R + "/passports/" + ID,
      {headers: {Authorization: "Bearer " + TOKEN, Accept: "application/ld+json", "If-None-Match": '"x"'}});
    return {status: r.status, etag: r.headers.get("ETag"), keys: Object.keys(await r.json()).length};
  });
  await attempt("badKey", async () => {
    const r = await fetch(R + "/passports/" + ID, {headers: {"X-API-Key": "garbage"}});
    return {status: r.status, type: r.headers.get("Content-Type"),
            authenticate: r.headers.get("WWW-Authenticate")};
  });
  await attempt("credentialed", async () => {
    const r = await fetch(R + "/ontology", {credentials: "include"});
    return {status: r.status};
  });
  document.getElementById("result").textContent = JSON.stringify(out);
})();
"""


@contextmanager
def _registry(tmp_path: Path, trusted_origin: str) -> Iterator[tuple[str, str, str]]:
    """A live registry allowing credentialed requests from `trusted_origin` only; yields its URL, an
    operator's token and the id of one of its passports."""
    settings = Settings(dev=True, data_dir=tmp_path / "data", cors_credentialed_origins=trusted_origin)
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    admin = accounts.users.bootstrap_admin(email="admin@registry.example", password=secrets.token_urlsafe(12))
    password = secrets.token_urlsafe(12)
    accounts.users.create_user(
        admin, email="ebike@registry.example", password=password, display_name="E-bike maker",
        organisation="NL859412367B01", roles=frozenset({Role.ECONOMIC_OPERATOR}),
    )  # fmt: skip
    app = create_app(settings, accounts=accounts)
    try:
        with live_app(app, log_level="warning") as url, httpx.Client(base_url=url) as client:
            login = client.post(
                "/auth/token", data={"username": "ebike@registry.example", "password": password}
            )
            token = login.json()["access_token"]
            created = client.post(
                "/passports",
                content=example("lmt-ebike-nmc.json"),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"},
            )
            assert created.status_code == 201, created.text
            yield url, token, created.json()["id"]
    finally:
        accounts.close()


def _run_page(url: str, profile: Path) -> dict[str, Any]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               f"--user-data-dir={profile}", "--virtual-time-budget=20000", "--dump-dom", url]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    found = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.DOTALL)
    assert found and found.group(1), (done.returncode, done.stdout[-2000:], done.stderr[-2000:])
    result: dict[str, Any] = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
    return result


def test_a_page_on_another_origin_uses_the_api(tmp_path: Path) -> None:
    """From the allow-listed origin and from another one (`localhost` is another origin than
    `127.0.0.1`): everything works from both, but a credentialed request only from the listed one."""
    holder: dict[str, bytes] = {}
    with _page_server(holder) as page_port:
        trusted = f"http://127.0.0.1:{page_port}"
        with _registry(tmp_path, trusted) as (registry, token, passport_id):
            holder["page"] = _page(registry, token, passport_id)
            for origin, credentialed_allowed in ((trusted, True), (f"http://localhost:{page_port}", False)):
                result = _run_page(origin + "/", tmp_path / f"profile-{credentialed_allowed}")
                assert result["context"]["status"] == 200 and result["context"]["hasContext"], result
                assert result["context"]["etag"], result
                passport = result["passport"]
                assert passport["status"] == 200 and passport["type"] == "BatteryPassport", result
                assert passport["etag"] and passport["lastModified"], result
                assert "json-ld#context" in passport["link"], result
                assert result["head"] == {"status": 200, "etag": passport["etag"]}, result
                assert result["sparql"] == {"status": 200, "boolean": True}, result
                owner = result["owner"]
                assert owner["status"] == 200 and owner["etag"] != passport["etag"], result
                assert result["badKey"]["status"] == 401, result
                assert result["badKey"]["type"] == "application/problem+json", result
                assert result["badKey"]["authenticate"], result
                if credentialed_allowed:
                    assert result["credentialed"] == {"status": 200}, result
                else:
                    assert "blocked" in result["credentialed"], result


def _page(registry: str, token: str, passport_id: str) -> bytes:
    script = SCRIPT % {
        "registry": json.dumps(registry),
        "id": json.dumps(passport_id),
        "token": json.dumps(token),
    }
    return (
        f'<!doctype html><html><body><pre id="result"></pre><script>{script}</script></body></html>'.encode()
    )


@contextmanager
def _page_server(holder: dict[str, bytes]) -> Iterator[int]:
    """A static server of one HTML page on loopback (the other origin); the page is set after it
    starts, as it names the registry, which needs the page's origin for its allow-list."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            page = holder["page"]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
