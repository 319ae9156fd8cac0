"""`passport-registry backup` while a live server takes writes, and `restore` into an empty data directory:
every write acknowledged before the backup began is in it, identical, no passport in part, the accounts
are the same (their logins still work), and a backup of an idle server restores to an isomorphic dataset.
"""

from __future__ import annotations

import json
import secrets
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pyoxigraph as ox
import pytest
from live_support import ADMIN_EMAIL, LiveRegistry, bearer, cli
from resilience_support import operators, record
from workload import Acked, Ledger, Workload, verify


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveRegistry]:
    registry = LiveRegistry(tmp_path / "data")
    yield registry
    registry.stop()


def _accounts(live: LiveRegistry, admin_password: str) -> tuple[dict[str, str], dict[str, str]]:
    """Operators for every organisation of the generator: organisation -> token, email -> password."""
    admin = live.login(ADMIN_EMAIL, admin_password)
    tokens, passwords = {}, {ADMIN_EMAIL: admin_password}
    for organisation in operators().values():
        password = secrets.token_urlsafe(12)
        email = live.add_operator(admin, organisation, password)
        passwords[email] = password
        tokens[organisation] = live.login(email, password)
    return tokens, passwords


def _dataset(store_dir: Path) -> frozenset[str]:
    """Every quad of a closed store in RDFC-1.0 canonical form (isomorphism, blank nodes included)."""
    store = ox.Store.read_only(str(store_dir))
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return frozenset(str(q) for q in dataset)


def test_backup_while_writing_then_restore_holds_every_earlier_write_and_the_same_accounts(
    live: LiveRegistry, tmp_path: Path
) -> None:
    admin_password = secrets.token_urlsafe(12)
    live.create_admin(admin_password)
    live.start()
    tokens, passwords = _accounts(live, admin_password)
    workload = Workload(live, tokens, writers=3, seed=7)
    workload.start()
    time.sleep(3)
    with workload.ledger.lock:  # what was acknowledged before the backup began, as it stood then
        before = {i: (a.version, a.live, a.document) for i, a in workload.ledger.acked.items()}
    done = cli("backup", "--data-dir", str(live.data_dir), str(tmp_path / "backup"))
    time.sleep(1)
    workload.stop()
    assert done.returncode == 0, done.stderr
    assert "checkpoint by the running server" in done.stdout, done.stdout
    assert workload.ledger.acknowledged > len(before) > 0, "no writes ran during the backup"
    assert not workload.ledger.server_errors, workload.ledger.server_errors[:3]
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert not (tmp_path / "backup" / "store.snapshots").exists()

    restored = LiveRegistry(tmp_path / "restored", base_url=live.base_url, secret=live.secret)
    done = cli("restore", str(tmp_path / "backup"), "--data-dir", str(restored.data_dir))
    assert done.returncode == 0, done.stderr
    restored.start()
    try:
        ledger = Ledger(sent=workload.ledger.sent)
        for passport_id, (version, alive, document) in before.items():
            owner = workload.ledger.acked[passport_id].owner
            ledger.acked[passport_id] = Acked(document, version, "", owner, alive)
        ended = frozenset(i for i, a in workload.ledger.acked.items() if not a.live)
        # the tokens are still valid: same secret, same accounts
        checked = verify(restored, ledger, tokens, ended_later=ended)
        assert checked["acknowledged_passports"] == len(before)
        for email, password in passwords.items():
            restored.login(email, password)
        admin = restored.login(ADMIN_EMAIL, admin_password)
        users = httpx.get(f"{restored.url}/users?limit=200", headers=bearer(admin)).json()
        assert len(users["items"]) == manifest["accounts"] == len(passwords)
    finally:
        restored.stop()
    record(
        "backup_while_writing",
        {
            "writes_acknowledged_before_backup": len(before),
            "writes_acknowledged_during_run": workload.ledger.acknowledged,
            "passports_checked_after_restore": checked["stored_passports"],
            "accounts_restored": manifest["accounts"],
            "quads": manifest["quads"],
        },
    )


def test_backup_of_an_idle_server_and_of_a_killed_one_restore_to_isomorphic_datasets(
    live: LiveRegistry, tmp_path: Path
) -> None:
    admin_password = secrets.token_urlsafe(12)
    live.create_admin(admin_password)
    live.start()
    tokens, _ = _accounts(live, admin_password)
    workload = Workload(live, tokens, writers=2, seed=8)
    workload.start()
    time.sleep(2)
    workload.stop()
    socket_file = live.data_dir / "control.sock"
    assert stat.S_IMODE(socket_file.stat().st_mode) == 0o600, "other local users could ask for backups"
    online = cli("backup", "--data-dir", str(live.data_dir), str(tmp_path / "online"))
    assert online.returncode == 0 and "by the running server" in online.stdout, online.stderr
    live.kill()  # leaves its socket file behind: backup must see that nothing answers there
    assert socket_file.exists()
    offline = cli("backup", "--data-dir", str(live.data_dir), str(tmp_path / "offline"))
    assert offline.returncode == 0 and "no server running" in offline.stdout, offline.stderr
    original = _dataset(live.data_dir / "store")
    for name in ("online", "offline"):
        target = tmp_path / f"restored-{name}"
        done = cli("restore", str(tmp_path / name), "--data-dir", str(target))
        assert done.returncode == 0, done.stderr
        assert _dataset(target / "store") == original, name
        assert (target / "accounts" / "accounts.sqlite3").stat().st_size > 0

    # A backup whose store does not match its manifest is refused, and leaves the data directory empty.
    manifest = tmp_path / "offline" / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"quads": ', '"quads": 1'))
    done = cli("restore", str(tmp_path / "offline"), "--data-dir", str(tmp_path / "tampered"))
    assert done.returncode == 1 and "the backup's manifest" in done.stderr, done.stderr
    assert not any((tmp_path / "tampered").iterdir())


def test_restore_refuses_a_data_directory_in_use_and_a_directory_that_is_no_backup(tmp_path: Path) -> None:
    (tmp_path / "data" / "store").mkdir(parents=True)
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "manifest.json").write_text('{"format": 1, "quads": 0}')
    (tmp_path / "backup" / "store").mkdir()
    done = cli("restore", str(tmp_path / "backup"), "--data-dir", str(tmp_path / "data"))
    assert done.returncode == 1 and "restore into an empty data directory" in done.stderr, done.stderr
    done = cli("restore", str(tmp_path / "nothing"), "--data-dir", str(tmp_path / "empty"))
    assert done.returncode == 1 and "is not a backup" in done.stderr, done.stderr
    assert not (tmp_path / "empty" / "store").exists()


def test_backup_refuses_stores_that_are_backed_up_where_they_live_with_one_clear_line(tmp_path: Path) -> None:
    remote = {"PASSPORT_REGISTRY_STORE_URL": "http://127.0.0.1:7878"}
    done = cli("backup", "--data-dir", str(tmp_path), str(tmp_path / "out"), settings=remote)
    assert done.returncode == 2 and "back up that server" in done.stderr and "Traceback" not in done.stderr
    postgres = {"PASSPORT_REGISTRY_ACCOUNTS_URL": "postgresql://registry@db.internal/accounts"}
    done = cli("backup", "--data-dir", str(tmp_path), str(tmp_path / "out"), settings=postgres)
    assert done.returncode == 2 and "pg_dump" in done.stderr and "Traceback" not in done.stderr
    done = cli("backup", "--data-dir", str(tmp_path / "none"), str(tmp_path / "out"))
    assert done.returncode == 1 and "There is no passport store" in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()
