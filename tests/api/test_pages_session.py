"""The passport page's summary and charts, and the browser sign-in: a form sets an HttpOnly, SameSite=Strict
cookie that pages (and only pages, only on GET and HEAD) read; forms from other origins are refused."""

from __future__ import annotations

import re
import secrets
from html import unescape

import pytest

from passport_registry.roles import Role
from passports_support import Api, example_json

HTML = {"Accept": "text/html"}


def facts(page: str) -> dict[str, str]:
    return {k: unescape(v) for k, v in re.findall(r'<dd data-fact="([a-z-]+)">([^<]*)</dd>', page)}


def charts(page: str) -> list[str]:
    return re.findall(r'<figure id="chart-([a-z]+)">', page)


def test_the_summary_agrees_with_the_json_ld(api: Api) -> None:
    created = api.create("ev-nmc-car-pack.json").json()
    document = example_json("ev-nmc-car-pack.json")
    page = api.client.get(f"/passports/{created['id']}", headers=HTML).text
    found = facts(page)
    assert found["battery"] == document["productIdentifier"]
    assert found["capacity"] == f"{document['ratedCapacity']} Ah"
    assert found["energy"] == f"{document['ratedEnergy']} kWh"
    assert found["carbon-class"] == document["carbonFootprintPerformanceClass"]
    assert found["manufacturer"] == document["manufacturerInformation"]["name"]
    assert found["manufactured"] == document["manufacturingDate"]
    assert found["category"] == "Electric vehicle battery"
    assert "status" not in found  # battery status is point 4 data: not public
    # Public charts only; the materials are point 2 data.
    assert charts(page) == ["carbon", "recycled"]
    assert 'id="sign-in-for-more"' in page
    # Every stage's value is drawn, in the order of the life cycle.
    carbon = page.split('id="chart-carbon"')[1].split("</figure>")[0]
    values = re.findall(r'class="value">([^<]*)<', carbon)
    assert values == [s["carbonFootprint"] for s in document["carbonFootprintPerLifecycleStage"]]
    owner = api.client.get(f"/passports/{created['id']}", headers={**HTML, **api.headers("voltara")}).text
    assert facts(owner)["status"] == "Original"
    assert charts(owner) == ["carbon", "materials", "recycled"]
    assert 'id="sign-in-for-more"' not in owner


def test_a_lead_acid_battery_charts_its_lead(api: Api) -> None:
    created = api.create("industrial-lead-acid-traction.json", caller="traction").json()
    page = api.client.get(f"/passports/{created['id']}", headers=HTML).text
    recycled = page.split('id="chart-recycled"')[1].split("</figure>")[0]
    assert "Lead" in recycled and "Cobalt" not in recycled


@pytest.fixture
def person(api: Api) -> tuple[str, str]:
    """A market surveillance officer's email and password."""
    password = secrets.token_urlsafe(12)
    user = api.accounts.users.create_user(
        api.users["admin"], email="officer@registry.example", password=password, display_name="Officer",
        organisation=None, roles=frozenset({Role.MARKET_SURVEILLANCE}),
    )  # fmt: skip
    return user.email, password


def sign_in(api: Api, email: str, password: str, **headers: str) -> object:
    return api.client.post(
        "/auth/session",
        data={"username": email, "password": password, "next": "/sparql"},
        headers={"Origin": "http://testserver", **headers},
        follow_redirects=False,
    )


def test_a_browser_signs_in_and_reads_more(api: Api, person: tuple[str, str]) -> None:
    created = api.create("ev-nmc-car-pack.json").json()
    url = f"/passports/{created['id']}"
    anonymous = api.client.get(url, headers=HTML).text
    form = api.client.get("/auth/session", params={"next": url})
    assert form.status_code == 200 and 'action="/auth/session"' in form.text
    response = sign_in(api, *person)
    assert response.status_code == 303 and response.headers["location"] == "/sparql"  # type: ignore[attr-defined]
    cookie = response.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    signed_in = api.client.get(url, headers=HTML)
    assert signed_in.headers["cache-control"].startswith("private")
    assert "Cookie" in signed_in.headers["vary"]
    # Market surveillance reads point 2 (materials) and 3: more than the public page.
    assert "For notified bodies, market surveillance authorities" in signed_in.text
    assert "For notified bodies, market surveillance authorities" not in anonymous
    assert "materials" in charts(signed_in.text)
    front = api.client.get("/", headers=HTML)
    assert "officer@registry.example" in front.text and front.headers["cache-control"].startswith("private")
    # The cookie is no credential for the API: JSON-LD is the public view, writes are refused.
    public = api.client.get(url, headers={"Accept": "application/ld+json"}).json()
    assert "batteryMaterials" not in public
    assert api.client.get("/users/me").status_code == 401
    assert (
        api.client.post(
            "/passports", content=b"{}", headers={"Content-Type": "application/ld+json"}
        ).status_code
        == 401
    )
    # Signing out forgets it.
    out = api.client.post(
        "/auth/session/end", headers={"Origin": "http://testserver"}, follow_redirects=False
    )
    assert out.status_code == 303
    assert "For notified bodies" not in api.client.get(url, headers=HTML).text


def test_sign_in_refuses_other_origins_and_bad_passwords(api: Api, person: tuple[str, str]) -> None:
    email, password = person
    for headers in ({"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = sign_in(api, email, password, **headers)
        assert refused.status_code == 403, headers  # type: ignore[attr-defined]
        assert "set-cookie" not in refused.headers  # type: ignore[attr-defined]
    wrong = sign_in(api, email, "not the password")
    assert wrong.status_code == 401  # type: ignore[attr-defined]
    assert "set-cookie" not in wrong.headers and 'role="alert"' in wrong.text  # type: ignore[attr-defined]
    assert "WWW-Authenticate" not in wrong.headers  # type: ignore[attr-defined]
    gone = api.client.post("/auth/session/end", headers={"Origin": "https://evil.example"})
    assert gone.status_code == 403


def test_sign_in_goes_only_to_local_paths(api: Api, person: tuple[str, str]) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = api.client.post(
            "/auth/session",
            data={"username": person[0], "password": person[1], "next": target},
            headers={"Origin": "http://testserver"},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/", target


def test_a_stale_cookie_is_anonymous(api: Api) -> None:
    created = api.create("ev-nmc-car-pack.json").json()
    api.client.cookies.set("bpr_session", "not-a-token")
    page = api.client.get(f"/passports/{created['id']}", headers=HTML)
    assert page.status_code == 200 and 'id="sign-in-for-more"' in page.text


def test_an_ended_passport_has_a_readable_page(api: Api) -> None:
    created = api.create("ev-nmc-car-pack.json").json()
    ended = api.client.delete(
        f"/passports/{created['id']}?reason=recycled", headers=api.headers("voltara", if_match="*")
    )
    assert ended.status_code == 204
    page = api.client.get(f"/passports/{created['id']}", headers=HTML)
    assert page.status_code == 410 and page.headers["content-type"].startswith("text/html")
    assert "This battery was recycled" in page.text and "DE2847193650" in page.text


def test_a_huge_sign_in_form_is_refused_before_it_is_read(api: Api) -> None:
    response = api.client.post(
        "/auth/session",
        content=b"username=a&password=" + b"x" * 2_000_000,
        headers={"Origin": "http://testserver", "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
