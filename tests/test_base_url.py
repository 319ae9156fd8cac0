"""A data directory remembers the base URL its passports were minted under; `passport-registry rebase`
moves them to another one (every IRI under the old base URL rewritten, nothing else touched)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from oxigraph_server import OxigraphServer
from passport_registry.access import ALL_GROUPS
from passport_registry.cli import app
from passport_registry.config import Settings
from passport_registry.errors import ConfigurationError
from passport_registry.services.imports import import_passports
from passport_registry.services.passports import PassportService
from passport_registry.services.registry import Registry
from passport_registry.store.rebase import rebase

EXAMPLES = Path(__file__).parents[1] / "examples" / "passports"
OLD, NEW = "http://127.0.0.1:8000", "http://127.0.0.1:8001"


def _load_examples(data_dir: Path, base_url: str) -> list[str]:
    registry = Registry.open(Settings(dev=True, data_dir=data_dir, base_url=base_url))
    try:
        service = PassportService(registry, base_url)
        report = import_passports(service, [EXAMPLES], "DEMO-EO-0001")
        assert report.loaded and not report.failed, report.failed
        return [service.id_of(iri) for _, iri in report.loaded]
    finally:
        registry.close()


def _all_iris(data_dir: Path) -> set[str]:
    store = ox.Store(str(data_dir / "store"))
    try:
        return {
            term.value
            for q in store.quads_for_pattern(None, None, None, None)
            for term in (q.subject, q.predicate, q.object, q.graph_name)
            if isinstance(term, ox.NamedNode)
        }
    finally:
        del store


def test_another_base_url_is_refused_and_says_what_to_do(tmp_path: Path) -> None:
    _load_examples(tmp_path, OLD)
    with pytest.raises(ConfigurationError) as refused:
        Registry.open(Settings(dev=True, data_dir=tmp_path, base_url=NEW))
    assert OLD in refused.value.detail
    assert f"passport-registry rebase --data-dir {tmp_path} --base-url {NEW}" in refused.value.detail
    Registry.open(Settings(dev=True, data_dir=tmp_path, base_url=OLD)).close()  # its own still opens


def test_a_store_made_before_the_base_url_was_recorded_is_bound_by_its_passports(tmp_path: Path) -> None:
    _load_examples(tmp_path, OLD)
    store = ox.Store(str(tmp_path / "store"))
    store.update("DELETE WHERE { GRAPH ?g { ?s <https://w3id.org/passport-registry/meta#baseUrl> ?o } }")
    del store
    with pytest.raises(ConfigurationError):
        Registry.open(Settings(dev=True, data_dir=tmp_path, base_url=NEW))


def test_rebase_moves_every_iri_and_the_passports_read_back_under_the_new_base(tmp_path: Path) -> None:
    ids = _load_examples(tmp_path, OLD)
    before = _all_iris(tmp_path)
    result = CliRunner().invoke(app, ["rebase", "--data-dir", str(tmp_path), "--base-url", NEW + "/"])
    assert result.exit_code == 0, result.output
    assert f"from {OLD} to {NEW}" in result.output
    after = _all_iris(tmp_path)
    assert not any(iri.startswith(OLD + "/") for iri in after)
    moved = {iri.replace(OLD + "/", NEW + "/", 1) for iri in before}
    assert after == moved
    registry = Registry.open(Settings(dev=True, data_dir=tmp_path, base_url=NEW))
    try:
        service = PassportService(registry, NEW)
        for passport_id in ids:
            snapshot = registry.store.get(service.iri(passport_id), ALL_GROUPS)
            assert snapshot.triples
            assert all(OLD not in str(t) for t in snapshot.triples)
    finally:
        registry.close()
    again = CliRunner().invoke(app, ["rebase", "--data-dir", str(tmp_path), "--base-url", NEW])
    assert again.exit_code == 0 and "nothing to do" in again.output


def test_rebase_in_small_chunks_rewrites_every_position_and_leaves_the_rest() -> None:
    store = ox.Store()
    a, b = ox.NamedNode(OLD + "/passports/a"), ox.NamedNode(OLD + "/passports/a#cell")
    other = ox.NamedNode("https://example.org/x")
    quads = [
        ox.Quad(a, other, b, ox.DefaultGraph()),
        ox.Quad(other, a, ox.Literal(OLD + "/passports/a"), ox.NamedNode(OLD + "/passports/a#minted")),
        ox.Quad(other, other, other, ox.NamedNode("https://w3id.org/passport-registry/graph/public")),
        *(ox.Quad(a, other, ox.Literal(str(n)), other) for n in range(20)),
    ]
    store.extend(quads)
    assert rebase(store, OLD, NEW, chunk=3) == 22
    text = {str(q) for q in store}
    new_a = f"<{NEW}/passports/a>"
    assert f"{new_a} <https://example.org/x> <{NEW}/passports/a#cell>" in {t.rstrip(" .") for t in text}
    assert any(f'{new_a} "{OLD}/passports/a" <{NEW}/passports/a#minted>' in t for t in text)  # literal kept
    assert len(store) == len(quads)
    assert not any(f"<{OLD}/" in t for t in text)


def test_a_store_on_a_sparql_server_records_its_base_url_and_refuses_another(
    oxigraph: OxigraphServer, tmp_path: Path
) -> None:
    oxigraph.reset()

    def settings(base_url: str) -> Settings:
        return Settings(
            dev=True,
            data_dir=tmp_path,
            base_url=base_url,
            store_url=oxigraph.url,
            store_write_lock=tmp_path / "write.lock",
            sparql_max_results=1000,  # keeps the start-up probe of result caps quick
        )

    Registry.open(settings(OLD)).close()  # an empty store: the first start records its base URL
    with pytest.raises(ConfigurationError) as refused:
        Registry.open(settings(NEW))
    assert OLD in refused.value.detail and "export" in refused.value.detail
    Registry.open(settings(OLD)).close()


def test_import_takes_the_data_dirs_base_url_and_refuses_another_in_one_line(tmp_path: Path) -> None:
    _load_examples(tmp_path, NEW)
    one = EXAMPLES / "lmt-ebike-nmc.json"
    document = one.read_text(encoding="utf-8").replace("PW500-2026-018832", "PW500-2026-777777")
    extra = tmp_path / "extra.json"
    extra.write_text(document, encoding="utf-8")
    refused = CliRunner().invoke(
        app, ["import", str(extra), "--owner", "X", "--data-dir", str(tmp_path), "--base-url", OLD]
    )
    assert refused.exit_code == 2 and NEW in refused.stderr and "Traceback" not in refused.output
    done = CliRunner().invoke(app, ["import", str(extra), "--owner", "X", "--data-dir", str(tmp_path)])
    assert done.exit_code == 0, done.output
    registry = Registry.open(Settings(dev=True, data_dir=tmp_path, base_url=NEW))
    try:
        (record,) = registry.store.list_owned("X").items
        assert record.iri.value.startswith(NEW + "/passports/")
    finally:
        registry.close()
