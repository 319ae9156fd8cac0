"""Concurrent passport writers over HTTP that keep a ledger of what the server acknowledged, and the check
that a registry holds every acknowledged write, identical, and no passport in part.

Each writer thread creates passports (from bench/generate.py), patches them (a unique warranty period
each time), ends some and issues successors of others, as the economic operator each document names.
A write is *acknowledged* when its 2xx response arrived; one whose connection broke (the server was
killed) is *in doubt*: it may or may not have landed, but never in part. Every document a writer sent
for a battery is kept, so whatever the registry holds for that battery must be one of them, whole.
"""

from __future__ import annotations

import copy
import itertools
import json
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
from live_support import LiveRegistry, bearer, document_graph, stored_graph
from resilience_support import generated_passports

NT = "application/n-triples"


@dataclass
class Acked:
    """The last acknowledged state of one passport."""

    document: dict[str, Any]
    version: int
    etag: str
    owner: str  # organisation
    live: bool = True
    writer: int = 0  # the thread that writes it (each passport has one writer: no races in the ledger)


@dataclass
class Ledger:
    acked: dict[str, Acked] = field(default_factory=dict)  # passport id -> state
    sent: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # battery id -> documents sent
    counts: dict[str, int] = field(default_factory=dict)  # operation -> acknowledged
    in_doubt: int = 0
    maybe_ended: set[str] = field(default_factory=set)  # a delete of it was cut by a kill
    server_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, operation: str) -> None:
        with self.lock:
            self.counts[operation] = self.counts.get(operation, 0) + 1

    def send(self, document: dict[str, Any]) -> None:
        with self.lock:
            self.sent.setdefault(document["productIdentifier"], []).append(copy.deepcopy(document))

    @property
    def acknowledged(self) -> int:
        return sum(self.counts.values())


class Workload:
    """Writer threads against `registry`; `pause()` before a kill is not needed: writers treat a broken
    connection as in doubt and wait for `resume()`."""

    def __init__(self, registry: LiveRegistry, tokens: dict[str, str], *, writers: int, seed: int) -> None:
        self.registry = registry
        self.tokens = tokens  # organisation -> bearer token (valid across restarts: fixed secret)
        self.ledger = Ledger()
        self._documents = self._generate(seed)
        self._serial = itertools.count()
        self._local = threading.local()
        self._idle = threading.Condition()
        self._busy = 0
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._write, args=(k, random.Random(seed * 100 + k)), daemon=True)
            for k in range(writers)
        ]

    def _generate(self, seed: int) -> Iterator[dict[str, Any]]:
        batch = 0
        while True:
            yield from (d for d in generated_passports(200, seed=seed * 1000 + batch)
                        if d["operatorInformation"]["identifier"] in self.tokens)  # fmt: skip
            batch += 1

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def pause(self) -> None:
        """Stop writing; returns once no writer has a request in flight."""
        self._running.clear()
        with self._idle:
            self._idle.wait_for(lambda: self._busy == 0, timeout=120)

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _next_document(self) -> dict[str, Any]:
        with self.ledger.lock:
            return next(self._documents)

    def _write(self, writer: int, rng: random.Random) -> None:
        self._local.writer = writer
        with httpx.Client(base_url=self.registry.url, timeout=60) as client:
            while not self._stop.is_set():
                self._running.wait()
                if self._stop.is_set():
                    return
                with self._idle:
                    if not self._running.is_set():
                        continue
                    self._busy += 1
                try:
                    self._one(client, rng)
                except (httpx.TransportError, httpx.TimeoutException):
                    with self.ledger.lock:
                        self.ledger.in_doubt += 1
                    time.sleep(0.2)  # the server is down: wait until it is back
                finally:
                    with self._idle:
                        self._busy -= 1
                        self._idle.notify_all()

    def _mine(self, rng: random.Random, *, original: bool = False) -> tuple[str, Acked] | None:
        with self.ledger.lock:
            writer = self._local.writer
            live = [(i, a) for i, a in self.ledger.acked.items() if a.live and a.writer == writer]
        if original:
            live = [(i, a) for i, a in live if a.document.get("batteryStatus") == "original"]
        return rng.choice(live) if live else None

    def _one(self, client: httpx.Client, rng: random.Random) -> None:
        roll = rng.random()
        target = self._mine(rng)
        if roll < 0.4 or target is None:
            document = self._next_document()
            self._create(client, document, "/passports", "create")
        elif roll < 0.75:
            self._patch(client, *target, rng)
        elif roll < 0.85:
            self._delete(client, *target)
        else:
            original = self._mine(rng, original=True)
            if original is not None:
                self._successor(client, *original)

    def _check(self, response: httpx.Response, operation: str) -> bool:
        if response.status_code >= 500:
            self.ledger.server_errors.append(f"{operation}: {response.status_code} {response.text[:300]}")
        return response.is_success

    def _create(self, client: httpx.Client, document: dict[str, Any], path: str, operation: str) -> None:
        organisation = document["operatorInformation"]["identifier"]
        self.ledger.send(document)
        headers = bearer(self.tokens[organisation], content_type="application/json")
        response = client.post(path, content=json.dumps(document), headers=headers)
        if self._check(response, operation):
            passport_id = response.json()["id"]
            with self.ledger.lock:
                self.ledger.acked[passport_id] = Acked(
                    document, 1, response.headers["etag"], organisation, writer=self._local.writer
                )
            self.ledger.count(operation)

    def _patch(self, client: httpx.Client, passport_id: str, acked: Acked, rng: random.Random) -> None:
        months = 1000 + next(self._serial)
        document = {**acked.document, "warrantyPeriod": months}
        self.ledger.send(document)
        headers = bearer(
            self.tokens[acked.owner], content_type="application/merge-patch+json", if_match=acked.etag
        )
        response = client.patch(f"/passports/{passport_id}", json={"warrantyPeriod": months}, headers=headers)
        if self._check(response, "update"):
            with self.ledger.lock:
                self.ledger.acked[passport_id] = Acked(
                    document,
                    response.json()["version"],
                    response.headers["etag"],
                    acked.owner,
                    True,
                    acked.writer,
                )
            self.ledger.count("update")
        elif response.status_code == 412:  # an in-doubt earlier patch did land: learn the new state
            self._relearn(client, passport_id, acked)
        elif response.status_code == 410 and passport_id in self.ledger.maybe_ended:
            with self.ledger.lock:  # an in-doubt delete did land
                acked.live = False

    def _relearn(self, client: httpx.Client, passport_id: str, acked: Acked) -> None:
        response = client.get(f"/passports/{passport_id}", headers=bearer(self.tokens[acked.owner]))
        if response.status_code == 200:
            body = response.json()
            sent = self.ledger.sent[acked.document["productIdentifier"]]
            match = [d for d in sent if d.get("warrantyPeriod") == body.get("warrantyPeriod")]
            if match:
                version = version_of(response.headers["etag"])
                with self.ledger.lock:
                    self.ledger.acked[passport_id] = Acked(
                        match[-1], version, response.headers["etag"], acked.owner, True, acked.writer
                    )

    def _delete(self, client: httpx.Client, passport_id: str, acked: Acked) -> None:
        headers = bearer(self.tokens[acked.owner], if_match=acked.etag)
        try:
            response = client.delete(f"/passports/{passport_id}", headers=headers)
        except (httpx.TransportError, httpx.TimeoutException):
            with self.ledger.lock:
                self.ledger.maybe_ended.add(passport_id)
            raise
        if self._check(response, "delete"):
            with self.ledger.lock:
                acked.live = False
            self.ledger.count("delete")

    def _successor(self, client: httpx.Client, passport_id: str, acked: Acked) -> None:
        document = self._next_document()
        document.update(batteryStatus="repurposed", predecessor=[acked.document["batteryPassportIdentifier"]])
        self._create(client, document, f"/passports/{passport_id}/successors", "successor")


def verify(
    registry: LiveRegistry,
    ledger: Ledger,
    tokens: dict[str, str],
    *,
    ended_later: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Every acknowledged write present and identical; every stored passport of the writers whole (one of
    the documents sent for its battery). `ended_later`: passports a write after `ledger` ended (a backup
    taken during writes may hold that), like a delete cut by a kill. Returns what was checked; raises
    AssertionError otherwise."""
    checked = {"acknowledged_passports": 0, "stored_passports": 0}
    with httpx.Client(base_url=registry.url, timeout=60) as client:
        for passport_id, acked in sorted(ledger.acked.items()):
            headers = bearer(tokens[acked.owner], accept=NT)
            current = client.get(f"/passports/{passport_id}", headers=headers)
            if not acked.live:
                assert current.status_code == 410, (passport_id, "an acknowledged delete was lost")
                checked["acknowledged_passports"] += 1
                continue
            if current.status_code == 410 and passport_id in ended_later | ledger.maybe_ended:
                checked["acknowledged_passports"] += 1
                continue
            assert current.status_code == 200, (passport_id, current.status_code, current.text[:300])
            version = version_of(current.headers["etag"])
            assert version >= acked.version, (passport_id, "an acknowledged update was lost", version)
            that = client.get(f"/passports/{passport_id}/versions/{acked.version}", headers=headers)
            assert that.status_code == 200, (passport_id, that.status_code)
            iri = f"{registry.base_url}/passports/{passport_id}"
            assert stored_graph(that.content, iri) == document_graph(acked.document, iri), (
                passport_id,
                acked.version,
                "the acknowledged version differs from what was sent",
            )
            checked["acknowledged_passports"] += 1
        for organisation, token in sorted(tokens.items()):
            for item in _owned(client, token):
                iri, passport_id = item["iri"], item["id"]
                body = client.get(f"/passports/{passport_id}", headers=bearer(token, accept=NT))
                if item["status"] != "live":
                    assert body.status_code == 410, (passport_id, body.status_code)
                    continue
                assert body.status_code == 200, (passport_id, body.status_code, body.text[:300])
                candidates = ledger.sent.get(item["battery_identifier"], [])
                graph = stored_graph(body.content, iri)
                assert any(graph == document_graph(d, iri) for d in candidates), (
                    organisation,
                    passport_id,
                    "a stored passport is none of the documents sent for its battery (half-written?)",
                )
                checked["stored_passports"] += 1
    return checked


def version_of(etag: str) -> int:
    """The version in one of our ETags, `"{id}.{version}.{variant}"`."""
    return int(etag.strip('"').rsplit(".", 2)[1])


def _owned(client: httpx.Client, token: str) -> Iterator[dict[str, Any]]:
    url: str | None = "/passports?limit=1000"
    while url:
        page = client.get(url, headers=bearer(token))
        assert page.status_code == 200, page.text
        yield from page.json()["items"]
        url = page.json()["next"]
