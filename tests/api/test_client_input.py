"""Client mistakes are 4xx problem details and change nothing (issue 11, items 2, 3 and 9).

Each case once answered 500 (or, for a document with no passport, "conforms"). Everything goes over
HTTP through the app; "nothing stored" is read back through the API (the operator's passports and the
patched passport's version).
"""

from __future__ import annotations

import json
from typing import Any

import pyoxigraph as ox
import pytest
import rdflib

from passports_support import Api, example_json

PROBLEM = "application/problem+json"
JSON_LD = "application/ld+json"
MERGE_PATCH = "application/merge-patch+json"
BIG_NUMBER = "9" * 5000


def _with(**changes: Any) -> dict[str, Any]:
    document = example_json("ev-nmc-car-pack.json")
    document.update(changes)
    return document


#: Documents where a nested object is expected and a string is given (once a 500 from the validator).
NOT_AN_OBJECT = {
    "manufacturerInformation as a name": _with(manufacturerInformation="ACME"),
    "separateCollectionSymbol as a URL": _with(separateCollectionSymbol="https://maker.example/symbol.svg"),
}


def _body(document: dict[str, Any], number: str | None = None) -> bytes:
    """`document` as JSON; `batteryMass` becomes the bare JSON number `number` when given (Python's
    json refuses to write integers of more than 4,300 digits, so it is put in as text)."""
    if number is None:
        return json.dumps(document).encode()
    return json.dumps({**document, "batteryMass": "@NUMBER@"}).replace('"@NUMBER@"', number).encode()


def _assert_problem(response: Any, *statuses: int) -> dict[str, Any]:
    assert response.status_code in statuses, response.text[:500]
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["status"] == response.status_code and problem["detail"]
    return problem


def _owned(api: Api) -> list[tuple[str, int]]:
    items = api.client.get("/passports", headers=api.headers("voltara")).json()["items"]
    return sorted((p["id"], p["version"]) for p in items)


@pytest.mark.parametrize("case", sorted(NOT_AN_OBJECT))
def test_a_string_for_a_nested_object_is_a_violation_on_validate(api: Api, case: str) -> None:
    response = api.client.post(
        "/validate", content=_body(NOT_AN_OBJECT[case]), headers={"Content-Type": JSON_LD}
    )
    assert response.status_code == 200, response.text[:500]
    report = response.json()
    assert report["conforms"] is False
    key = case.split()[0]
    assert any(v["path"] and v["path"].endswith("#" + key) for v in report["violations"]), report


@pytest.mark.parametrize("case", sorted(NOT_AN_OBJECT))
def test_a_string_for_a_nested_object_is_422_on_create_and_patch(api: Api, case: str) -> None:
    created = api.create("ev-nmc-car-pack.json")
    before = _owned(api)
    response = api.client.post(
        "/passports", content=_body(NOT_AN_OBJECT[case]), headers=api.headers("voltara", content_type=JSON_LD)
    )
    problem = _assert_problem(response, 422)
    assert problem["violations"]
    key = case.split()[0]
    patch = {key: NOT_AN_OBJECT[case][key]}
    response = api.client.patch(
        created.headers["location"],
        content=json.dumps(patch).encode(),
        headers=api.headers("voltara", content_type=MERGE_PATCH, if_match=created.headers["etag"]),
    )
    _assert_problem(response, 422)
    assert _owned(api) == before


def test_a_5000_digit_number_is_refused_by_validate_and_create(api: Api) -> None:
    body = _body(example_json("ev-nmc-car-pack.json"), BIG_NUMBER)
    problem = _assert_problem(
        api.client.post("/validate", content=body, headers={"Content-Type": JSON_LD}), 400
    )
    assert "digits" in problem["detail"]
    response = api.client.post(
        "/passports", content=body, headers=api.headers("voltara", content_type=JSON_LD)
    )
    _assert_problem(response, 400)
    assert _owned(api) == []


def test_a_deeply_nested_merge_patch_is_refused(api: Api) -> None:
    created = api.create("ev-nmc-car-pack.json")
    before = _owned(api)
    deep = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    response = api.client.patch(
        created.headers["location"],
        content=deep,
        headers=api.headers("voltara", content_type=MERGE_PATCH, if_match=created.headers["etag"]),
    )
    problem = _assert_problem(response, 400)
    assert "nests deeper" in problem["detail"]
    big = api.client.patch(
        created.headers["location"],
        content=b'{"batteryMass": ' + BIG_NUMBER.encode() + b"}",
        headers=api.headers("voltara", content_type=MERGE_PATCH, if_match=created.headers["etag"]),
    )
    _assert_problem(big, 400)
    assert _owned(api) == before


@pytest.mark.parametrize("bad", ["a b", "<x>", "x{y}", 'q"uote', "\\back"])
def test_lookup_of_an_invalid_iri_under_the_prefix_is_404(api: Api, bad: str) -> None:
    response = api.client.get(
        "/passports/lookup",
        params={"identifier": "http://testserver/passports/" + bad},
        follow_redirects=False,
    )
    problem = _assert_problem(response, 404)
    assert "no live passport" in problem["detail"] or "no passport" in problem["detail"]


# -- item 3: a document with no passport never "conforms" -------------------------------------------

NO_PASSPORT = [
    (b"{}", JSON_LD),
    (b"[]", JSON_LD),
    (b'{"foo": "bar"}', JSON_LD),
    (b'{"foo": "bar"}', "application/json"),
    (b"", "text/turtle"),
    (b"<urn:a> <urn:b> <urn:c> .", "text/turtle"),
]


@pytest.mark.parametrize(("body", "media_type"), NO_PASSPORT)
def test_validate_and_create_share_one_rule_for_a_document_without_a_passport(
    api: Api, body: bytes, media_type: str
) -> None:
    checked = _assert_problem(
        api.client.post("/validate", content=body, headers={"Content-Type": media_type}), 422
    )
    created = _assert_problem(
        api.client.post("/passports", content=body, headers=api.headers("voltara", content_type=media_type)),
        422,
    )
    assert checked["detail"] == created["detail"]
    assert "exactly one node typed bpr:BatteryPassport" in checked["detail"]
    assert _owned(api) == []


def test_two_passports_in_one_document_are_not_one_passport(api: Api) -> None:
    one = example_json("ev-nmc-car-pack.json")
    node = {k: v for k, v in one.items() if k != "@context"}
    body = json.dumps(
        {"@context": one["@context"], "@graph": [node, node | {"@id": "urn:x:second"}]}
    ).encode()
    problem = _assert_problem(
        api.client.post("/validate", content=body, headers={"Content-Type": JSON_LD}), 422
    )
    assert "found 2" in problem["detail"]


# -- item 9: characters XML 1.0 cannot carry ----------------------------------------------------------

CONTROL = ["\u0001", "\u0008", "\u000b", "\u001f", "\ufffe"]


@pytest.mark.parametrize("character", CONTROL)
def test_a_literal_with_a_character_xml_cannot_carry_is_refused(api: Api, character: str) -> None:
    document = example_json("ev-nmc-car-pack.json")
    document["manufacturerInformation"]["name"] = f"Nordcell{character}Energy"
    body = json.dumps(document).encode()
    code = f"U+{ord(character):04X}"
    problem = _assert_problem(
        api.client.post("/validate", content=body, headers={"Content-Type": JSON_LD}), 422
    )
    assert code in problem["detail"]
    response = api.client.post(
        "/passports", content=body, headers=api.headers("voltara", content_type=JSON_LD)
    )
    assert code in _assert_problem(response, 422)["detail"]
    assert _owned(api) == []


def test_control_characters_are_refused_on_every_write_and_rdf_xml_stays_well_formed(api: Api) -> None:
    created = api.create("ev-nmc-car-pack.json")
    location, tag = created.headers["location"], created.headers["etag"]
    before = _owned(api)
    patch = {"manufacturerInformation": {"name": "Nordcell\u0001"}}
    response = api.client.patch(
        location,
        content=json.dumps(patch).encode(),
        headers=api.headers("voltara", content_type=MERGE_PATCH, if_match=tag),
    )
    _assert_problem(response, 422)
    owner = api.headers("voltara", accept="text/turtle")
    turtle = api.client.get(location, headers=owner).text
    escaped = turtle.replace('"Nordcell Energy AB"', '"Nordcell\\u0001Energy AB"')
    assert escaped != turtle
    response = api.client.put(
        location,
        content=escaped.encode(),
        headers=api.headers("voltara", content_type="text/turtle", if_match=tag),
    )
    assert "U+0001" in _assert_problem(response, 422)["detail"]
    assert _owned(api) == before
    xml = api.client.get(location, headers=api.headers("voltara", accept="application/rdf+xml"))
    assert xml.status_code == 200
    parsed = rdflib.Graph().parse(data=xml.content, format="xml")  # a well-formed XML document
    assert len(parsed) == len(list(ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)))


def test_the_cli_refuses_control_characters(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from passport_registry.cli import app

    document = example_json("ev-nmc-car-pack.json")
    document["manufacturerInformation"]["name"] = "Nordcell\u0001"
    path = tmp_path / "control.jsonld"
    path.write_text(json.dumps(document))
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"{path}: refused: ") and "U+0001" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_characters_xml_can_carry_are_kept_and_written_as_well_formed_rdf_xml(api: Api) -> None:
    """The refusal is exactly XML 1.0's `Char`: tab, CR, LF, U+FFFD and astral characters are data."""
    name = "Nordcell\tEnergy\r\nAB \ufffd \U0001f50b"
    document = example_json("ev-nmc-car-pack.json")
    document["manufacturerInformation"]["name"] = name
    created = api.client.post(
        "/passports",
        content=json.dumps(document).encode(),
        headers=api.headers("voltara", content_type=JSON_LD),
    )
    assert created.status_code == 201, created.text
    xml = api.client.get(
        created.headers["location"], headers=api.headers("voltara", accept="application/rdf+xml")
    )
    parsed = rdflib.Graph().parse(data=xml.content, format="xml")
    names = {
        str(o) for o in parsed.objects(None, rdflib.URIRef("https://w3id.org/passport-registry/battery#name"))
    }
    assert name in names


def test_a_transfer_to_an_organisation_with_a_control_character_is_refused(api: Api) -> None:
    """Found by the hostile corpus: the passport was handed to "DE\\u0001", which no account can hold."""
    created = api.create("ev-nmc-car-pack.json")
    response = api.client.post(
        created.headers["location"] + "/transfer",
        json={"organisation": "DE\u0001"},
        headers=api.headers("voltara", if_match=created.headers["etag"]),
    )
    _assert_problem(response, 422)
    assert (
        api.client.get("/passports", headers=api.headers("voltara")).json()["items"][0]["owner"]
        == "DE2847193650"
    )
