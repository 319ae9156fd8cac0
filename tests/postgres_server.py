"""Test helper: a PostgreSQL cluster of its own in a temporary directory, on a free loopback port.

Uses the server binaries of Debian's `postgresql` package (`/usr/lib/postgresql/<version>/bin`, the
newest) or `initdb` on PATH. PostgreSQL refuses to run as root, so when the tests run as root the
cluster belongs to the `postgres` user (or `nobody`). Tuned for tests, not for keeping data: no fsync.
Each test gets a schema of its own (`fresh_url`), which costs a millisecond where a database costs 0.3 s.
"""

from __future__ import annotations

import itertools
import os
import pwd
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from loopback import free_port

#: Set to 1 (CI does) to make a missing PostgreSQL a test failure rather than a skip.
REQUIRE_ENV = "PASSPORT_REGISTRY_TEST_REQUIRE_POSTGRES"
SUPERUSER = "registry"
DATABASE = "registry"


def postgres_bindir() -> Path | None:
    """The directory of `initdb`, `pg_ctl` and `postgres`, or None when PostgreSQL is not installed."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name)) or (0,)

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=version)
    if debian:
        return debian[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).resolve().parent if on_path else None


def _unprivileged_user() -> pwd.struct_passwd | None:
    """Whom to run the server as: None (ourselves) unless we are root, who may not run it."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and there is no postgres or nobody user to run PostgreSQL as")


class PostgresCluster:
    """initdb + pg_ctl start in a new temporary directory; `stop()` stops it and removes the directory."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="registry-pg-"))
        self._owner = _unprivileged_user()
        self._schemas = itertools.count(1)
        self.port = 0
        try:
            if self._owner is not None:
                os.chown(self.root, self._owner.pw_uid, self._owner.pw_gid)
            self._run("initdb", "-D", str(self.root / "data"), "-U", SUPERUSER, "--auth=trust",
                      "--encoding=UTF8", "--no-locale", "--no-sync")  # fmt: skip
            self._start()
            self.admin_sql(f"CREATE DATABASE {DATABASE}", database="postgres")
        except BaseException:
            self.stop()
            raise

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        owner = self._owner
        return subprocess.run(
            [str(self.bindir / program), *args],
            cwd=self.root,
            user=None if owner is None else owner.pw_uid,
            group=None if owner is None else owner.pw_gid,
            extra_groups=None if owner is None else [],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )

    def _start(self) -> None:
        for _ in range(5):  # another process may take the free port before the server binds it
            self.port = free_port()
            if self._pg_ctl_start():
                return
        log = (self.root / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"PostgreSQL did not start:\n{log}")

    def _pg_ctl_start(self) -> bool:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        try:
            self._run("pg_ctl", "-D", str(self.root / "data"), "-l", str(self.root / "server.log"),
                      "-w", "-t", "60", "-o", options, "start")  # fmt: skip
        except subprocess.CalledProcessError:
            return False
        return True

    def pause(self) -> None:
        """Stop the server (an outage); `resume()` starts it again on the same port with the same data."""
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        if not self._pg_ctl_start():
            raise RuntimeError(f"PostgreSQL did not start again on port {self.port}")

    def url(self, database: str = DATABASE, schema: str | None = None) -> str:
        """A URL of this cluster; with `schema`, sessions see (and create) tables only there."""
        url = f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"
        return url if schema is None else f"{url}?options=-csearch_path%3D{schema}"

    def admin_sql(self, statement: str, *, database: str = DATABASE) -> None:
        """Run one statement as the superuser, outside any transaction (CREATE DATABASE needs that)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement.encode())

    def fresh_url(self) -> str:
        """The URL of a new, empty schema of the test database: an account database of one's own."""
        schema = f"t{next(self._schemas)}"
        self.admin_sql(f"CREATE SCHEMA {schema}")
        return self.url(schema=schema)

    def stop(self) -> None:
        if (self.root / "data" / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
