"""Concurrency through the real HTTP server (one `serve` process, the embedded store), from separate
client processes: of If-Match writers racing from one version exactly one wins; of creates racing for
one battery exactly one gets 201; reads while a passport is rewritten never see a mixed version and
never a 5xx. (The store-level races are tests/store/test_concurrency.py and test_processes.py, and
through two workers of a remote store tests/api/test_workers.py.)"""

from __future__ import annotations

import copy
import json
import multiprocessing
import secrets
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import httpx2 as httpx
import pytest
from live_support import ADMIN_EMAIL, LiveRegistry, bearer
from racers import send_at
from resilience_support import generated_passports, record, scale
from workload import version_of

ROUNDS = scale(6, 40, "RESILIENCE_RACE_ROUNDS")
RACERS = 4
READ_SECONDS = scale(4, 30, "RESILIENCE_READ_SECONDS")
ORGANISATION = "DE2847193650"


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveRegistry, str]]:
    registry = LiveRegistry(tmp_path_factory.mktemp("races") / "data")
    password = secrets.token_urlsafe(12)
    registry.create_admin(password)
    registry.start()
    try:
        admin = registry.login(ADMIN_EMAIL, password)
        operator_password = secrets.token_urlsafe(12)
        email = registry.add_operator(admin, ORGANISATION, operator_password)
        yield registry, registry.login(email, operator_password)
    finally:
        registry.stop()


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(RACERS, mp_context=multiprocessing.get_context("spawn")) as executor:
        list(executor.map(abs, range(RACERS)))  # start every process before the first race
        yield executor


def _documents(n: int, seed: int) -> Iterator[dict[str, Any]]:
    for document in generated_passports(n, seed=seed):
        document = copy.deepcopy(document)
        document["operatorInformation"]["identifier"] = ORGANISATION
        yield document


def _race(pool: ProcessPoolExecutor, requests: list[tuple[str, str, dict[str, str], bytes]]) -> list[int]:
    start = time.time() + 0.5
    futures = [pool.submit(send_at, start, *request) for request in requests]
    results = [f.result(timeout=120) for f in futures]
    assert all(status < 500 for status, _, _ in results), results
    assert len({pid for _, _, pid in results}) == len(requests), (
        "the racers did not run in separate processes"
    )
    return [status for status, _, _ in results]


def test_if_match_writers_racing_from_separate_processes_have_exactly_one_winner(
    live: tuple[LiveRegistry, str], pool: ProcessPoolExecutor
) -> None:
    registry, token = live
    outcomes = []
    for round_, document in enumerate(_documents(ROUNDS, seed=51)):
        created = httpx.post(f"{registry.url}/passports", json=document, headers=bearer(token))
        assert created.status_code == 201, created.text
        url = f"{registry.url}/passports/{created.json()['id']}"
        method = "PATCH" if round_ % 2 else "PUT"  # both kinds of conditional write
        requests = []
        for k in range(RACERS):
            months = 500 + 10 * round_ + k
            if method == "PATCH":
                body, media_type = json.dumps({"warrantyPeriod": months}), "application/merge-patch+json"
            else:
                body, media_type = json.dumps({**document, "warrantyPeriod": months}), "application/json"
            headers = bearer(token, if_match=created.headers["etag"], content_type=media_type)
            requests.append((method, url, headers, body.encode()))
        statuses = _race(pool, requests)
        assert sorted(statuses) == [200] + [412] * (RACERS - 1), (round_, method, statuses)
        winner = statuses.index(200)
        current = httpx.get(url, headers=bearer(token)).json()
        assert current["warrantyPeriod"] == 500 + 10 * round_ + winner, (
            "the winner's write is not the one stored"
        )
        versions = httpx.get(f"{url}/versions", headers=bearer(token)).json()
        assert [v["number"] for v in versions] == [1, 2], "a losing write added a version"
        outcomes.append(statuses)
    record("race_if_match", {"rounds": len(outcomes), "writers_per_round": RACERS, "winners_per_round": 1})


def test_creates_racing_for_one_battery_from_separate_processes_get_exactly_one_201(
    live: tuple[LiveRegistry, str], pool: ProcessPoolExecutor
) -> None:
    registry, token = live
    for round_, document in enumerate(_documents(ROUNDS, seed=52)):
        body = json.dumps(document).encode()
        headers = bearer(token, content_type="application/json")
        statuses = _race(pool, [("POST", f"{registry.url}/passports", headers, body)] * RACERS)
        assert sorted(statuses) == [201] + [409] * (RACERS - 1), (round_, statuses)
        battery = document["productIdentifier"]
        page = httpx.get(
            f"{registry.url}/passports", params={"batteryIdentifier": battery}, headers=bearer(token)
        )
        assert page.status_code == 200, page.text
        assert [p["battery_identifier"] for p in page.json()["items"]] == [battery]
    record("race_create", {"rounds": ROUNDS, "creators_per_round": RACERS, "created_per_round": 1})


def test_reads_while_a_passport_is_rewritten_never_see_a_mixed_version_nor_a_5xx(
    live: tuple[LiveRegistry, str],
) -> None:
    """Each version sets three fields to the same marker (1000 + its version number): two public ones
    and one of the legitimate-interest group (the owner reads it). A read that mixed two versions, or
    two groups of different versions, would show two markers, or a marker not its ETag's version."""
    registry, token = live
    (document,) = _documents(1, seed=53)
    document.update(warrantyPeriod=1001, expectedNumberOfCycles=1001)
    document["numberOfFullCycles"] = {"value": "1001", "lastUpdate": "2026-05-02T18:00:00Z"}
    created = httpx.post(f"{registry.url}/passports", json=document, headers=bearer(token))
    assert created.status_code == 201, created.text
    url = f"{registry.url}/passports/{created.json()['id']}"
    stop = threading.Event()
    problems: list[str] = []
    reads = [0]

    def read(caller_token: str | None) -> None:
        headers = bearer(caller_token) if caller_token else {}
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                response = client.get(url, headers=headers)
                reads[0] += 1
                if response.status_code != 200:
                    problems.append(f"{response.status_code} {response.text[:200]}")
                    continue
                body, version = response.json(), version_of(response.headers["etag"])
                markers = {body.get("warrantyPeriod"), body.get("expectedNumberOfCycles")}
                if caller_token is not None:
                    markers.add(int(body["numberOfFullCycles"]["value"]))
                if markers != {1000 + version}:
                    problems.append(f"version {version} shows {markers}")

    readers = [threading.Thread(target=read, args=(t,)) for t in (token, None, token)]
    for thread in readers:
        thread.start()
    writes, etag, deadline = 0, created.headers["etag"], time.monotonic() + READ_SECONDS
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < deadline:
            marker = 1000 + version_of(etag) + 1
            patch = {"warrantyPeriod": marker, "expectedNumberOfCycles": marker}
            patch["numberOfFullCycles"] = {"value": str(marker), "lastUpdate": "2026-05-02T18:00:00Z"}
            headers = bearer(token, if_match=etag, content_type="application/merge-patch+json")
            response = client.patch(url, json=patch, headers=headers)
            assert response.status_code == 200, response.text
            etag, writes = response.headers["etag"], writes + 1
    stop.set()
    for thread in readers:
        thread.join(timeout=60)
    assert writes >= 3 and reads[0] > writes, (writes, reads[0])
    assert not problems, problems[:5]
    record("reads_during_writes", {"writes": writes, "reads": reads[0], "mixed_or_5xx": len(problems)})
