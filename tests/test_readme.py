"""The README's examples run as written: its ```` ```sh run ```` blocks, in order, in one bash, against a live
`serve --dev --load-examples` (what `make run` starts), after the `export` line that server prints.

Every curl reports its status on stderr (a wrapper adds `-w`; what the commands print is unchanged), so the
test can tell a refused request from a working one: the run must exit 0, no request may fail or answer
5xx, and the only 4xx answers are those a command announces in a comment (`# 410 Gone`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dev_server import dev_server
from loopback import free_port

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"

#: The curl of the examples, reporting each answer's status on stderr (the examples capture stdout).
PREAMBLE = """set -euo pipefail
curl() { command curl -sS -w '%{stderr}HTTP %{http_code}\\n' "$@"; }
"""


def runnable_blocks(text: str) -> list[str]:
    """The bodies of the README's ```` ```sh run ```` blocks, in order."""
    return re.findall(r"^```sh run\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def announced_failures(blocks: list[str]) -> list[int]:
    """The 4xx statuses the examples announce in a comment on their command line, in order."""
    return [int(code) for block in blocks for code in re.findall(r"#\s+(4\d\d)\b", block)]


def test_the_readme_marks_its_runnable_examples() -> None:
    blocks = runnable_blocks(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    text = "\n".join(blocks)
    for needed in ("$ADMIN_PASSWORD", "$OPERATOR_PASSWORD", "$EXAMPLE_ID", "/successors", "/sparql"):
        assert needed in text


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's examples use curl")
def test_the_readme_examples_run_in_order_against_the_dev_server(tmp_path: Path) -> None:
    blocks = runnable_blocks(README.read_text(encoding="utf-8"))
    work = tmp_path / "work"  # the examples write files where they run: not into the checkout
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    with dev_server(tmp_path / "data", "--load-examples", port=free_port(), cwd=ROOT) as (_, output):
        exports = [line.strip() for line in output.splitlines() if line.strip().startswith("export ")]
        assert len(exports) == 1, output
        script = PREAMBLE + exports[0] + "\n" + "\n".join(blocks)
        done = subprocess.run(
            ["bash", "-c", script], cwd=work, capture_output=True, text=True, timeout=600, check=False
        )
    report = f"stdout:\n{done.stdout[-4000:]}\nstderr:\n{done.stderr[-4000:]}"
    assert done.returncode == 0, report
    statuses = [int(s) for s in re.findall(r"^HTTP (\d{3})$", done.stderr, flags=re.MULTILINE)]
    assert len(statuses) >= 40, report
    assert all(100 <= s < 500 for s in statuses), report
    assert [s for s in statuses if s >= 400] == announced_failures(blocks), report
    # What the examples set out to show happened.
    assert statuses.count(201) >= 4, report  # an account, an API key, a passport and its successor
    assert 304 in statuses and 303 in statuses and 410 in statuses, report
    assert '"conforms":false' in done.stdout.replace(" ", ""), report  # the invalid example's report
    assert "admin@registry.example" in done.stdout and "eo@second-life.example" in done.stdout
    assert '"number":3' in done.stdout.replace(" ", ""), report  # created, replaced, patched
