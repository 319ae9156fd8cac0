"""`passport-registry export`: every live passport (or one owner's) in N-Quads, TriG or JSON lines; what it
writes `import` reads back into an empty registry as the same passports (isomorphic up to the fresh IRIs
an import mints)."""

from __future__ import annotations

import json
from pathlib import Path

import pyld.jsonld
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from oxigraph_server import OxigraphServer
from passport_registry.access import ALL_GROUPS, BPR
from passport_registry.cli import app
from passport_registry.config import Settings
from passport_registry.resources import CONTEXT_URL
from passport_registry.services.imports import import_passports
from passport_registry.services.passports import PassportService
from passport_registry.services.registry import Registry
from passport_registry.store import ListFilters

EXAMPLES = Path(__file__).parents[1] / "examples" / "passports"
BASE = "http://127.0.0.1:8000"
OWNER, OTHER = "DEMO-EO-0001", "DE-EO-0042"


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry with the examples of OWNER and one passport of OTHER."""
    tmp = tmp_path_factory.mktemp("source")
    data = tmp / "data"
    _invoke("import", str(EXAMPLES), "--owner", OWNER, "--data-dir", str(data), "--workers", "0")
    document = json.loads((EXAMPLES / "lmt-ebike-nmc.json").read_text(encoding="utf-8"))
    document["productIdentifier"] = "(01)04098765000011(21)PW500-2026-424242"
    document["operatorInformation"]["identifier"] = OTHER
    other = tmp / "other.json"
    other.write_text(json.dumps(document), encoding="utf-8")
    _invoke("import", str(other), "--owner", OTHER, "--data-dir", str(data), "--workers", "0")
    return data


def _stored(data: Path, owner: str | None) -> rdflib.Graph:
    """The current triples of every live passport (of `owner`) as the store holds them."""
    graph = rdflib.Graph()
    registry = Registry.open(Settings(dev=True, data_dir=data, base_url=BASE))
    try:
        page = registry.store.list_owned(owner, limit=100, filters=ListFilters())
        for record in page.items:
            triples = registry.store.get(record.iri, ALL_GROUPS).triples
            graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    finally:
        registry.close()
    return graph


def _read(path: Path, export_format: str) -> rdflib.Graph:
    """The triples of an export (graph names dropped: each is its passport's IRI, in the triples too)."""
    graph = rdflib.Graph()
    if export_format == "jsonl":
        context = json.loads(
            (Path(__file__).parents[1] / "src/passport_registry/data/context.jsonld").read_text()
        )
        for line in path.read_text(encoding="utf-8").splitlines():
            document = json.loads(line)
            assert document["@context"] == CONTEXT_URL
            document["@context"] = context["@context"]  # pyld, the oracle, with the bundled context
            nquads = pyld.jsonld.to_rdf(document, {"format": "application/n-quads"})
            graph += _triples(nquads.encode("utf-8"), ox.RdfFormat.N_QUADS)
        return graph
    return _triples(
        path.read_bytes(), ox.RdfFormat.N_QUADS if export_format == "nquads" else ox.RdfFormat.TRIG
    )


def _triples(data: bytes, rdf_format: ox.RdfFormat) -> rdflib.Graph:
    """The triples of a dataset document (pyoxigraph parses, rdflib compares)."""
    triples = [q.triple for q in ox.parse(data, format=rdf_format)]
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def _renamed(graph: rdflib.Graph) -> rdflib.Graph:
    """`graph` with each passport IRI (and its nodes' IRIs, under its `#`) renamed after the passport's
    identifier: what an import into another registry keeps (it mints fresh passport IRIs)."""
    identifier = rdflib.URIRef(BPR + "batteryPassportIdentifier")
    names = {str(s): str(o) for s, o in graph.subject_objects(identifier)}

    def rename(term: rdflib.term.Node) -> rdflib.term.Node:
        if isinstance(term, rdflib.URIRef):
            base, hash_, rest = str(term).partition("#")
            if base in names:
                return rdflib.URIRef(names[base] + hash_ + rest)
        return term

    out = rdflib.Graph()
    for s, p, o in graph:
        out.add((rename(s), p, rename(o)))
    return out


@pytest.mark.parametrize("export_format", ["nquads", "trig", "jsonl"])
def test_export_writes_every_passport_and_import_reads_it_back_isomorphic(
    source: Path, tmp_path: Path, export_format: str
) -> None:
    exported = tmp_path / f"passports.{'nq' if export_format == 'nquads' else export_format}"
    out = _invoke("export", "--data-dir", str(source), "--format", export_format, "-o", str(exported))
    assert "Exported 7 passport(s)" in out
    graph = _read(exported, export_format)
    assert isomorphic(graph, _stored(source, None))

    copy = tmp_path / "copy"
    out = _invoke("import", str(exported), "--owner", OWNER, "--data-dir", str(copy), "--workers", "0")
    assert "Imported 7 passport(s)" in out
    again = tmp_path / f"again.{exported.suffix}"
    _invoke("export", "--data-dir", str(copy), "--format", export_format, "-o", str(again))
    assert set(_renamed(_read(again, export_format))) == set(_renamed(graph))
    assert len(graph) > 1000


def test_export_of_one_owner_to_stdout(source: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--data-dir", str(source), "--owner", OTHER])
    assert result.exit_code == 0, result.output
    quads = list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_QUADS))
    assert len({q.graph_name for q in quads}) == 1
    assert isomorphic(_triples(result.stdout_bytes, ox.RdfFormat.N_QUADS), _stored(source, OTHER))
    assert "Exported 1 passport(s) of DE-EO-0042" in result.stderr


def test_export_shows_progress_on_stderr(source: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--data-dir", str(source), "-o", str(tmp_path / "x.nq")])
    assert result.exit_code == 0
    assert "passports [" in result.stderr and "7/7" in result.stderr


def test_export_refuses_a_bad_format_and_a_missing_store(tmp_path: Path) -> None:
    bad = CliRunner().invoke(app, ["export", "--data-dir", str(tmp_path), "--format", "xml"])
    assert bad.exit_code == 2 and "nquads, trig or jsonl" in bad.stderr
    missing = CliRunner().invoke(app, ["export", "--data-dir", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "holds no passport store" in missing.stderr


def test_export_from_a_sparql_server_while_the_registry_uses_it(
    oxigraph: OxigraphServer, tmp_path: Path
) -> None:
    oxigraph.reset()
    settings = Settings(
        dev=True,
        data_dir=tmp_path,
        base_url=BASE,
        store_url=oxigraph.url,
        store_write_lock=tmp_path / "write.lock",
        sparql_max_results=1000,
    )
    registry = Registry.open(settings)  # stays open, as a serving registry would
    try:
        report = import_passports(PassportService(registry, BASE), [EXAMPLES], OWNER)
        assert len(report.loaded) == 6
        result = CliRunner().invoke(app, ["export", "--store-url", oxigraph.url, "--format", "trig"])
        assert result.exit_code == 0, result.output
        quads = list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.TRIG))
        assert {q.graph_name.value for q in quads} == {iri.value for _, iri in report.loaded}
        stored = {
            (str(t.subject), str(t.predicate), str(t.object))
            for _, iri in report.loaded
            for t in registry.store.get(iri, ALL_GROUPS).triples
        }
        assert {(str(q.subject), str(q.predicate), str(q.object)) for q in quads} == stored
    finally:
        registry.close()
