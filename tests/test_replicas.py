"""The database router and its middleware: reads on a replica, writes and the recent writer on the primary.

No replica is needed here: the router only names aliases. tests/test_replicas_streaming.py runs the same code on
a real primary and streaming replica.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import RequestFactory

from obserwatorium.replicas import COOKIE, PRIMARY, ReplicaMiddleware, ReplicaRouter, WriteWatch, reading_from

router = ReplicaRouter()


@pytest.fixture(autouse=True)
def one_replica(settings):
    settings.OBS_REPLICA_DATABASES = ("replica1",)
    settings.OBS_REPLICA_LAG_SECONDS = 10


def serve(request, view=None):
    """Run the request through the middleware; return the response and the aliases the view read and wrote."""
    seen = {}

    def get_response(request):
        seen["read"] = router.db_for_read(object)
        seen["write"] = router.db_for_write(object)
        if view is not None:
            view()
        return HttpResponse("ok")

    response = ReplicaMiddleware(get_response)(request)
    return response, seen


def test_a_public_read_goes_to_a_replica_and_a_write_to_the_primary():
    response, seen = serve(RequestFactory().get("/indicators/"))
    assert seen == {"read": "replica1", "write": PRIMARY}
    assert COOKIE not in response.cookies


def test_every_replica_takes_reads(settings):
    settings.OBS_REPLICA_DATABASES = ("replica1", "replica2")
    assert {serve(RequestFactory().get("/"))[1]["read"] for _ in range(60)} == {"replica1", "replica2"}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_an_unsafe_request_reads_the_primary_and_marks_its_author(method):
    response, seen = serve(getattr(RequestFactory(), method)("/api/cooperation/partners"))
    assert seen["read"] == PRIMARY
    cookie = response.cookies[COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_the_author_of_a_write_reads_the_primary_until_the_mark_expires(monkeypatch):
    written, _ = serve(RequestFactory().post("/news/new/"))
    request = RequestFactory().get("/news/")
    request.COOKIES[COOKIE] = written.cookies[COOKIE].value
    assert serve(request)[1]["read"] == PRIMARY

    later = time.time() + 11
    monkeypatch.setattr(time, "time", lambda: later)
    assert serve(request)[1]["read"] == "replica1"


def test_a_signed_in_users_requests_read_the_primary(settings):
    request = RequestFactory().get("/my/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "any-session-key"
    assert serve(request)[1]["read"] == PRIMARY


@pytest.mark.parametrize("forged", ["1", "1:forged:signature", ""])
def test_a_forged_or_altered_mark_is_ignored(forged):
    request = RequestFactory().get("/news/")
    request.COOKIES[COOKIE] = forged
    assert serve(request)[1]["read"] == "replica1"


def test_a_mark_signed_for_another_purpose_is_ignored():
    request = RequestFactory().get("/news/")
    other = HttpResponse()
    other.set_signed_cookie(COOKIE, "1", salt="another purpose")
    request.COOKIES[COOKIE] = other.cookies[COOKIE].value
    assert serve(request)[1]["read"] == "replica1"


def test_reads_inside_a_transaction_on_the_primary_stay_there(monkeypatch):
    def inside_a_transaction():
        monkeypatch.setattr(connections[PRIMARY], "in_atomic_block", True)
        assert router.db_for_read(object) == PRIMARY

    response, seen = serve(RequestFactory().get("/"), inside_a_transaction)
    assert seen["read"] == "replica1"


def test_outside_a_request_every_read_goes_to_the_primary():
    assert reading_from() == PRIMARY
    assert router.db_for_read(object) == PRIMARY
    serve(RequestFactory().get("/"))
    assert reading_from() == PRIMARY  # the request's choice ends with it


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate(PRIMARY, "indicators")
    assert not router.allow_migrate("replica1", "indicators")


@pytest.mark.parametrize(("sql", "writes"), [
    ('INSERT INTO "news_article" ...', True), ('UPDATE "django_session" SET ...', True),
    ('\n DELETE FROM "x"', True), ('(SELECT 1) UNION (SELECT 2)', False), ('SELECT ... FOR UPDATE NOWAIT', False),
    ("SAVEPOINT s1", False), ("", False),
])
def test_the_watch_tells_writes_from_reads(sql, writes):
    watch = WriteWatch()
    assert watch(lambda *args: "result", sql, None, False, {}) == "result"
    assert watch.wrote is writes


@pytest.mark.django_db
def test_a_safe_request_that_writes_marks_its_author_and_one_that_reads_does_not():
    def write():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE dataversion_dataversion SET counter = counter WHERE id = 0")

    def read():
        with connection.cursor() as cursor:
            cursor.execute("SELECT counter FROM dataversion_dataversion")

    assert COOKIE in serve(RequestFactory().get("/"), write)[0].cookies
    assert COOKIE not in serve(RequestFactory().get("/"), read)[0].cookies


def _settings_of(tmp_path, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OBS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    script = ("import json; from django.conf import settings as s; print(json.dumps({'databases': s.DATABASES, "
              "'routers': s.DATABASE_ROUTERS, 'middleware': s.MIDDLEWARE, 'caches': s.CACHES}, default=str))")
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**clean, "OBS_DATA_DIR": str(tmp_path), "OBS_SECRET_KEY": "test-only-secret-key",
                               "DJANGO_SETTINGS_MODULE": "obserwatorium.settings", **env})


def test_replica_urls_and_the_cache_url_configure_the_databases_the_router_and_the_cache(tmp_path):
    result = _settings_of(
        tmp_path, OBS_DATABASE_URL="postgres://obs@db1:5432/obs",
        OBS_DATABASE_REPLICA_URLS="postgres://obs@db2:5432/obs, postgres://obs@db3:5432/obs",
        OBS_CACHE_URL="redis://cache:6379/1", OBS_CACHE_KEY_PREFIX="obs-krakow")
    found = json.loads(result.stdout or result.stderr)
    assert [found["databases"][a]["HOST"] for a in ("default", "replica1", "replica2")] == ["db1", "db2", "db3"]
    assert found["databases"]["replica2"]["TEST"] == {"MIRROR": "default"}
    assert "lock_timeout" in found["databases"]["replica1"]["OPTIONS"]["options"]
    assert found["routers"] == ["obserwatorium.replicas.ReplicaRouter"]
    middleware = found["middleware"]
    assert middleware.index("obserwatorium.replicas.ReplicaMiddleware") \
        < middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert found["caches"]["default"] | {"OPTIONS": None} == {
        "BACKEND": "obserwatorium.shared_cache.SharedRedisCache", "LOCATION": "redis://cache:6379/1",
        "KEY_PREFIX": "obs-krakow", "OPTIONS": None}


def test_without_replicas_or_a_cache_url_nothing_changes(tmp_path):
    found = json.loads(_settings_of(tmp_path).stdout)
    assert list(found["databases"]) == ["default"]
    assert found["routers"] == []
    assert "obserwatorium.replicas.ReplicaMiddleware" not in found["middleware"]
    assert found["caches"]["default"]["BACKEND"] == "obserwatorium.process_cache.SizedLocMemCache"  # in-process


@pytest.mark.parametrize(("env", "message"), [
    ({"OBS_DATABASE_REPLICA_URLS": "postgres://obs@db2:5432/obs"}, "OBS_DATABASE_REPLICA_URLS needs PostgreSQL"),
    ({"OBS_CACHE_URL": "memcached://cache:11211"}, "OBS_CACHE_URL must be a Redis URL"),
])
def test_a_replica_without_postgresql_or_a_cache_url_not_of_redis_is_refused(tmp_path, env, message):
    result = _settings_of(tmp_path, **env)
    assert result.returncode != 0 and message in result.stderr
