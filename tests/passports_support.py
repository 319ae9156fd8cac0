"""Helpers for the tests that drive the API: a registry with one account per role, examples, graph comparison
(the passport API tests in tests/api/ and the resilience suites in tests/resilience/)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pyoxigraph as ox
from fastapi.testclient import TestClient

from passport_registry.accounts.models import User
from passport_registry.api.app import create_app
from passport_registry.config import Settings
from passport_registry.rdf import parse
from passport_registry.roles import Role
from passport_registry.security import PasswordHasher
from passport_registry.services.accounts import Accounts
from passport_registry.services.passport_input import rooted

EXAMPLES = Path(__file__).parents[1] / "examples" / "passports"
INVALID = Path(__file__).parents[1] / "examples" / "invalid"
#: Economic operators of the examples (their `operatorInformation.identifier`), by caller name.
OPERATORS = {
    "voltara": "DE2847193650",
    "zweitleben": "DE3319027468",
    "traction": "DE1907735512",
    "storage": "ATU73581246",
    "ebike": "NL859412367B01",
}
#: Every kind of reader: anonymous, an account with no role, and one per non-operator role.
READERS = ["anonymous", "no_role", *[r.value for r in Role if r is not Role.ECONOMIC_OPERATOR]]


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


def example_json(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(example(name))
    return document


@dataclass
class Api:
    """A running registry over HTTP and its accounts: `headers(caller)` signs a request as `caller`."""

    client: TestClient
    accounts: Accounts
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def add_user(self, caller: str, roles: frozenset[Role], organisation: str | None = None) -> None:
        """Create an account named `caller` with `roles` and sign it in (its token in `tokens`)."""
        password = secrets.token_urlsafe(12)
        user = self.accounts.users.create_user(
            self.users["admin"],
            email=f"{caller.lower()}@registry.example",
            password=password,
            display_name=caller,
            organisation=organisation,
            roles=roles,
        )
        self.users[caller] = user
        response = self.client.post("/auth/token", data={"username": user.email, "password": password})
        assert response.status_code == 200, response.text
        self.tokens[caller] = response.json()["access_token"]

    def headers(self, caller: str, **extra: str) -> dict[str, str]:
        found = {} if caller == "anonymous" else {"Authorization": f"Bearer {self.tokens[caller]}"}
        found.update({k.replace("_", "-"): v for k, v in extra.items()})
        return found

    def create(
        self, name: str, caller: str = "voltara", media_type: str = "application/ld+json"
    ) -> httpx.Response:
        response = self.client.post(
            "/passports", content=example(name), headers=self.headers(caller, content_type=media_type)
        )
        assert response.status_code == 201, response.text
        return response


def graph(body: bytes, media_type: str, base: str = "http://testserver/") -> list[ox.Triple]:
    """The triples of a representation, read with the registry's own parser."""
    return [q.triple for q in parse(body, media_type, base)]


def canonical(triples: list[ox.Triple], passport: str) -> set[str]:
    """A passport graph in RDFC-1.0 canonical form, with the passport's `#n-k` node IRIs as blank nodes,
    so a stored passport compares with the document it came from."""
    scope = passport + "#"

    def term(t: Any) -> Any:
        if isinstance(t, ox.NamedNode) and t.value.startswith(scope):
            return ox.BlankNode("s" + t.value[len(scope) :].replace("-", ""))
        return t

    dataset = ox.Dataset(ox.Quad(term(t.subject), t.predicate, term(t.object)) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def rooted_graph(triples: list[ox.Triple], passport: str) -> set[str]:
    """The canonical graph of a passport document's `triples` stored under the IRI `passport` (its root
    renamed to it, as the registry does)."""
    return canonical(rooted(triples, ox.NamedNode(passport), adopt_other_iri=True), passport)


def expected_graph(name: str, passport: str) -> set[str]:
    """The canonical graph of example `name` with its root named `passport`."""
    return rooted_graph(graph(example(name), "application/ld+json"), passport)


@contextmanager
def open_api(
    data_dir: Path, *, operators: Mapping[str, str] = OPERATORS, **settings: object
) -> Iterator[Api]:
    """A registry in dev mode over `data_dir` (`settings` override), served through its ASGI app with the
    lifespan run: an admin, one economic operator per entry of `operators` (caller name -> organisation),
    an account per other role and one with no role, each signed in."""
    config = Settings(dev=True, data_dir=data_dir, base_url="http://testserver", **settings)  # type: ignore[arg-type]
    accounts = Accounts.open(config, hasher=cheap_hasher())
    admin = accounts.users.bootstrap_admin(
        email="root@registry.example", password=secrets.token_urlsafe(12), display_name="Admin"
    )
    try:
        with TestClient(create_app(config, accounts=accounts)) as client:
            api = Api(client=client, accounts=accounts)
            api.users["admin"] = admin
            for caller, organisation in operators.items():
                api.add_user(caller, frozenset({Role.ECONOMIC_OPERATOR}), organisation)
            for role in Role:
                if role is not Role.ECONOMIC_OPERATOR:
                    api.add_user(role.value, frozenset({role}))
            api.add_user("no_role", frozenset())
            yield api
    finally:
        accounts.close()
