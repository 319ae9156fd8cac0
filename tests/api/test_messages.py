"""The messages partners read, exactly, for each kind of mistake (`tests/message_cases.py`), through HTTP:
`POST /validate`, and a write's 422; and `docs/messages.md`, which is generated from the same cases."""

from __future__ import annotations

import copy
import json
import os

import pytest

from message_cases import BASE, CASES, DOC, Case, render_table
from passports_support import Api, example_json


def sent(case: Case) -> bytes:
    document = copy.deepcopy(example_json(BASE))
    case.edit(document)
    return json.dumps(document).encode()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_mistake_gets_its_message(shared_api: Api, case: Case) -> None:
    client = shared_api.client
    response = client.post("/validate", content=sent(case), headers={"Content-Type": "application/ld+json"})
    if case.answer == "parse":
        assert response.status_code == 400, response.text
        assert (response.json()["detail"],) == case.messages
        return
    assert response.status_code == 200, response.text
    report = response.json()
    if case.answer == "write":
        assert report == {"conforms": True, "violations": []}
        written = client.post(
            "/passports",
            content=sent(case),
            headers=shared_api.headers("voltara", content_type="application/ld+json"),
        )
        assert written.status_code == 422, written.text
        assert (written.json()["detail"],) == case.messages
        return
    assert tuple(v["message"] for v in report["violations"]) == case.messages
    assert report["conforms"] is not case.messages


def test_a_write_answers_the_same_messages_as_validate(shared_api: Api) -> None:
    case = next(c for c in CASES if c.id == "label-for-a-code")
    written = shared_api.client.post(
        "/passports",
        content=sent(case),
        headers=shared_api.headers("voltara", content_type="application/ld+json"),
    )
    assert written.status_code == 422
    problem = written.json()
    assert [v["message"] for v in problem["violations"]] == list(case.messages)
    assert problem["detail"] == "The passport does not conform to the shapes: 1 violation(s)."
    (violation,) = problem["violations"]
    assert violation["value"] == "Raw material extraction"
    assert violation["focusPath"] == [
        "https://w3id.org/passport-registry/battery#carbonFootprintPerLifecycleStage"
    ]


def test_docs_messages_is_generated_from_the_cases() -> None:
    rendered = render_table()
    if os.environ.get("UPDATE_DOCS") == "1":
        DOC.write_text(rendered, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == rendered, "docs/messages.md is stale: run with UPDATE_DOCS=1"
