"""The dependencies later routers use: `OptionalUser`, `CurrentUser` and `require_role(...)`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest
from accounts_support import Registry, assert_problem
from fastapi import Depends
from fastapi.testclient import TestClient

from passport_registry.accounts.models import User
from passport_registry.api.app import create_app
from passport_registry.api.deps import CurrentUser, OptionalUser, require_role
from passport_registry.roles import Role

Authority = Annotated[
    User, Depends(require_role(Role.NOTIFIED_BODY, Role.MARKET_SURVEILLANCE, Role.COMMISSION))
]


@pytest.fixture
def probe(registry: Registry) -> Iterator[TestClient]:
    app = create_app(registry.settings, accounts=registry.accounts)

    @app.get("/probe/optional")
    def optional(user: OptionalUser) -> dict[str, str | None]:
        return {"user": None if user is None else user.id}

    @app.get("/probe/current")
    def current(user: CurrentUser) -> dict[str, str]:
        return {"user": user.id}

    @app.get("/probe/authority")
    def authority(user: Authority) -> dict[str, str]:
        return {"user": user.id}

    with TestClient(app) as client:
        yield client


def test_optional_user_is_none_for_anonymous_callers(registry: Registry, probe: TestClient) -> None:
    assert probe.get("/probe/optional").json() == {"user": None}
    headers = registry.headers("commission")
    assert probe.get("/probe/optional", headers=headers).json() == {"user": registry.users["commission"].id}


def test_wrong_credentials_are_refused_not_treated_as_anonymous(probe: TestClient) -> None:
    assert_problem(probe.get("/probe/optional", headers={"Authorization": "Bearer forged"}), 401)
    assert_problem(probe.get("/probe/optional", headers={"X-API-Key": "bpr_0123456789abcdef_x"}), 401)
    assert_problem(probe.get("/probe/optional", headers={"Authorization": "Basic YWRtaW46YWRtaW4="}), 401)
    assert_problem(probe.get("/probe/optional", headers={"Authorization": "Bearer "}), 401)


def test_current_user_needs_credentials(registry: Registry, probe: TestClient) -> None:
    assert_problem(probe.get("/probe/current"), 401)
    assert probe.get("/probe/current", headers=registry.headers("no_role")).status_code == 200


@pytest.mark.parametrize(
    ("caller", "status"),
    [("notified_body", 200), ("market_surveillance", 200), ("commission", 200), ("admin", 403),
     ("economic_operator", 403), ("legitimate_interest", 403), ("no_role", 403), ("anonymous", 401)],
)  # fmt: skip
def test_require_role_lets_through_any_of_its_roles(
    registry: Registry, probe: TestClient, caller: str, status: int
) -> None:
    response = probe.get("/probe/authority", headers=registry.headers(caller))
    if status == 200:
        assert response.json() == {"user": registry.users[caller].id}
    else:
        assert_problem(response, status)
