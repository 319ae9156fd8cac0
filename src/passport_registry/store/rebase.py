"""Moving an embedded store to another base URL: every IRI under the old one rewritten under the new one.

Passport IRIs (`{base}/passports/{id}`) and everything derived from them (skolemised nodes, version
records, history and guard graphs, link records) start with the base URL the registry was served under.
Served under another base URL, none of them resolves; `rebase` rewrites them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Store

#: Quads rewritten per SPARQL update (each update is atomic).
CHUNK = 20_000


def rebase(db: Store, old: str, new: str, *, chunk: int = CHUNK) -> int:
    """Rewrite every IRI of `db` that starts with `old` + "/" to start with `new` + "/"; how many quads
    changed.

    Each chunk of `chunk` quads is one atomic update (its old quads deleted, the new ones inserted), so an
    interrupted run leaves every quad either old or new, and running it again finishes the work. The scan
    reads one snapshot of the store, so the quads it writes are never visited again.
    Raises ValueError for a blank node in a quad to rewrite (the registry skolemises them).
    """
    prefix, target = old.rstrip("/") + "/", new.rstrip("/") + "/"
    if prefix == target:
        return 0
    changed = 0
    batch: list[tuple[Quad, Quad]] = []
    for quad in db.quads_for_pattern(None, None, None, None):
        moved = _moved(quad, prefix, target)
        if moved is None:
            continue
        batch.append((quad, moved))
        if len(batch) >= chunk:
            db.update(_update(batch))
            changed += len(batch)
            batch = []
    if batch:
        db.update(_update(batch))
        changed += len(batch)
    return changed


def _moved(quad: Quad, prefix: str, target: str) -> Quad | None:
    terms = (quad.subject, quad.predicate, quad.object, quad.graph_name)
    if not any(isinstance(t, NamedNode) and t.value.startswith(prefix) for t in terms):
        return None
    if any(isinstance(t, BlankNode) for t in terms):
        raise ValueError(f"a blank node in a quad to rebase: {quad}")

    def move(term: object) -> object:
        if isinstance(term, NamedNode) and term.value.startswith(prefix):
            return NamedNode(target + term.value[len(prefix) :])
        return term

    return Quad(*(move(t) for t in terms))  # type: ignore[arg-type]


def _update(batch: list[tuple[Quad, Quad]]) -> str:
    return f"DELETE DATA {{ {' '.join(_data(q for q, _ in batch))} }} ;\n" + (
        f"INSERT DATA {{ {' '.join(_data(q for _, q in batch))} }}"
    )


def _data(quads: Iterable[Quad]) -> Iterator[str]:
    for q in quads:
        triple = f"{q.subject} {q.predicate} {q.object} ."
        yield triple if isinstance(q.graph_name, DefaultGraph) else f"GRAPH {q.graph_name} {{ {triple} }}"
