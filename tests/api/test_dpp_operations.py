"""The EN 18222 operations' behaviour: updates as new versions, deletion only where the regulation allows
it, history by date, product look-ups with paging, single elements, the same accounts and views as
`/passports`, and `Result` error bodies that leave nothing changed."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx2 as httpx
from dpp_reference import MESSAGE_FIELDS, MESSAGE_TYPES
from dpp_support import SECTIONS, dpp_of, dpp_path

from passport_registry.roles import Role
from passport_registry.services.users import DEMO_ORGANISATION
from passports_support import Api, example_json

NAME = "lmt-ebike-nmc.json"
OWNER = "ebike"
GENERAL, LABELS, CARBON = SECTIONS[0], SECTIONS[1], SECTIONS[2]
MERGE_PATCH = "application/merge-patch+json"


def create(api: Api, name: str = NAME, owner: str = OWNER, **changes: Any) -> str:
    """Create example `name` through /dpps (with `changes` to its general section); its DPP id."""
    document = dpp_of(example_json(name))
    document[GENERAL].update(changes)
    for field in ("digitalProductPassportId", "uniqueProductIdentifier"):
        if field in changes:
            document[field] = changes.pop(field)
    response = api.client.post("/dpps", json=document, headers=api.headers(owner))
    assert response.status_code == 201, response.text
    dpp_id: str = response.json()["digitalProductPassportId"]
    return dpp_id


def assert_result(response: httpx.Response, status: int, code: str | None = None) -> list[dict[str, Any]]:
    """`response` is an EN 18222 Result with `status`; its messages (the first with `code`, if given)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    messages: list[dict[str, Any]] = response.json()["messages"]
    assert messages and set(response.json()) == {"messages"}
    for message in messages:
        assert set(message) == MESSAGE_FIELDS and message["messageType"] in MESSAGE_TYPES
    if code is not None:
        assert messages[0]["code"] == code
    return messages


def versions(api: Api, dpp_id: str) -> int:
    location = api.client.get("/passports/lookup", params={"identifier": dpp_id}, follow_redirects=False)
    listed = api.client.get(location.headers["location"] + "/versions", headers=api.headers(OWNER))
    return len(listed.json())


def patch(api: Api, dpp_id: str, body: Any, caller: str = OWNER, **headers: str) -> httpx.Response:
    return api.client.patch(
        dpp_path(dpp_id), json=body, headers=api.headers(caller, content_type=MERGE_PATCH, **headers)
    )


def test_a_merge_patch_is_a_new_version_and_sets_last_update(api: Api) -> None:
    dpp_id = create(api)
    before = api.client.get(dpp_path(dpp_id), headers=api.headers(OWNER))
    changed = patch(api, dpp_id, {GENERAL: {"batteryMass": "3.1", "warrantyPeriod": None}})
    assert changed.status_code == 200, changed.text
    document = changed.json()
    assert document[GENERAL]["batteryMass"] == "3.1" and "warrantyPeriod" not in document[GENERAL]
    assert document["lastUpdate"] > before.json()["lastUpdate"]
    assert versions(api, dpp_id) == 2
    assert api.client.get(dpp_path(dpp_id), headers=api.headers(OWNER)).json() == document


def test_history_by_date(api: Api) -> None:
    dpp_id = create(api)
    path = f"/dppsByIdAndDate/{quote(dpp_id, safe='')}"
    assert_result(api.client.get(path, params={"date": "2000-01-01T00:00:00Z"}), 404)
    assert_result(api.client.get(path, params={"date": "yesterday"}), 400, "invalid-request")
    assert_result(api.client.get(path), 400)
    created = api.client.get(dpp_path(dpp_id), headers=api.headers(OWNER))
    etag = created.headers["etag"]
    assert patch(api, dpp_id, {GENERAL: {"batteryMass": "3.3"}}, if_match=etag).status_code == 200
    listed = api.client.get(
        api.client.get("/passports/lookup", params={"identifier": dpp_id}, follow_redirects=False).headers[
            "location"
        ]
        + "/versions"
    ).json()
    first_issued = listed[0]["issued"]
    old = api.client.get(path, params={"date": first_issued})
    assert old.status_code == 200 and old.json()[GENERAL]["batteryMass"] == "2.9"
    assert (
        api.client.get(path, params={"date": "2999-01-01T00:00:00Z"}).json()[GENERAL]["batteryMass"] == "3.3"
    )


def test_a_stale_if_match_is_a_conflict_and_changes_nothing(api: Api) -> None:
    dpp_id = create(api)
    etag = api.client.get(dpp_path(dpp_id)).headers["etag"]
    assert patch(api, dpp_id, {GENERAL: {"batteryMass": "3.05"}}, if_match=etag).status_code == 200
    assert_result(
        patch(api, dpp_id, {GENERAL: {"batteryMass": "3.2"}}, if_match=etag), 409, "precondition-failed"
    )
    assert api.client.get(dpp_path(dpp_id)).json()[GENERAL]["batteryMass"] == "3.05"
    assert versions(api, dpp_id) == 2


def test_writes_need_the_owner_and_bad_input_changes_nothing(api: Api) -> None:
    dpp_id = create(api)
    before = api.client.get(dpp_path(dpp_id), headers=api.headers(OWNER)).json()
    denied = patch(api, dpp_id, {GENERAL: {"batteryMass": "1"}}, caller="anonymous")
    assert_result(denied, 401, "unauthenticated")
    assert denied.headers["www-authenticate"].startswith("Bearer")
    assert_result(patch(api, dpp_id, {GENERAL: {"batteryMass": "1"}}, caller="voltara"), 403, "forbidden")
    assert_result(patch(api, dpp_id, {GENERAL: {"batteryMass": "1"}}, caller="commission"), 403)
    invalid = assert_result(patch(api, dpp_id, {GENERAL: {"batteryMass": "heavy"}}), 400, "shape-violation")
    assert len(invalid) > 1 and any("batteryMass" in m["text"] for m in invalid[1:])
    assert_result(patch(api, dpp_id, {CARBON: {"batteryMass": "1"}}), 400, "bad-request")
    assert_result(patch(api, dpp_id, {GENERAL: {"productIdentifier": "x"}}), 400, "bad-request")
    assert_result(patch(api, dpp_id, {"dppStatus": "Inactive"}), 400, "bad-request")
    assert_result(patch(api, dpp_id, {"economicOperatorId": "DE2847193650"}), 400, "bad-request")
    assert_result(patch(api, dpp_id, {"granularity": "item"}), 400, "bad-request")
    assert_result(patch(api, dpp_id, {"somethingElse": 1}), 400, "bad-request")
    assert_result(patch(api, dpp_id, [1]), 400)
    full = api.client.patch(
        dpp_path(dpp_id) + "?representation=full",
        json={},
        headers=api.headers(OWNER, content_type=MERGE_PATCH),
    )
    assert_result(full, 501)
    wrong_type = api.client.patch(
        dpp_path(dpp_id), content=b"{}", headers=api.headers(OWNER, content_type="text/plain")
    )
    assert_result(wrong_type, 400, "unsupported-media-type")
    not_json = api.client.patch(
        dpp_path(dpp_id), content=b"{", headers=api.headers(OWNER, content_type=MERGE_PATCH)
    )
    assert_result(not_json, 400, "unparseable-input")
    assert api.client.get(dpp_path(dpp_id), headers=api.headers(OWNER)).json() == before
    assert versions(api, dpp_id) == 1


def test_create_refuses_what_is_taken_or_not_ours(api: Api) -> None:
    document = dpp_of(example_json(NAME))
    assert_result(api.client.post("/dpps", json=document), 401)
    assert_result(api.client.post("/dpps", json=document, headers=api.headers("admin")), 403)
    assert_result(api.client.post("/dpps", json=document, headers=api.headers("voltara")), 403)
    assert_result(
        api.client.post("/dpps?representation=full", json=document, headers=api.headers(OWNER)), 501
    )
    create(api)
    assert_result(api.client.post("/dpps", json=document, headers=api.headers(OWNER)), 409, "conflict")
    other_battery = {**document, "uniqueProductIdentifier": "(01)04098765000011(21)PW500-2026-999999"}
    assert_result(api.client.post("/dpps", json=other_battery, headers=api.headers(OWNER)), 409, "conflict")
    incomplete = {k: v for k, v in document.items() if k != LABELS}
    incomplete["contentSpecificationIds"] = [s for s in document["contentSpecificationIds"] if s != LABELS]
    incomplete["digitalProductPassportId"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    assert_result(
        api.client.post("/dpps", json=incomplete, headers=api.headers(OWNER)), 400, "shape-violation"
    )


def test_delete_only_for_a_recycled_battery(api: Api) -> None:
    dpp_id = create(api)
    refused = assert_result(api.client.delete(dpp_path(dpp_id), headers=api.headers(OWNER)), 409, "conflict")
    assert "Art. 77(9)" in refused[0]["text"]
    assert api.client.get(dpp_path(dpp_id)).status_code == 200
    # The battery becomes waste: responsibility moves to a waste operator (`/passports/{id}/transfer`).
    location = api.client.get("/passports/lookup", params={"identifier": dpp_id}, follow_redirects=False)
    passport = location.headers["location"]
    moved = api.client.post(
        passport + "/transfer",
        json={"organisation": "DE3319027468"},
        headers=api.headers(OWNER, if_match="*"),
    )
    assert moved.status_code == 200, moved.text
    assert_result(api.client.delete(dpp_path(dpp_id), headers=api.headers(OWNER)), 403)
    deleted = api.client.delete(dpp_path(dpp_id), headers=api.headers("zweitleben"))
    assert deleted.status_code == 204, deleted.text
    assert_result(api.client.get(dpp_path(passport.rsplit("/", 1)[1])), 404, "gone")
    assert api.client.get(passport).status_code == 410  # /passports keeps its own statuses
    history = api.client.get(
        "/dppsByIdAndDate/" + passport.rsplit("/", 1)[1],
        params={"date": moved.json()["updated"]},
        headers=api.headers("zweitleben"),
    )
    assert history.status_code == 200 and history.json()["digitalProductPassportId"] == dpp_id


def test_product_ids_to_dpp_ids_a_page_at_a_time(api: Api) -> None:
    first = create(api)
    second = create(
        api, "ev-nmc-car-pack.json", "voltara"
    )  # another operator's passport: product ids are public
    products = [
        example_json(NAME)["productIdentifier"],
        "(01)00000000000000(21)NONE",
        example_json("ev-nmc-car-pack.json")["productIdentifier"],
    ]
    page = api.client.post("/dppsByProductIds", params={"limit": 1}, json={"productIds": products})
    assert page.status_code == 200, page.text
    assert page.json()["items"] == [first] and "cursor" in page.json()
    rest = api.client.post(
        "/dppsByProductIds",
        params={"limit": 1, "cursor": page.json()["cursor"]},
        json={"productIds": products},
    )
    assert rest.json() == {"items": [second]}
    everything = api.client.post("/dppsByProductIds", json={"productIds": products})
    assert everything.json() == {"items": [first, second]}
    assert_result(
        api.client.post("/dppsByProductIds", params={"cursor": "nonsense"}, json={"productIds": products}),
        400,
    )
    assert_result(api.client.post("/dppsByProductIds", json={"productIds": []}), 400)
    assert_result(api.client.post("/dppsByProductIds", json={"productIds": ["x"] * 101}), 400)
    assert_result(
        api.client.post("/dppsByProductIds", params={"limit": 0}, json={"productIds": products}), 400
    )
    assert_result(api.client.get("/dppsByProductId/" + quote("(01)00000000000000(21)NONE", safe="")), 404)


def element(dpp_id: str, path: str) -> str:
    return f"{dpp_path(dpp_id)}/elements/{quote(path, safe='')}"


def test_single_elements_by_normalized_path(api: Api) -> None:
    dpp_id = create(api)
    mass = f"$['{GENERAL}']['batteryMass']"
    read = api.client.get(element(dpp_id, mass))
    assert read.status_code == 200 and read.json() == "2.9"
    assert read.headers["vary"] == "Authorization, X-API-Key" and read.headers["cache-control"] == "no-cache"
    full = api.client.get(element(dpp_id, mass), params={"representation": "full"}).json()
    assert full["objectType"] == "SingleValuedDataElement" and full["valueDataType"] == "xsd:decimal"
    assert full["dictionaryReference"] == "https://w3id.org/passport-registry/battery#batteryMass"
    assert (
        api.client.get(element(dpp_id, "$['uniqueProductIdentifier']")).json()
        == example_json(NAME)["productIdentifier"]
    )
    labels = api.client.get(element(dpp_id, f"$['{LABELS}']['extinguishingAgent'][1]"))
    agents = api.client.get(dpp_path(dpp_id)).json()[LABELS]["extinguishingAgent"]
    assert labels.json() == agents[1] and sorted(agents) == sorted(example_json(NAME)["extinguishingAgent"])
    # Item-level data is not in the public view: no such element for anonymous callers.
    status = f"$['{GENERAL}']['batteryStatus']"
    assert_result(api.client.get(element(dpp_id, status)), 404, "not-found")
    assert api.client.get(element(dpp_id, status), headers=api.headers(OWNER)).json() == "original"
    assert_result(api.client.get(element(dpp_id, f"$.{GENERAL}")), 400, "bad-request")
    assert_result(api.client.get(element(dpp_id, f'$["{GENERAL}"]')), 400)
    assert_result(api.client.get(element(dpp_id, f"$['{GENERAL}'][0]")), 404)

    changed = api.client.patch(element(dpp_id, mass), json="3.4", headers=api.headers(OWNER))
    assert changed.status_code == 200 and changed.json() == "3.4"
    assert api.client.get(element(dpp_id, mass)).json() == "3.4"
    assert versions(api, dpp_id) == 2
    assert_result(api.client.patch(element(dpp_id, mass), json="x", headers=api.headers(OWNER)), 400)
    assert_result(api.client.patch(element(dpp_id, mass), json="3.5", headers=api.headers("voltara")), 403)
    assert_result(api.client.patch(element(dpp_id, "$"), json={}, headers=api.headers(OWNER)), 400)
    missing = f"$['{GENERAL}']['operatorInformation']['nothing']['deeper']"
    assert_result(api.client.patch(element(dpp_id, missing), json="x", headers=api.headers(OWNER)), 404)
    assert api.client.get(element(dpp_id, mass)).json() == "3.4"
    assert versions(api, dpp_id) == 2


def test_full_representation_lists_sections_as_elements(api: Api) -> None:
    dpp_id = create(api)
    compressed = api.client.get(dpp_path(dpp_id)).json()
    full = api.client.get(dpp_path(dpp_id), params={"representation": "full"}).json()
    assert {k: v for k, v in full.items() if k != "elements"} == {
        k: v for k, v in compressed.items() if k not in SECTIONS
    }
    assert [e["elementId"] for e in full["elements"]] == compressed["contentSpecificationIds"]
    assert all(e["objectType"] == "DataElementCollection" for e in full["elements"])
    labels = next(e for e in full["elements"] if e["elementId"] == LABELS)
    symbol = next(e for e in labels["elements"] if e["elementId"] == "separateCollectionSymbol")
    meaning = next(e for e in symbol["elements"] if e["elementId"] == "labelingMeaning")
    assert meaning["objectType"] == "MultiLanguageDataElement"
    assert {
        "language": "de",
        "value": example_json(NAME)["separateCollectionSymbol"]["labelingMeaning"]["de"],
    } in (meaning["value"])


def test_problem_details_stay_on_our_own_paths(api: Api) -> None:
    response = api.client.get("/passports/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_unrouted_requests_on_dpp_paths_are_results_too(api: Api) -> None:
    # A path the router cannot match (a line feed in the id), and a method an element does not have.
    assert_result(api.client.get("/dpps/a%0Ab"), 404, "not-found")
    assert_result(api.client.get("/dppsByProductId/a%0Ab"), 404, "not-found")
    path = element("x", "$['a']")
    allowed = api.client.options(path)
    assert allowed.status_code == 204
    assert {m.strip() for m in allowed.headers["allow"].split(",")} == {"GET", "HEAD", "PATCH", "OPTIONS"}
    refused = api.client.delete(path, headers=api.headers(OWNER))
    assert_result(refused, 405, "method-not-allowed")
    assert "DELETE" not in refused.headers["allow"]


def test_the_documented_example_creates_a_passport_for_the_demo_operator(api: Api) -> None:
    api.add_user("demo", frozenset({Role.ECONOMIC_OPERATOR}), DEMO_ORGANISATION)
    document = api.client.get("/openapi.json").json()
    example = document["paths"]["/dpps"]["post"]["requestBody"]["content"]["application/json"]["example"]
    created = api.client.post("/dpps", json=example, headers=api.headers("demo"))
    assert created.status_code == 201, created.text
    assert created.json()["digitalProductPassportId"] == example["digitalProductPassportId"]
