"""A PostgreSQL primary and its streaming replica (pg_basebackup -R), each its own cluster in a temporary folder
on free ports, for tests that run the site against both. Every statement each server runs is logged with the
client's application_name, so a test sees from outside the site which server answered which client.

The PostgreSQL binaries refuse to run as root: as root they run as the `postgres` user (runuser).
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from tests.conftest import _free_port as free_port

# A logged statement, after the '%a|' prefix: simple or extended query protocol.
STATEMENT = re.compile(r"LOG:  (?:statement|execute [^:]*): (.*)")


def postgres_binaries() -> Path:
    """The folder of initdb, pg_ctl and pg_basebackup of the newest PostgreSQL installed (skips without one)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.skip("the PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb) are not installed")
    return Path(found[-1]).parent


@dataclass
class Server:
    """One running cluster: where it listens and the log of every statement it ran."""

    data: Path
    port: int
    log: Path
    _read_up_to: int = field(default=0)

    def url(self, database: str, application: str = "") -> str:
        query = f"?application_name={application}" if application else ""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}{query}"

    def query(self, sql: str, params: tuple = (), database: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.url(database, "test"), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def mark(self) -> None:
        """Forget the statements logged so far: `statements` returns those logged from now on."""
        self._read_up_to = self.log.stat().st_size

    def statements(self, application: str) -> list[str]:
        """The statements the clients named `application` ran since the last mark (log_line_prefix '%a|')."""
        with self.log.open("rb") as stream:
            stream.seek(self._read_up_to)
            text = stream.read().decode("utf-8", "replace")
        found = (STATEMENT.match(line.removeprefix(f"{application}|")) for line in text.splitlines()
                 if line.startswith(f"{application}|"))
        return [match.group(1) for match in found if match]


class Clusters:
    """A primary and one streaming replica; `stop` ends both and removes their folder."""

    def __init__(self) -> None:
        self.bin = postgres_binaries()
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                pytest.skip("running as root, and there is no `postgres` user to run the PostgreSQL binaries as")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        # In /tmp itself when the binaries run as `postgres`: it must reach the folder, whatever TMPDIR says.
        self.root = Path(tempfile.mkdtemp(prefix="obs-replica-", dir="/tmp" if self.as_postgres else None))
        if self.as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self.running: list[Server] = []

    def _run(self, *command: str) -> None:
        result = subprocess.run([*self.as_postgres, *command], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    def _start(self, server: Server) -> Server:
        self._run(str(self.bin / "pg_ctl"), "-D", str(server.data), "-l", str(server.log), "-w", "-t", "60", "start")
        self.running.append(server)
        return server

    def start_primary(self) -> Server:
        server = Server(self.root / "primary", free_port(), self.root / "primary.log")
        self._run(str(self.bin / "initdb"), "-D", str(server.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")
        with (server.data / "postgresql.conf").open("a") as conf:
            conf.write(f"""
listen_addresses = '127.0.0.1'
port = {server.port}
unix_socket_directories = '{self.root}'
wal_level = replica
max_wal_senders = 4
fsync = off
shared_buffers = 16MB
log_statement = 'all'
log_line_prefix = '%a|'
""")
        with (server.data / "pg_hba.conf").open("a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")
        return self._start(server)

    def start_replica(self, primary: Server, *, port: int = 0) -> Server:
        """A streaming replica of the primary: pg_basebackup -R writes standby.signal and primary_conninfo."""
        server = Server(self.root / "replica", port or free_port(), self.root / "replica.log")
        self._run(str(self.bin / "pg_basebackup"),
                  "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D", str(server.data),
                  "-R", "-X", "stream", "-c", "fast", "--no-sync")
        with (server.data / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"port = {server.port}\nhot_standby = on\n")
        return self._start(server)

    def stop(self) -> None:
        for server in reversed(self.running):
            subprocess.run([*self.as_postgres, str(self.bin / "pg_ctl"), "-D", str(server.data), "-m", "fast",
                            "-w", "stop"], capture_output=True, timeout=60)
        self.running.clear()
        shutil.rmtree(self.root, ignore_errors=True)


def wait_for_replay(primary: Server, replica: Server, timeout: float = 30) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    (lsn,), = primary.query("SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while not replica.query("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s::pg_lsn) >= 0", (lsn,))[0][0]:
        if time.monotonic() > deadline:
            raise AssertionError(f"the replica did not replay up to {lsn} within {timeout} s")
        time.sleep(0.05)


def pause_replay(replica: Server) -> None:
    replica.query("SELECT pg_wal_replay_pause()")
    deadline = time.monotonic() + 30
    while replica.query("SELECT pg_get_wal_replay_pause_state()")[0][0] != "paused":
        if time.monotonic() > deadline:
            raise AssertionError("the replica's replay did not pause")
        time.sleep(0.05)


def resume_replay(replica: Server) -> None:
    replica.query("SELECT pg_wal_replay_resume()")
