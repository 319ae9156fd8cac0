"""Every account endpoint, called by every role and by anonymous callers: allowed calls succeed,
all others get 401 or 403 as problem+json."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
import pytest
from accounts_support import CALLERS, Registry, assert_problem

from passport_registry.api.app import create_app

ANY_SIGNED_IN = frozenset(CALLERS) - {"anonymous"}
ADMIN_ONLY = frozenset({"admin"})


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    allowed: frozenset[str]
    success: int
    call: Callable[[Registry, str, dict[str, str]], httpx.Response]


def _own_key(reg: Registry, caller: str) -> str:
    """An API key id of `caller` (of the EO for anonymous callers, who have none)."""
    owner = reg.users["economic_operator" if caller == "anonymous" else caller]
    key, _ = reg.accounts.users.create_api_key(owner, name="matrix")
    return key.id


def _someone_elses_key(reg: Registry) -> tuple[str, str]:
    owner = reg.users["commission"]
    key, _ = reg.accounts.users.create_api_key(owner, name="matrix")
    return owner.id, key.id


def _new_user_body() -> dict[str, Any]:
    return {
        "email": f"new-{secrets.token_hex(4)}@registry.example",
        "display_name": "New",
        "password": secrets.token_urlsafe(16),
        "roles": ["legitimate_interest"],
    }


ENDPOINTS = [
    Endpoint("GET", "/users/me", ANY_SIGNED_IN, 200, lambda r, c, h: r.client.get("/users/me", headers=h)),
    Endpoint(
        "PATCH",
        "/users/me",
        ANY_SIGNED_IN,
        200,
        lambda r, c, h: r.client.patch("/users/me", headers=h, json={"display_name": "Renamed"}),
    ),
    Endpoint(
        "POST",
        "/users/me/api-keys",
        ANY_SIGNED_IN,
        201,
        lambda r, c, h: r.client.post("/users/me/api-keys", headers=h, json={"name": "laptop"}),
    ),
    Endpoint(
        "GET",
        "/users/me/api-keys",
        ANY_SIGNED_IN,
        200,
        lambda r, c, h: r.client.get("/users/me/api-keys", headers=h),
    ),
    Endpoint(
        "DELETE",
        "/users/me/api-keys/{key_id}",
        ANY_SIGNED_IN,
        204,
        lambda r, c, h: r.client.delete(f"/users/me/api-keys/{_own_key(r, c)}", headers=h),
    ),
    Endpoint(
        "POST",
        "/users",
        ADMIN_ONLY,
        201,
        lambda r, c, h: r.client.post("/users", headers=h, json=_new_user_body()),
    ),
    Endpoint("GET", "/users", ADMIN_ONLY, 200, lambda r, c, h: r.client.get("/users", headers=h)),
    Endpoint(
        "GET",
        "/users/{user_id}",
        ADMIN_ONLY,
        200,
        lambda r, c, h: r.client.get(f"/users/{r.users['notified_body'].id}", headers=h),
    ),
    Endpoint(
        "PATCH",
        "/users/{user_id}",
        ADMIN_ONLY,
        200,
        lambda r, c, h: r.client.patch(
            f"/users/{r.users['notified_body'].id}",
            headers=h,
            json={"roles": ["notified_body", "commission"]},
        ),
    ),
    Endpoint(
        "GET",
        "/users/{user_id}/api-keys",
        ADMIN_ONLY,
        200,
        lambda r, c, h: r.client.get(f"/users/{r.users['commission'].id}/api-keys", headers=h),
    ),
    Endpoint(
        "DELETE",
        "/users/{user_id}/api-keys/{key_id}",
        ADMIN_ONLY,
        204,
        lambda r, c, h: r.client.delete("/users/{}/api-keys/{}".format(*_someone_elses_key(r)), headers=h),
    ),
]


@pytest.fixture
def registry(shared_registry: Registry) -> Registry:
    """One registry for the whole matrix: each call logs in afresh and touches nothing another relies on."""
    return shared_registry


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_endpoint_for_caller(registry: Registry, endpoint: Endpoint, caller: str) -> None:
    response = endpoint.call(registry, caller, registry.headers(caller))
    if caller in endpoint.allowed:
        assert response.status_code == endpoint.success, response.text
    elif caller == "anonymous":
        assert_problem(response, 401)
        assert response.headers["www-authenticate"].startswith("Bearer")
    else:
        assert_problem(response, 403)


@pytest.mark.parametrize("caller", sorted(ANY_SIGNED_IN))
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_api_keys_carry_the_same_rights(registry: Registry, endpoint: Endpoint, caller: str) -> None:
    _, key = registry.accounts.users.create_api_key(registry.users[caller], name="matrix")
    response = endpoint.call(registry, caller, {"X-API-Key": key})
    if endpoint.path == "/users/me/api-keys" and endpoint.method == "POST":
        assert_problem(response, 403)  # a key cannot mint keys, whatever its roles
    elif caller in endpoint.allowed:
        assert response.status_code == endpoint.success, response.text
    else:
        assert_problem(response, 403)


def test_the_matrix_covers_every_account_endpoint(registry: Registry) -> None:
    paths = create_app(registry.settings).openapi()["paths"]
    routes = {
        (method.upper(), path) for path, item in paths.items() if path.startswith("/users") for method in item
    }
    assert routes == {(e.method, e.path) for e in ENDPOINTS}
