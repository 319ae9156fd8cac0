"""The official AAS test tooling (`aas-test-engines`, IDTA) against our `/aas` paths and our AAS JSON.

Server: the two IDTA-01002 v3.0 read profiles that apply (AAS Repository and Submodel Repository,
SSP-002), run against a live uvicorn on loopback as the passports' economic operator, restricted to the
operations we serve (`SERVED`); the others of those profiles ($metadata, $reference, $path, element
paths, serialization) are not built (docs/aas.md). The engine's positive and negative tests must all pass.
Files: every example passport's AAS environment passes the engine's file check (JSON schema and
metamodel constraints).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx2 as httpx
import pytest
import requests
from aas_core3 import jsonization
from aas_test_engines import api as engine_api
from aas_test_engines import config as engine_config
from aas_test_engines import file as engine_file
from aas_test_engines.http import HttpClient, Request
from aas_test_engines.result import AasTestResult, Level

from live_app import live_app
from passport_registry import resources
from passport_registry.api.aas import PROFILES
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.importers.aas import ShellIds, environment
from passport_registry.jsonld import ContextIndex
from passport_registry.roles import Role
from passport_registry.services.accounts import Accounts
from passports_support import EXAMPLES, cheap_hasher, example

#: The operations of the read profiles that `/aas` serves.
SERVED = [
    "GetAllAssetAdministrationShells",
    "GetAssetAdministrationShellById",
    "GetAllSubmodelReferences",
    "GetAllSubmodels",
    "GetSubmodelById",
    "GetSubmodelById-ValueOnly",
    "GetDescription",
]
PASSWORD = "a-test-password-1234"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A registry behind uvicorn on loopback holding two passports of one operator; its URL and that
    operator's bearer token."""
    tmp = tmp_path_factory.mktemp("aas")
    settings = Settings(dev=True, data_dir=tmp / "data")
    accounts = Accounts.open(settings, hasher=cheap_hasher())
    admin = accounts.users.bootstrap_admin(email="admin@registry.example", password=PASSWORD)
    accounts.users.create_user(
        admin, email="operator@registry.example", password=PASSWORD, display_name="Voltara",
        organisation="DE2847193650", roles=frozenset({Role.ECONOMIC_OPERATOR}),
    )  # fmt: skip
    try:
        with live_app(create_app(settings, accounts=accounts)) as url, httpx.Client(base_url=url) as client:
            login = client.post(
                "/auth/token", data={"username": "operator@registry.example", "password": PASSWORD}
            )
            token = login.json()["access_token"]
            for name in ("ev-lfp-car-pack.json", "ev-nmc-car-pack.json"):
                created = client.post(
                    "/passports",
                    content=example(name),
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"},
                )
                assert created.status_code == 201, created.text
            yield url, token
    finally:
        accounts.close()


class BearerClient(HttpClient):
    """The engine's HTTP client with our bearer token on every request: aas-test-engines 1.0.3 keeps the
    `additional_headers` it is given but never sends them (nor passes them on in `descend`)."""

    def __init__(self, host: str, token: str) -> None:
        super().__init__(host)
        self.token = token

    def descend(self, prefix: str) -> BearerClient:
        child = BearerClient(self.host, self.token)
        child.prefixes = [*self.prefixes, prefix]
        return child

    def send(self, request: Request) -> requests.Response:
        request.headers = {**request.headers, "Authorization": f"Bearer {self.token}"}
        return super().send(request)


def failures(result: AasTestResult, path: str = "") -> list[str]:
    """The lines of the engine's report that are errors (not warnings), with where they are."""
    here = f"{path} / {result.message}" if path else result.message
    found = [here] if result.level in (Level.ERROR, Level.CRITICAL) and not result.sub_results else []
    for sub in result.sub_results:
        found += failures(sub, here)
    return found


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.rsplit("/", 2)[1])
def test_the_read_profiles_pass_the_official_test_engine(live: tuple[str, str], profile: str) -> None:
    url, token = live
    client = BearerClient(url + "/aas", token)
    config = engine_config.CheckApiConfig(
        suite=profile, filter=engine_config.TestCaseFilter(":".join(SERVED))
    )
    result, matrix = engine_api.execute_tests(client, config)
    assert failures(result) == []
    assert result.ok()
    # The negative tests ran and every invalid request was refused.
    assert matrix.invalid_rejected > 0 and matrix.invalid_accepted == 0
    assert matrix.valid_accepted > 0 and matrix.valid_rejected == 0


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_examples_aas_environment_passes_the_file_check(name: str) -> None:
    context = ContextIndex(resources.context_document())
    passport = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    ids = ShellIds("https://registry.example/passports/p1", "https://registry.example/assets/p1", "product-1")
    document = jsonization.to_jsonable(environment(passport, ids, context))
    result = engine_file.check_json_data(json.loads(json.dumps(document)))
    assert failures(result) == [] and result.ok()


def test_the_engine_finds_a_broken_environment() -> None:
    """The file check is not vacuous: a submodel without its id fails."""
    context = ContextIndex(resources.context_document())
    passport = json.loads((EXAMPLES / "lmt-ebike-nmc.json").read_text(encoding="utf-8"))
    document = jsonization.to_jsonable(environment(passport, ShellIds("urn:x:1", "urn:x:2", None), context))
    del document["submodels"][0]["id"]
    assert not engine_file.check_json_data(json.loads(json.dumps(document))).ok()
