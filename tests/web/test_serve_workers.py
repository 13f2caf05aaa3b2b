"""`obserwatorium serve --workers 2`: two processes answer on one port, a worker that dies is replaced, SIGTERM
stops them all, and the request body limit still holds in a worker."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import _test_database_url, start_site
from tests.web.test_request_limit import _served_answer


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Whether the process runs (a zombie, ended but not yet reaped by its new parent, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_for(condition, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
    return result


@pytest.fixture(scope="module")
def workers_site(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[tuple]:
    """The site served by two worker processes, on the test database."""
    with django_db_blocker.unblock():
        database_url = _test_database_url()
    folder = tmp_path_factory.mktemp("workers")
    env = {**os.environ, "OBS_DATABASE_URL": database_url, "OBS_DEBUG": "0"}
    process, url = start_site(env, folder, "--workers", "2", "--threads", "2")
    yield process, url, folder / "server.log"
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def test_two_worker_processes_answer_on_one_port(workers_site):
    process, url, log = workers_site
    workers = wait_for(lambda: len(children(process.pid)) == 2 and children(process.pid))
    # Each worker answers alone while the other is stopped: both accept on the port the master bound.
    for paused in workers:
        os.kill(paused, signal.SIGSTOP)
        try:
            assert all(httpx.get(url + "/", timeout=10).status_code == 200 for _ in range(3))
        finally:
            os.kill(paused, signal.SIGCONT)
    text = log.read_text()
    assert "2 worker processes" in text and url in text
    assert all(f"(pid {pid})" in text for pid in workers)


def test_a_worker_keeps_its_sqlite_database_open_between_requests(workers_site):
    """Opening a SQLite connection (its pragmas, the WAL files made and removed again when the last connection
    closes) cost more than a stored API answer itself: workers keep their connections (CONN_MAX_AGE)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite connections only: PostgreSQL's have been kept since the start")
    process, url, _ = workers_site
    database = Path(connection.settings_dict["NAME"]).resolve()
    workers = wait_for(lambda: len(children(process.pid)) == 2 and children(process.pid))
    with httpx.Client() as http:  # several requests, so both workers' threads get some
        for _ in range(12):
            assert http.get(url + "/api/domains", headers={"Connection": "close"}, timeout=10).status_code == 200

    def holders() -> set[int]:
        found = set()
        for pid in workers:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    if Path(os.readlink(fd)) == database:
                        found.add(pid)
                except OSError:
                    continue
        return found

    assert holders(), "no worker holds the database open after its requests"


def test_the_body_limit_holds_in_a_worker(workers_site):
    _, url, _ = workers_site
    head = (f"POST /api/strategy/actions/progress HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\n"
            f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {2 * 1024**3}\r\n\r\n")
    answer, _ = _served_answer(url, head)
    assert answer.startswith(b"HTTP/1.1 413") and b"larger than" in answer


def test_a_killed_worker_is_replaced(workers_site):
    process, url, _ = workers_site
    before = wait_for(lambda: len(children(process.pid)) == 2 and children(process.pid))
    killed = min(before)
    os.kill(killed, signal.SIGKILL)
    after = wait_for(lambda: len(now := children(process.pid)) == 2 and killed not in now and now)
    assert len(after - before) == 1
    assert httpx.get(url + "/", timeout=10).status_code == 200


def test_sigterm_stops_every_worker_and_the_master_exits_cleanly(workers_site):
    process, url, log = workers_site
    workers = children(process.pid)
    assert workers
    address = urlsplit(url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as begun:
        begun.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # a request not yet complete
        time.sleep(1)
        process.send_signal(signal.SIGTERM)
        time.sleep(2.5)  # longer than a turn of the worker's loop (1 s): it has seen the signal
        begun.sendall(b"Connection: close\r\n\r\n")
        answer = b""
        while data := begun.recv(65536):
            answer += data
    assert answer.startswith(b"HTTP/1.1 200")  # the worker finished the request it had begun
    assert process.wait(timeout=30) == 0
    assert not any(alive(pid) for pid in workers)
    assert log.read_text().rstrip().endswith("stopped")


def test_no_worker_outlives_a_master_killed_outright(django_db_setup, django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        database_url = _test_database_url()
    env = {**os.environ, "OBS_DATABASE_URL": database_url, "OBS_DEBUG": "0"}
    process, _ = start_site(env, tmp_path, "--workers", "2", "--threads", "1")
    workers = wait_for(lambda: len(children(process.pid)) == 2 and children(process.pid))
    process.kill()
    process.wait(timeout=10)
    wait_for(lambda: not any(alive(pid) for pid in workers))


def test_the_startup_objects_are_frozen_before_the_workers_are_forked(monkeypatch):
    """A full garbage collection in a worker then skips the application's start-up objects (#15)."""
    import gc

    from django.core.management import call_command

    from obserwatorium.web.management.commands import serve

    seen: list[int] = []

    class Recorder:
        def __init__(self, **kwargs):
            pass

        def run(self):
            seen.append(gc.get_freeze_count())

    monkeypatch.setattr(serve, "Master", Recorder)
    listening = socket.create_server(("127.0.0.1", 0))
    monkeypatch.setattr(serve, "bind_sockets", lambda **where: [listening])
    gc.unfreeze()
    try:
        call_command("serve", "--workers", "2", "--port", "0")
    finally:
        gc.unfreeze()
        listening.close()
    assert seen and seen[0] > 10_000
