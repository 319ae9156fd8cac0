"""Acknowledged writes survive `kill -9` of the writing process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import passport_registry
from passport_registry.access import ALL_GROUPS, GroupResolver
from passport_registry.store import EmbeddedPassportStore

from .helpers import EV, ONTOLOGY, PASSPORT, deskolemised, expected_graph, iri, isomorphic

P = iri("p1")

#: A writer that creates a passport, then replaces it forever, printing each version once it is written.
WRITER = r"""
import sys
from pathlib import Path
from pyoxigraph import RdfFormat, parse
from passport_registry.access import GroupResolver
from passport_registry.store import EmbeddedPassportStore, PassportFacts
from pyoxigraph import NamedNode

data_dir, ontology, template, passport = sys.argv[1:5]
resolver = GroupResolver.from_triples(parse(Path(ontology).read_bytes(), RdfFormat.TURTLE))
def triples(soh):
    text = Path(template).read_text().format(battery="BAT-1", soh=soh, category=sys.argv[5])
    return [q.triple for q in parse(text.encode(), RdfFormat.TURTLE)]
store = EmbeddedPassportStore(resolver, Path(data_dir))
iri = NamedNode(passport)
version = store.create(iri, "acme", triples(1)).version
print(version, flush=True)
while True:
    version = store.replace(iri, triples(version + 1), version).version
    print(version, flush=True)
"""


def test_acknowledged_writes_survive_sigkill(tmp_path: Path, resolver: GroupResolver) -> None:
    ontology, template = tmp_path / "ontology.ttl", tmp_path / "passport.ttl.txt"
    ontology.write_text(ONTOLOGY)
    template.write_text(PASSPORT)
    data_dir = tmp_path / "store"
    src = str(Path(passport_registry.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": src}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), str(ontology), str(template), P.value, EV],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    acknowledged = 0
    try:
        while acknowledged < 5:
            line = child.stdout.readline()
            assert line, "the writer died before acknowledging five versions"
            acknowledged = int(line)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    store = EmbeddedPassportStore(resolver, data_dir)
    try:
        version = store.record(P).version
        assert version >= acknowledged
        everything = ["public", "legitimate-interest-and-commission", "authorities", "legitimate-interest"]
        for n in range(1, version + 1):  # every version whole: soh was written as the version number
            snapshot = store.get(P, ALL_GROUPS, version=n)
            assert isomorphic(deskolemised(snapshot.triples, P), expected_graph(everything, soh=n)), n
    finally:
        store.close()
