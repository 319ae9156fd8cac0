"""The pages as a person sees them: headless Chromium opens the front door, a passport page, the SPARQL
page and /docs on a live registry, the values it renders are checked against the API's JSON-LD and SPARQL
results, the QR code in the passport page's screenshot is decoded, and screenshots are kept as test
artefacts in `test-artifacts/browser/` (git-ignored).

    UPDATE_README_SCREENSHOTS=1 .venv/bin/python -m pytest tests/api/test_pages_browser.py

also writes the front door's and a passport page's screenshots to `docs/images/` (shown in the README).
Needs Debian's `chromium` (`.ci/run` installs it); skipped, saying so, where it is absent.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import quote

import httpx2 as httpx
import pytest
import zxingcpp
from PIL import Image

from live_app import live_app
from loopback import free_port
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts
from passports_support import OPERATORS, cheap_hasher, example, example_json

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)
ROOT = Path(__file__).parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
README_IMAGES = ROOT / "docs" / "images"
QUERIES = ROOT / "examples" / "queries"
#: Passports on the registry: one per example operator, so the front page lists several.
LOADED = {
    "ev-nmc-car-pack.json": "voltara",
    "ev-lfp-car-pack.json": "voltara",
    "industrial-lead-acid-traction.json": "traction",
    "industrial-lfp-storage-rack.json": "storage",
    "lmt-ebike-nmc.json": "ebike",
}


@dataclass
class Registry:
    url: str
    ids: dict[str, str]


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """A live registry whose base URL is where it serves, so the IRIs (and the QR codes) lead to it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(dev=True, data_dir=tmp_path_factory.mktemp("browser") / "data", base_url=url)
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    admin = accounts.users.bootstrap_admin(email="admin@registry.example", password=secrets.token_urlsafe(12))
    passwords = {}
    for caller in set(LOADED.values()):
        passwords[caller] = secrets.token_urlsafe(12)
        accounts.users.create_user(
            admin, email=f"{caller}@registry.example", password=passwords[caller], display_name=caller,
            organisation=OPERATORS[caller], roles=frozenset({Role.ECONOMIC_OPERATOR}),
        )  # fmt: skip
    app = create_app(settings, accounts=accounts)
    try:
        with live_app(app, port=port, log_level="warning"), httpx.Client(base_url=url) as client:
            ids = {}
            for name, caller in LOADED.items():
                login = client.post(
                    "/auth/token",
                    data={"username": f"{caller}@registry.example", "password": passwords[caller]},
                )
                created = client.post(
                    "/passports",
                    content=example(name),
                    headers={
                        "Authorization": f"Bearer {login.json()['access_token']}",
                        "Content-Type": "application/ld+json",
                    },
                )
                assert created.status_code == 201, created.text
                ids[name] = created.json()["id"]
            _wait_for_queries(client, len(LOADED))
            yield Registry(url, ids)
    finally:
        accounts.close()


def _wait_for_queries(client: httpx.Client, expected: int) -> None:
    """SPARQL reads see writes within `sparql_max_staleness_s` (1 s by default): wait for the last."""
    query = (
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a <https://w3id.org/passport-registry/battery#BatteryPassport> }"
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
        if found.json()["results"]["bindings"][0]["n"]["value"] == str(expected):
            return
        time.sleep(0.1)


def _chromium(*arguments: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
               "--force-device-scale-factor=1", f"--user-data-dir={profile}", *arguments]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def dom(url: str, profile: Path, budget_ms: int = 5000) -> str:
    """The page's DOM after Chromium loaded (and, for /docs, ran) it."""
    done = _chromium(f"--virtual-time-budget={budget_ms}", "--dump-dom", url, profile=profile)
    assert "<html" in done.stdout, (done.returncode, done.stderr[-2000:])
    return done.stdout


def screenshot(url: str, name: str, profile: Path, size: str = "1280,1000", budget_ms: int = 3000) -> Path:
    """A PNG of the page at `size`, kept in the artefacts (and in docs/images/ when asked)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    path.unlink(missing_ok=True)
    done = _chromium(
        f"--window-size={size}",
        f"--virtual-time-budget={budget_ms}",
        f"--screenshot={path}",
        url,
        profile=profile,
    )
    assert path.is_file(), (done.returncode, done.stderr[-2000:])
    with Image.open(path) as image:
        assert image.size == tuple(int(v) for v in size.split(","))
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50, "a blank page"
    return path


def _keep_for_readme(path: Path) -> None:
    if os.environ.get("UPDATE_README_SCREENSHOTS") == "1":
        README_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_IMAGES / path.name)


def _facts(page: str) -> dict[str, str]:
    return {k: unescape(v) for k, v in re.findall(r'<dd data-fact="([a-z-]+)">([^<]*)</dd>', page)}


def test_the_front_door(registry: Registry, tmp_path: Path) -> None:
    page = dom(registry.url + "/", tmp_path / "profile")
    turtle = httpx.get(registry.url + "/", headers={"Accept": "application/n-triples"}).text
    (count,) = re.findall(r'void#entities> "(\d+)"', turtle)
    assert re.search(rf'id="public-passports">\s*{count}\s*<', page)
    assert int(count) == len(LOADED)
    for passport_id in registry.ids.values():
        assert f'href="/passports/{passport_id}"' in page
    assert 'action="/resolve"' in page
    _keep_for_readme(screenshot(registry.url + "/", "front-door", tmp_path / "profile", "1280,900"))


def test_a_passport_page(registry: Registry, tmp_path: Path) -> None:
    passport_id = registry.ids["ev-nmc-car-pack.json"]
    url = f"{registry.url}/passports/{passport_id}"
    page = dom(url, tmp_path / "profile")
    document = httpx.get(url, headers={"Accept": "application/ld+json"}).json()
    facts = _facts(page)
    assert facts["battery"] == document["productIdentifier"]
    assert facts["capacity"] == f"{document['ratedCapacity']} Ah"
    assert facts["energy"] == f"{document['ratedEnergy']} kWh"
    assert facts["carbon-class"] == document["carbonFootprintPerformanceClass"]
    assert facts["manufacturer"] == document["manufacturerInformation"]["name"]
    assert facts["manufactured"] == document["manufacturingDate"]
    assert document["productIdentifier"] == example_json("ev-nmc-car-pack.json")["productIdentifier"]
    for stage in document["carbonFootprintPerLifecycleStage"]:
        assert f'class="value">{stage["carbonFootprint"]}<' in page
    shot = screenshot(url, "passport-page", tmp_path / "profile", "1280,1100")
    # The QR code on the page, as the screenshot shows it, leads back to this passport.
    with Image.open(shot) as image:
        codes = [c.text for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert codes == [url]
    _keep_for_readme(shot)
    # Scanning the GS1 Digital Link form of the battery identifier lands on the same page.
    via_gs1 = dom(f"{registry.url}/01/04012345000016/21/VX77NMC0004711", tmp_path / "profile")
    assert _facts(via_gs1) == facts


def test_the_sparql_page(registry: Registry, tmp_path: Path) -> None:
    query = (QUERIES / "passports-by-category.rq").read_text()
    results = httpx.get(
        registry.url + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    ).json()
    url = f"{registry.url}/sparql?query={quote(query)}"
    page = dom(url, tmp_path / "profile")
    table = page.split('<table id="results">')[1].split("</table>")[0]
    header = re.findall(r'<th scope="col">([^<]*)</th>', table)
    assert header == results["head"]["vars"]
    cells = [
        unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
    ]
    expected = [b[v]["value"] for b in results["results"]["bindings"] for v in header]
    assert [re.sub(r" @\w+$", "", c) for c in cells] == expected
    assert len(re.findall(r'<a href="/sparql\?query=', page)) == len(
        json.loads((QUERIES / "manifest.json").read_text())["queries"]
    )
    screenshot(url, "sparql-page", tmp_path / "profile", "1280,900")


def test_the_api_docs_render_offline(registry: Registry, tmp_path: Path) -> None:
    """Swagger UI runs from the registry's own assets and renders the OpenAPI document's operations."""
    page = dom(registry.url + "/docs", tmp_path / "profile", budget_ms=15000)
    assert "Battery Passport Registry" in page
    assert "/passports/{passport_id}/qr" in page and "/01/{gtin}/21/{serial}" in page
    screenshot(registry.url + "/docs", "api-docs", tmp_path / "profile", "1280,900", budget_ms=15000)
