"""`passport-registry import`: files, folders and JSON lines; each passport validated, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from passport_registry.access import ALL_GROUPS
from passport_registry.cli import app
from passport_registry.config import Settings
from passport_registry.services.imports import ImportReport, count_documents, documents, import_passports
from passport_registry.services.passports import PassportService
from passport_registry.services.registry import Registry
from passport_registry.store import ListFilters
from passports_support import EXAMPLES, INVALID, example


def owned(data_dir: Path, owner: str) -> list[str]:
    registry = Registry.open(Settings(dev=True, data_dir=data_dir))
    try:
        page = registry.store.list_owned(owner, limit=100, filters=ListFilters())
        return sorted(r.facts.battery_id or "" for r in page.items)
    finally:
        registry.close()


def test_import_reports_what_failed_and_stores_the_rest(tmp_path: Path) -> None:
    lines = tmp_path / "more.jsonl"
    document = json.loads(example("lmt-ebike-nmc.json"))
    document["productIdentifier"] = "(01)04098765000011(21)PW500-2026-999999"
    del document["@context"]
    lines.write_text(json.dumps(document) + "\n\n" + "{not json\n", encoding="utf-8")
    data = tmp_path / "data"
    result = CliRunner().invoke(
        app,
        ["import", str(EXAMPLES), str(lines), str(INVALID / "negative-mass.jsonld"), "--owner", "EO-1",
         "--data-dir", str(data)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "Imported 7 passport(s) for EO-1; 2 refused." in result.output
    assert "negative-mass.jsonld" in result.output and "Battery mass" in result.output
    assert "more.jsonl:3" in result.output
    batteries = owned(data, "EO-1")
    assert len(batteries) == 7 and "(01)04098765000011(21)PW500-2026-999999" in batteries

    again = CliRunner().invoke(app, ["import", str(EXAMPLES / "lmt-ebike-nmc.json"), "--owner", "EO-2",
                                     "--data-dir", str(data)])  # fmt: skip
    assert again.exit_code == 1
    assert "already has a live passport" in again.output
    assert owned(data, "EO-2") == []


def _import(tmp_path: Path, workers: int, name: str) -> tuple[ImportReport, dict[str, rdflib.Graph]]:
    """Import the examples, one non-conforming file and a JSON-lines file with a broken line; the
    report and each stored passport as a graph with its minted IRI replaced by one fixed IRI."""
    lines = tmp_path / "lines.jsonl"
    lines.write_text("{not json\n" + json.dumps(json.loads(example("lmt-ebike-nmc.json"))) + "\n")
    registry = Registry.open(Settings(dev=True, data_dir=tmp_path / name))
    try:
        service = PassportService(registry, "http://127.0.0.1:8000")
        report = import_passports(
            service, [EXAMPLES, INVALID / "negative-mass.jsonld", lines], "EO-1", workers=workers
        )
        graphs = {}
        for source, iri in report.loaded:
            text = ox.serialize(registry.store.get(iri, ALL_GROUPS).triples, format=ox.RdfFormat.N_TRIPLES)
            assert text is not None
            graphs[source] = rdflib.Graph().parse(
                data=text.decode().replace(iri.value, "urn:x:p"), format="nt"
            )
        return report, graphs
    finally:
        registry.close()


@pytest.mark.slow  # starts worker processes
def test_import_with_worker_processes_does_what_the_single_process_import_does(tmp_path: Path) -> None:
    alone, alone_graphs = _import(tmp_path, 0, "alone")
    pooled, pooled_graphs = _import(tmp_path, 1, "pooled")
    assert len(alone.loaded) == 6 and len(alone.failed) == 3  # negative mass, broken line, battery taken
    assert any("negative-mass" in source for source, _ in alone.failed)
    assert sorted(pooled.failed) == sorted(alone.failed)
    assert sorted(pooled_graphs) == sorted(alone_graphs)
    for source, graph in alone_graphs.items():  # the same passports stored, whatever IRIs were minted
        assert len(graph) > 100 and isomorphic(pooled_graphs[source], graph), source


def test_count_documents_counts_what_the_import_reads(tmp_path: Path) -> None:
    lines = tmp_path / "lines.jsonl"
    lines.write_text('{"a": 1}\n\n{"b": 2}\n')
    array = tmp_path / "many.json"
    array.write_text('[{"a": 1}, {"b": 2}, {"c": 3}]')
    paths = [EXAMPLES, lines, array]
    assert count_documents(paths) == len(list(documents(paths, ImportReport()))) == 11


def test_json_lines_are_read_a_line_at_a_time_with_their_line_numbers(tmp_path: Path) -> None:
    """Windows line ends, blank lines and a last line without an end: same documents, same numbers."""
    lines = tmp_path / "crlf.jsonl"
    lines.write_bytes(b'{"a": 1}\r\n\r\n  \r\n{"b": 2}\r\n{"c": 3}')
    found = list(documents([lines], ImportReport()))
    assert [(d.source.rsplit(":", 1)[1], d.body) for d in found] == [
        ("1", b'{"a": 1}'),
        ("4", b'{"b": 2}'),
        ("5", b'{"c": 3}'),
    ]
    assert count_documents([lines]) == 3
    missing = ImportReport()
    assert list(documents([tmp_path / "absent.jsonl"], missing)) == []
    assert missing.failed and missing.failed[0][0].endswith("absent.jsonl")


def test_import_refuses_a_file_with_a_string_for_a_nested_object_and_stores_the_rest(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    for path in sorted(EXAMPLES.glob("*.json"))[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    document = json.loads(example("ev-nmc-car-pack.json"))
    document["manufacturerInformation"] = "ACME"
    document["productIdentifier"] = "(01)04012345000016(21)ANOTHER-ONE"
    (folder / "zz-bad.json").write_text(json.dumps(document))
    data = tmp_path / "data"
    result = CliRunner().invoke(app, ["import", str(folder), "--owner", "EO-1", "--data-dir", str(data)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert "Imported 2 passport(s) for EO-1; 1 refused." in result.output
    assert "zz-bad.json" in result.output and "manufacturerInformation" in result.output
    assert len(owned(data, "EO-1")) == 2
