"""Parameters mean what the OpenAPI document says: instants are RFC 3339 date-times (no Unix times,
no zone-less forms), and an `integer` is any JSON number without a fractional part."""

from __future__ import annotations

import httpx2 as httpx
import pytest

from passports_support import Api, open_api

NOT_RFC3339 = ["0.5", "99999999999", "2027-02-18", "2027-02-18T09:00:00", "2027-02-18 09:00:00Z", "now", ""]


def _invalid_request(response: httpx.Response, name: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert any(name in e["location"] for e in errors), errors
    assert any("RFC 3339" in e["message"] for e in errors), errors


@pytest.mark.parametrize("value", NOT_RFC3339)
def test_updated_since_is_rfc_3339_only(ebike_api: Api, value: str) -> None:
    response = ebike_api.client.get(
        "/passports", params={"updatedSince": value}, headers=ebike_api.headers("ebike")
    )
    _invalid_request(response, "updatedSince")


@pytest.mark.parametrize("value", NOT_RFC3339)
def test_at_is_rfc_3339_only(ebike_api: Api, ebike_passport: str, value: str) -> None:
    _invalid_request(ebike_api.client.get(ebike_passport, params={"at": value}), "at")


@pytest.mark.parametrize(
    "value", ["2000-01-01T00:00:00Z", "2000-01-01T01:00:00+01:00", "2000-01-01t00:00:00.5z"]
)
def test_rfc_3339_instants_are_read(ebike_api: Api, ebike_passport: str, value: str) -> None:
    listed = ebike_api.client.get(
        "/passports", params={"updatedSince": value}, headers=ebike_api.headers("ebike")
    )
    assert listed.status_code == 200 and len(listed.json()["items"]) == 1
    before_creation = ebike_api.client.get(ebike_passport, params={"at": value})
    assert before_creation.status_code == 404  # a date it did not exist at: understood, not refused


def test_a_whole_number_written_with_a_fraction_is_an_integer(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    with open_api(tmp_path_factory.mktemp("keys")) as api:
        headers = api.headers("ebike")
        created = api.client.post(
            "/users/me/api-keys", headers=headers, json={"name": "a", "expires_in_days": 209.0}
        )
        assert created.status_code == 201, created.text
        assert created.json()["expires_at"] is not None
        for value in ["209", 209.5, True, "209.0"]:
            refused = api.client.post(
                "/users/me/api-keys", headers=headers, json={"name": "b", "expires_in_days": value}
            )
            assert refused.status_code == 422, (value, refused.text)
            assert refused.headers["content-type"] == "application/problem+json"
