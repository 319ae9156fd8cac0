"""Bad input to the account endpoints gets a 4xx problem document and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from accounts_support import Registry, assert_problem

GOOD_USER = {"email": "new@registry.example", "display_name": "New", "password": "twelve chars!"}

#: (what is wrong, request keyword arguments, expected status)
BAD_CREATIONS: list[tuple[str, dict[str, Any], int]] = [
    ("malformed email", {"json": {**GOOD_USER, "email": "not-an-email"}}, 422),
    ("email without domain dot", {"json": {**GOOD_USER, "email": "a@localhost"}}, 422),
    ("oversize email", {"json": {**GOOD_USER, "email": "a" * 300 + "@registry.example"}}, 422),
    ("oversize name", {"json": {**GOOD_USER, "display_name": "n" * 201}}, 422),
    ("empty name", {"json": {**GOOD_USER, "display_name": "   "}}, 422),
    ("control characters in name", {"json": {**GOOD_USER, "display_name": "a\u0000b"}}, 422),
    ("oversize organisation", {"json": {**GOOD_USER, "organisation": "o" * 201}}, 422),
    ("short password", {"json": {**GOOD_USER, "password": "short"}}, 422),
    ("oversize password", {"json": {**GOOD_USER, "password": "p" * 257}}, 422),
    ("unknown role", {"json": {**GOOD_USER, "roles": ["superuser"]}}, 422),
    ("roles not a list", {"json": {**GOOD_USER, "roles": "admin"}}, 422),
    ("unknown field", {"json": {**GOOD_USER, "active": False}}, 422),
    ("missing field", {"json": {"email": "new@registry.example"}}, 422),
    ("number for a string", {"json": {**GOOD_USER, "display_name": 7}}, 422),
    ("array body", {"json": [GOOD_USER]}, 422),
    ("null body", {"content": b"null", "headers": {"content-type": "application/json"}}, 422),
    ("broken JSON", {"content": b'{"email": "new@', "headers": {"content-type": "application/json"}}, 422),
    (
        "wrong content type",
        {"content": b"email=new@registry.example", "headers": {"content-type": "text/plain"}},
        415,
    ),
    ("form instead of JSON", {"data": GOOD_USER}, 415),
    ("no content type", {"content": b'{"email": "new@registry.example"}'}, 415),
    ("oversize body", {"json": {**GOOD_USER, "padding": "x" * 20_000}}, 413),
]


def _snapshot(registry: Registry) -> list[dict[str, Any]]:
    page: list[dict[str, Any]] = registry.client.get(
        "/users", headers=registry.headers("admin"), params={"limit": 500}
    ).json()["items"]
    return page


@pytest.mark.parametrize(
    ("case", "request_kwargs", "status"), BAD_CREATIONS, ids=[c[0] for c in BAD_CREATIONS]
)
def test_bad_user_creation(
    registry: Registry, case: str, request_kwargs: dict[str, Any], status: int
) -> None:
    before = _snapshot(registry)
    request_kwargs = dict(request_kwargs)  # the parameter is shared by every run of the case
    headers = {**registry.headers("admin"), **request_kwargs.pop("headers", {})}
    response = registry.client.post("/users", headers=headers, **request_kwargs)
    assert_problem(response, status)
    assert "twelve chars!" not in response.text  # the password is never echoed
    assert _snapshot(registry) == before


BAD_CHANGES: list[tuple[str, dict[str, Any], int]] = [
    ("unknown role", {"json": {"roles": ["admin", "emperor"]}}, 422),
    ("active as a string", {"json": {"active": "false"}}, 422),
    ("active as a number", {"json": {"active": 0}}, 422),
    ("malformed email", {"json": {"email": "@registry.example"}}, 422),
    ("too many roles", {"json": {"roles": ["commission"] * 7}}, 422),
    ("unknown field", {"json": {"token_generation": 0}}, 422),
    ("short password", {"json": {"password": "short"}}, 422),
    ("broken JSON", {"content": b'{"roles": [', "headers": {"content-type": "application/json"}}, 422),
    ("wrong content type", {"content": b'{"active": false}', "headers": {"content-type": "text/plain"}}, 415),
    ("oversize body", {"json": {"display_name": "x" * 20_000}}, 413),
]


@pytest.mark.parametrize(("case", "request_kwargs", "status"), BAD_CHANGES, ids=[c[0] for c in BAD_CHANGES])
def test_bad_user_change(registry: Registry, case: str, request_kwargs: dict[str, Any], status: int) -> None:
    before = _snapshot(registry)
    request_kwargs = dict(request_kwargs)  # the parameter is shared by every run of the case
    headers = {**registry.headers("admin"), **request_kwargs.pop("headers", {})}
    target = f"/users/{registry.users['commission'].id}"
    assert_problem(registry.client.patch(target, headers=headers, **request_kwargs), status)
    assert _snapshot(registry) == before
    assert registry.client.get("/users/me", headers=registry.headers("commission")).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"display_name": ""},
        {"email": "nope"},
        {"new_password": "short", "current_password": "x"},
        {"id": "other"},
    ],
)
def test_bad_self_change(registry: Registry, body: dict[str, Any]) -> None:
    headers = registry.headers("commission")
    before = registry.client.get("/users/me", headers=headers).json()
    assert_problem(registry.client.patch("/users/me", headers=headers, json=body), 422)
    assert registry.client.get("/users/me", headers=headers).json() == before


def test_oversize_body_without_a_declared_length(registry: Registry) -> None:
    def chunks() -> Any:
        for _ in range(40):
            yield b"x" * 1024

    headers = {**registry.headers("admin"), "content-type": "application/json"}
    assert_problem(registry.client.post("/users", headers=headers, content=chunks()), 413)
