"""The site on a real PostgreSQL primary and streaming replica, served by two app workers sharing Redis.

Each statement the servers run is logged with the worker's application_name, so what answered what is seen from
outside the site: public reads on the replica, writes on the primary, and the author of a write reading the
primary at once, while the replica's replay is paused and the public does not see the write yet.

It needs no test database of the suite (the workers are subprocesses with their own clusters); it runs in the
suite's SQLite run only, as it would be the same test in the PostgreSQL run.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.conf import settings

from obserwatorium.api.caching import KEY_PREFIX as API_CACHE_KEY_PREFIX
from obserwatorium.api.caching import wire_key
from tests.streaming_replica import Clusters, Server, free_port, pause_replay, resume_replay, wait_for_replay

REDIS_URL = os.environ.get("OBS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DATABASE = "obs"
OFFICE_USER, OFFICE_PASSWORD = "office", "replica-test-password-2026"
PARTNERS = "/api/cooperation/partners"

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="runs once per suite, in its SQLite run: it starts its own PostgreSQL clusters either way")


def redis_reachable() -> str:
    """'' when Redis answers at REDIS_URL, else why not."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis is not reachable at {REDIS_URL}: {error}"
    return ""


@dataclass
class Site:
    primary: Server
    replica: Server
    workers: dict[str, str]  # application name -> base URL
    cache_prefix: str
    redis_problem: str


def _site_environment(primary: Server, replica: Server, data: Path, cache_prefix: str, redis_problem: str,
                      application: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("OBS_", "DJANGO_"))}
    env.update(OBS_DATA_DIR=str(data), OBS_SECRET_KEY="test-only-secret-key-not-for-production",
               OBS_DATABASE_URL=primary.url(DATABASE, application),
               OBS_DATABASE_REPLICA_URLS=replica.url(DATABASE, application),
               PYTHONPATH=os.pathsep.join(sys.path))
    if not redis_problem:
        env.update(OBS_CACHE_URL=REDIS_URL, OBS_CACHE_KEY_PREFIX=cache_prefix)
    return env


def _start_worker(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "obserwatorium.cli", "serve", "--host", "127.0.0.1",
                                "--port", str(port)], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def _wait_until_serving(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            # The first answer builds the schema: seconds on a loaded machine, and a client that gives up
            # early only queues another request behind it.
            httpx.get(url + "/api/openapi.json", timeout=30)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the worker did not start:\n{log.read_text()}") from None
            time.sleep(0.2)


def _create_office_user(primary: Server) -> None:
    """A superuser, written straight into the primary (a management command would start Django once more)."""
    from django.contrib.auth.hashers import make_password

    primary.query("INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, "
                  "is_active, date_joined) VALUES (%s, true, %s, '', '', 'office@example.pl', true, true, now())",
                  (make_password(OFFICE_PASSWORD), OFFICE_USER), database=DATABASE)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    started = time.monotonic()
    clusters = Clusters()
    processes: list[subprocess.Popen] = []
    cache_prefix = f"obs-test-{uuid.uuid4().hex[:12]}"
    redis_problem = redis_reachable()
    try:
        primary = clusters.start_primary()
        primary.query(f"CREATE DATABASE {DATABASE}")
        replica_address = Server(clusters.root / "replica", free_port(), clusters.root / "replica.log")
        data = clusters.root / "site"
        # The schema is written while the replica is made: it reaches the replica by streaming.
        migrate_log = clusters.root / "migrate.log"
        migrate = subprocess.Popen(
            [sys.executable, "-m", "obserwatorium.cli", "migrate", "--noinput", "-v", "0"],
            env=_site_environment(primary, replica_address, data, cache_prefix, redis_problem, "setup"),
            stdout=migrate_log.open("w"), stderr=subprocess.STDOUT)
        processes.append(migrate)
        replica = clusters.start_replica(primary, port=replica_address.port)
        assert migrate.wait(timeout=300) == 0, migrate_log.read_text()
        _create_office_user(primary)
        workers = {}
        for application in ("worker-a", "worker-b"):
            log = clusters.root / f"{application}.log"
            process, url = _start_worker(
                _site_environment(primary, replica, data, cache_prefix, redis_problem, application), log)
            processes.append(process)
            workers[application] = url
        for process, (application, url) in zip(processes[1:], workers.items(), strict=True):
            _wait_until_serving(process, url, clusters.root / f"{application}.log")
        wait_for_replay(primary, replica)
        print(f"\nprimary, replica and two workers ready in {time.monotonic() - started:.1f} s")
        yield Site(primary, replica, workers, cache_prefix, redis_problem)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        clusters.stop()
        if not redis_problem:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{cache_prefix}:*"))
            if keys:
                client.delete(*keys)
        print(f"\nreplica test: {time.monotonic() - started:.1f} s from the first initdb to the last stop")


def _names(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def _signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    client.get("/sign-in/")
    answer = client.post("/sign-in/", data={"username": OFFICE_USER, "password": OFFICE_PASSWORD,
                                            "csrfmiddlewaretoken": client.cookies["csrftoken"]})
    assert answer.status_code == 302, answer.text
    return client


def _touching(statements: list[str], table: str) -> list[str]:
    return [s for s in statements if f'"{table}"' in s]


def test_a_public_read_is_answered_by_the_replica(site):
    site.primary.mark()
    site.replica.mark()

    response = httpx.get(site.workers["worker-a"] + PARTNERS)

    assert response.status_code == 200, response.text
    replica_reads = site.replica.statements("worker-a")
    assert _touching(replica_reads, "cooperation_partner"), replica_reads
    assert _touching(replica_reads, "dataversion_dataversion"), "the data version of the cache key: the replica's"
    assert site.primary.statements("worker-a") == []


def test_the_public_search_reads_its_index_on_the_replica(site):
    site.primary.mark()
    site.replica.mark()

    response = httpx.get(site.workers["worker-b"] + "/search/", params={"q": "partner"})

    assert response.status_code == 200
    index_sql = [s for s in site.replica.statements("worker-b") if "to_tsquery" in s]
    assert len(index_sql) == 2, "the index's own SQL (counts and ranking) runs on the replica too"
    assert site.primary.statements("worker-b") == []


def test_the_author_reads_the_primary_at_once_while_the_replica_lags(site):
    author = _signed_in(site.workers["worker-a"])
    assert "obs_primary" in author.cookies  # signing in is a POST, and it wrote (the session)
    wait_for_replay(site.primary, site.replica)
    pause_replay(site.replica)
    try:
        site.primary.mark()
        site.replica.mark()
        # The write on the other worker: the session and the mark of the write travel with the browser.
        author.base_url = httpx.URL(site.workers["worker-b"])
        created = author.post(PARTNERS, content=json.dumps({"name": "Partner written while the replica lags"}),
                              headers={"Content-Type": "application/json",
                                       "X-CSRFToken": author.cookies["csrftoken"]})
        assert created.status_code == 201, created.text
        assert "obs_primary" in created.cookies
        assert any(s.startswith("INSERT") for s in
                   _touching(site.primary.statements("worker-b"), "cooperation_partner"))
        assert site.replica.statements("worker-b") == []  # the whole write request read the primary

        site.primary.mark()
        site.replica.mark()
        author.base_url = httpx.URL(site.workers["worker-a"])
        assert "Partner written while the replica lags" in _names(author.get(PARTNERS))
        assert _touching(site.primary.statements("worker-a"), "cooperation_partner")
        assert site.replica.statements("worker-a") == []

        # The mark of the write alone, without the session, sends the reads to the primary too.
        site.primary.mark()
        site.replica.mark()
        mark = {"obs_primary": created.cookies["obs_primary"]}
        assert "Partner written while the replica lags" in _names(
            httpx.get(site.workers["worker-a"] + PARTNERS, cookies=mark))
        assert _touching(site.primary.statements("worker-a"), "cooperation_partner")
        assert site.replica.statements("worker-a") == []

        for url in site.workers.values():  # the public reads the replica, which has not replayed the write yet
            assert "Partner written while the replica lags" not in _names(httpx.get(url + PARTNERS))
        forged = httpx.get(site.workers["worker-a"] + PARTNERS, cookies={"obs_primary": "1:forged:signature"})
        assert "Partner written while the replica lags" not in _names(forged)
    finally:
        resume_replay(site.replica)
    wait_for_replay(site.primary, site.replica)
    for url in site.workers.values():
        assert "Partner written while the replica lags" in _names(httpx.get(url + PARTNERS))


def test_the_workers_share_the_api_cache_through_redis(site):
    if site.redis_problem:
        pytest.skip(site.redis_problem)
    from obserwatorium.shared_cache import SharedRedisCache

    shared = SharedRedisCache(REDIS_URL, {"KEY_PREFIX": site.cache_prefix})
    # Behind a load balancer every worker sees the site's one public name; bodies as they are, to compare.
    host = {"Host": "127.0.0.1", "Accept-Encoding": "identity"}
    first = httpx.get(site.workers["worker-a"] + PARTNERS, headers=host)
    etag = first.headers["ETag"]
    assert httpx.get(site.workers["worker-b"] + PARTNERS, headers=host).headers["ETag"] == etag
    key = API_CACHE_KEY_PREFIX + re.fullmatch(r'W/"(.+)"', etag).group(1)
    assert shared.get(key) == ("application/json; charset=utf-8", first.content)
    wire = wire_key(etag, "identity")
    headers, body = shared.get(wire)
    assert body == first.content and ("ETag", etag) in headers

    # A finished answer planted in Redis under its key is what the other worker sends: it reads the shared store.
    shared.set(wire, (headers, b'{"items": [], "count": -1}'), 60)
    second = httpx.get(site.workers["worker-b"] + PARTNERS, headers=host)
    assert second.json() == {"items": [], "count": -1}
    assert second.headers["ETag"] == etag
    # So is an encoded body, for a request whose finished answer is not stored yet (another coding).
    shared.set(key, ("application/json; charset=utf-8", b'{"items": [], "count": -2}'), 60)
    third = httpx.get(site.workers["worker-b"] + PARTNERS, headers={**host, "Accept-Encoding": "gzip"})
    assert third.json() == {"items": [], "count": -2} and third.headers["ETag"] == etag
