"""CORS (Fetch standard): public resources readable from any origin, preflights for the headers clients
send, the headers scripts need exposed, credentialed requests only for an allow-list of origins."""

from __future__ import annotations

from pathlib import Path

import pytest

from passport_registry.config import Settings
from passport_registry.errors import ConfigurationError
from passports_support import Api, open_api

ORIGIN = "https://notebook.example"
TRUSTED = "https://app.example"
PUBLIC = [
    "/contexts/battery-passport.jsonld",
    "/ontology",
    "/vocabularies",
    "/shapes",
    "/schemas/battery-passport.schema.json",
    "/sparql?query=ASK%20%7B%7D",
    "/sparql",
]


def _exposed(response_headers: object) -> set[str]:
    value = dict(response_headers)["access-control-expose-headers"]  # type: ignore[call-overload]
    return {name.strip().lower() for name in value.split(",")}


@pytest.mark.parametrize("path", PUBLIC)
def test_public_resources_are_readable_from_any_origin(ebike_api: Api, path: str) -> None:
    response = ebike_api.client.get(path, headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_a_public_passport_view_is_readable_with_its_validators_and_links(
    ebike_api: Api, ebike_passport: str
) -> None:
    response = ebike_api.client.get(ebike_passport, headers={"Origin": ORIGIN, "Accept": "application/json"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert {"etag", "link", "location", "last-modified"} <= _exposed(response.headers)


def test_anonymous_sparql_by_post_is_readable_from_any_origin(ebike_api: Api) -> None:
    response = ebike_api.client.post(
        "/sparql",
        content=b"SELECT * WHERE { ?s ?p ?o } LIMIT 1",
        headers={"Origin": ORIGIN, "Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_errors_carry_cors_headers_so_scripts_can_read_the_problem(ebike_api: Api) -> None:
    response = ebike_api.client.get("/passports/nosuchpassport", headers={"Origin": ORIGIN})
    assert response.status_code == 404
    assert response.headers["access-control-allow-origin"] == "*"


PREFLIGHTS = [("/sparql", "GET"), ("/sparql", "POST"), ("passport", "GET"), ("passport", "HEAD"),
              ("/ontology", "GET"), ("/validate", "POST")]  # fmt: skip


@pytest.mark.parametrize(("path", "method"), PREFLIGHTS)
def test_preflights_succeed_for_the_headers_clients_send(
    ebike_api: Api, ebike_passport: str, path: str, method: str
) -> None:
    asked = "accept, content-type, authorization, x-api-key, if-match, if-none-match"
    response = ebike_api.client.options(
        ebike_passport if path == "passport" else path,
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": method,
                 "Access-Control-Request-Headers": asked},
    )  # fmt: skip
    assert 200 <= response.status_code < 300
    assert response.headers["access-control-allow-origin"] == "*"
    methods = {m.strip() for m in response.headers["access-control-allow-methods"].split(",")}
    assert method in methods
    allowed = {h.strip().lower() for h in response.headers["access-control-allow-headers"].split(",")}
    assert set(asked.split(", ")) <= allowed
    assert int(response.headers["access-control-max-age"]) > 0


def test_scripts_may_read_the_headers_the_api_answers_with(ebike_api: Api) -> None:
    location = ebike_api.client.get("/passports", headers=ebike_api.headers("ebike")).json()["items"][0]["id"]
    response = ebike_api.client.delete(f"/passports/{location}", headers={"Origin": ORIGIN})
    assert response.status_code == 401
    assert {"www-authenticate", "location", "etag"} <= _exposed(response.headers)


def test_credentialed_requests_are_off_by_default(ebike_api: Api) -> None:
    response = ebike_api.client.get("/ontology", headers={"Origin": TRUSTED})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    assert "origin" not in response.headers.get("vary", "").lower()


def test_credentialed_requests_for_allow_listed_origins(tmp_path: Path) -> None:
    with open_api(tmp_path / "data", cors_credentialed_origins=TRUSTED) as api:
        trusted = api.client.get("/ontology", headers={"Origin": TRUSTED})
        assert trusted.headers["access-control-allow-origin"] == TRUSTED
        assert trusted.headers["access-control-allow-credentials"] == "true"
        assert "Origin" in trusted.headers["vary"]
        other = api.client.get("/ontology", headers={"Origin": ORIGIN})
        assert other.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in other.headers
        assert "Origin" in other.headers["vary"]  # the answer depends on Origin: caches must know
        preflight = api.client.options(
            "/sparql", headers={"Origin": TRUSTED, "Access-Control-Request-Method": "POST"}
        )
        assert preflight.headers["access-control-allow-origin"] == TRUSTED
        assert preflight.headers["access-control-allow-credentials"] == "true"


@pytest.mark.parametrize("origin", ["*", "https://app.example/", "https://app.example/path", "app.example"])
def test_the_allow_list_takes_exact_origins_only(origin: str) -> None:
    with pytest.raises(ConfigurationError):
        Settings(dev=True, cors_credentialed_origins=f"https://ok.example, {origin}")


def test_the_allow_list_is_comma_separated() -> None:
    settings = Settings(dev=True, cors_credentialed_origins=" https://a.example, http://127.0.0.1:8080 ,")
    assert settings.credentialed_origins() == ["https://a.example", "http://127.0.0.1:8080"]
