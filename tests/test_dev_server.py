"""`make run` as a newcomer meets it: the port it serves on, a busy port, a second start on the same data,
and a data directory served under another base URL. Real `passport-registry serve` processes."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

import httpx2 as httpx

from dev_server import dev_server, run_serve, serve_process
from loopback import free_port
from passport_registry.access import BPR

SECRET = "a-test-secret-that-is-long-enough-0123456789"


def _passport_iris(output: str) -> list[str]:
    return re.findall(r"(http://127\.0\.0\.1:\d+/passports/[A-Za-z0-9_-]+)", output)


def test_the_port_comes_from_PASSPORT_REGISTRY_PORT(tmp_path: Path) -> None:
    port = free_port()
    with dev_server(tmp_path / "data", port=None, settings={"PASSPORT_REGISTRY_PORT": str(port)}) as (url, _):
        assert url == f"http://127.0.0.1:{port}"
        assert httpx.get(url + "/ontology").status_code == 200


def test_a_busy_port_fails_in_one_line_before_the_banner_and_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k != "PASSPORT_REGISTRY_SECRET_KEY"}
        done = run_serve("--dev", "--data-dir", str(data), "--load-examples", "--port", str(port), env=env)
    assert done.returncode != 0
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    assert f"port {port}" in lines[0] and "in use" in lines[0]
    assert "Demo login" not in done.stdout and "Traceback" not in done.stdout
    assert not data.exists()


def test_a_second_start_on_the_same_data_prints_the_passport_urls_again(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    with dev_server(data, "--load-examples", port=port) as (_, first):
        loaded = _passport_iris(first)
        assert loaded, first
    with dev_server(data, "--load-examples", port=port) as (_, second):
        assert set(_passport_iris(second)) == set(loaded), second
        for iri in loaded:
            assert httpx.get(iri).status_code == 200


def test_the_start_prints_a_ready_export_line_for_the_readme(tmp_path: Path) -> None:
    port = free_port()
    with dev_server(tmp_path / "data", "--load-examples", port=port) as (url, output):
        line = next(x for x in output.splitlines() if x.strip().startswith("export "))
        assert f"R={url}" in line
        for name in ("ADMIN_PASSWORD=", "OPERATOR_PASSWORD=", "EXAMPLE_ID="):
            assert name in line, line


def test_dev_mode_moves_a_data_dir_to_the_new_port(tmp_path: Path) -> None:
    data, first_port, second_port = tmp_path / "data", free_port(), free_port()
    with dev_server(data, "--load-examples", port=first_port) as (_, first):
        old = _passport_iris(first)
    with dev_server(data, "--load-examples", port=second_port) as (url, second):
        assert f"http://127.0.0.1:{first_port}" in second  # it says what it did
        moved = _passport_iris(second)
        assert sorted(i.rsplit("/", 1)[1] for i in moved) == sorted(i.rsplit("/", 1)[1] for i in old)
        for iri in moved:
            assert iri.startswith(url + "/passports/")
            response = httpx.get(iri, headers={"Accept": "application/n-triples"})
            assert response.status_code == 200
            assert f":{first_port}/" not in response.text
        query = f"SELECT ?p WHERE {{ ?p a <{BPR}BatteryPassport> }}"
        answer = httpx.get(
            url + "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
        )
        assert answer.status_code == 200, answer.text
        found = {b["p"]["value"] for b in answer.json()["results"]["bindings"]}
        assert found == set(moved)  # SPARQL reads the moved passports too


def test_outside_dev_mode_another_base_url_is_refused_with_what_to_do(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    with dev_server(data, "--load-examples", port=port):
        pass
    env = {**os.environ, "PASSPORT_REGISTRY_SECRET_KEY": SECRET}
    other = "https://passports.example.org"
    done = run_serve("--data-dir", str(data), "--base-url", other, "--port", str(free_port()), env=env)
    assert done.returncode != 0
    assert "Traceback" not in done.stdout
    assert f"http://127.0.0.1:{port}" in done.stdout
    assert f"passport-registry rebase --data-dir {data} --base-url {other}" in done.stdout
    # The same base URL still serves.
    with serve_process("--data-dir", str(data), port=port, env=env) as (url, _):
        assert url == f"http://127.0.0.1:{port}"
