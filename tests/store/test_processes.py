"""Across worker processes over one SPARQL server: of writers racing from the same version exactly one
wins, and an acknowledged write survives `kill -9` of the server.

The workers are real processes, each with its own `RemotePassportStore` (its own HTTP pool), sharing
only the server and the write lock file, as `serve --workers N` does. The embedded store cannot be
shared by two processes at all (its directory lock); `test_concurrency.py` races its threads.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse

import passport_registry
from oxigraph_server import OxigraphServer, oxigraph_binary
from passport_registry.access import ALL_GROUPS, GroupResolver
from passport_registry.errors import NotFound
from passport_registry.store import PassportFacts, PassportStore, RemotePassportStore
from postgres_server import PostgresCluster

from .helpers import EV, ONTOLOGY, PASSPORT, deskolemised, expected_graph, iri, isomorphic, passport_triples

EVERYTHING = ["public", "legitimate-interest-and-commission", "authorities", "legitimate-interest"]

#: A worker: reads commands from stdin, answers each with one line once its write returned.
WORKER = r"""
import sys
from pathlib import Path
from pyoxigraph import NamedNode, RdfFormat, parse
from passport_registry.access import GroupResolver
from passport_registry.errors import RegistryError
from passport_registry.store import PassportFacts, RemotePassportStore
from passport_registry.store.write_lock import PostgresWriteLock

url, lock, ontology, template, category, name = sys.argv[1:7]
resolver = GroupResolver.from_triples(parse(Path(ontology).read_bytes(), RdfFormat.TURTLE))
def triples(battery, soh):
    text = Path(template).read_text().format(battery=battery, soh=soh, category=category)
    return [q.triple for q in parse(text.encode(), RdfFormat.TURTLE)]
if lock.startswith("postgresql://"):  # one lock for every host, in PostgreSQL
    store = RemotePassportStore.connect(resolver, url, lock=PostgresWriteLock(lock, url), max_results=1000)
else:  # one lock file for the processes of this host
    store = RemotePassportStore.connect(resolver, url, lock_path=Path(lock), max_results=1000)
print("ready", flush=True)
for line in sys.stdin:
    command, passport, battery, soh = line.split()
    try:
        if command == "replace":
            store.replace(NamedNode(passport), triples(battery, int(soh)), 1, by=name,
                          facts=PassportFacts(battery_id=battery))
        elif command == "create":
            facts = PassportFacts(battery_id=battery)
            store.create(NamedNode(passport), name, triples(battery, int(soh)), facts)
        else:  # "forever": replace and acknowledge each version until killed
            version = store.create(NamedNode(passport), name, triples(battery, 1)).version
            print(version, flush=True)
            while True:
                version = store.replace(NamedNode(passport), triples(battery, version + 1), version).version
                print(version, flush=True)
        print("won", flush=True)
    except RegistryError as exc:
        print("lost", type(exc).__name__, flush=True)
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[OxigraphServer]:
    if oxigraph_binary() is None:
        pytest.skip("the `oxigraph` command is not installed (`make test` installs it: pip install oxigraph)")
    found = OxigraphServer(tmp_path / "oxigraph")
    yield found
    found.stop()


class Workers:
    """`n` worker processes over `server`, sharing one lock file, or `lock_url`'s PostgreSQL lock (each
    worker then has a lock file of its own, as workers on different hosts would)."""

    def __init__(self, n: int, server: OxigraphServer, tmp_path: Path, lock_url: str | None = None) -> None:
        ontology, template = tmp_path / "ontology.ttl", tmp_path / "passport.ttl.txt"
        ontology.write_text(ONTOLOGY)
        template.write_text(PASSPORT)
        self.lock = tmp_path / "write.lock"
        src = str(Path(passport_registry.__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": src}
        self.processes = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    WORKER,
                    server.url,
                    lock_url or str(self.lock),
                    str(ontology),
                    str(template),
                    EV,
                    f"worker-{k}",
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                text=True,
            )
            for k in range(n)
        ]
        for p in self.processes:
            assert self._line(p) == "ready"

    @staticmethod
    def _line(process: subprocess.Popen[str]) -> str:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line, "a worker died"
        return line.strip()

    def all_at_once(self, commands: list[str]) -> list[str]:
        """Send each worker its command (back to back, so the writes overlap), then read every answer."""
        for p, command in zip(self.processes, commands, strict=True):
            assert p.stdin is not None
            p.stdin.write(command + "\n")
            p.stdin.flush()
        return [self._line(p) for p in self.processes]

    def close(self) -> None:
        for p in self.processes:
            assert p.stdin is not None and p.stdout is not None
            p.stdin.close()
            p.wait(timeout=30)
            p.stdout.close()


@pytest.fixture
def parent(server: OxigraphServer, tmp_path: Path) -> Iterator[PassportStore]:
    resolver = GroupResolver.from_triples(parse(ONTOLOGY.encode(), RdfFormat.TURTLE))
    store = RemotePassportStore.connect(
        resolver, server.url, lock_path=tmp_path / "write.lock", max_results=1000
    )
    yield store
    store.close()


ROUNDS = 25


def test_two_worker_processes_replacing_one_wins_every_round(
    server: OxigraphServer, parent: PassportStore, tmp_path: Path
) -> None:
    workers = Workers(2, server, tmp_path)
    try:
        for r in range(ROUNDS):
            p, battery = iri(f"race{r}"), f"BAT-{r}"
            parent.create(p, "acme", passport_triples(battery=battery), PassportFacts(battery_id=battery))
            answers = workers.all_at_once([f"replace {p.value} {battery} {10 + k}" for k in range(2)])
            winners = [k for k, a in enumerate(answers) if a == "won"]
            assert len(winners) == 1, (r, answers)
            assert answers[1 - winners[0]] == "lost PreconditionFailed", (r, answers)
            (k,) = winners
            assert parent.record(p).version == 2
            assert [v.issued_by for v in parent.versions(p)] == ["acme", f"worker-{k}"]
            current = deskolemised(parent.get(p, ALL_GROUPS).triples, p)
            assert isomorphic(current, expected_graph(EVERYTHING, battery=battery, soh=10 + k)), r
    finally:
        workers.close()


def test_workers_on_different_hosts_replacing_one_wins_every_round_with_the_postgres_lock(
    server: OxigraphServer, parent: PassportStore, tmp_path: Path, postgres: PostgresCluster
) -> None:
    """Workers that share no file system share the advisory lock in the account database."""
    workers = Workers(3, server, tmp_path, lock_url=postgres.url())
    try:
        for r in range(ROUNDS):
            p, battery = iri(f"hosts{r}"), f"BAT-H{r}"
            parent.create(p, "acme", passport_triples(battery=battery), PassportFacts(battery_id=battery))
            answers = workers.all_at_once([f"replace {p.value} {battery} {10 + k}" for k in range(3)])
            assert sorted(answers) == ["lost PreconditionFailed"] * 2 + ["won"], (r, answers)
            assert parent.record(p).version == 2
    finally:
        workers.close()


def test_four_worker_processes_creating_for_one_battery_one_wins_every_round(
    server: OxigraphServer, parent: PassportStore, tmp_path: Path
) -> None:
    workers = Workers(4, server, tmp_path)
    try:
        for r in range(ROUNDS // 2):
            names = [iri(f"c{r}-{k}") for k in range(4)]
            same_iri = r % 2 == 0  # alternate: four creates of one IRI, or of four IRIs for one battery
            commands = [f"create {(names[0] if same_iri else names[k]).value} BAT-{r} {k}" for k in range(4)]
            answers = workers.all_at_once(commands)
            assert sorted(answers) == ["lost Conflict"] * 3 + ["won"], (r, answers)
            winner = answers.index("won")
            created = names[0] if same_iri else names[winner]
            assert parent.record(created).owner == f"worker-{winner}"
            assert [v.number for v in parent.versions(created)] == [1]
            for k in range(1, 4):
                if not same_iri and k != winner:
                    with pytest.raises(NotFound):
                        parent.record(names[k])
    finally:
        workers.close()


def test_acknowledged_writes_survive_sigkill_of_the_server(
    server: OxigraphServer, parent: PassportStore, tmp_path: Path
) -> None:
    workers = Workers(1, server, tmp_path)
    (writer,) = workers.processes
    p = iri("durable")
    assert writer.stdin is not None
    writer.stdin.write(f"forever {p.value} BAT-1 0\n")
    writer.stdin.flush()
    acknowledged = 0
    while acknowledged < 5:
        acknowledged = int(workers._line(writer))
    server.kill()
    writer.kill()
    writer.wait()
    server.start()  # the same data directory
    version = parent.record(p).version
    assert version >= acknowledged
    for n in range(1, version + 1):  # every version whole: soh was written as the version number
        snapshot = parent.get(p, ALL_GROUPS, version=n)
        assert isomorphic(deskolemised(snapshot.triples, p), expected_graph(EVERYTHING, soh=n)), n
    for process in workers.processes:
        assert process.stdin is not None and process.stdout is not None
        process.stdin.close()
        process.stdout.close()
