"""The shared cache (OBS_CACHE_URL): Django's Redis cache, this site's keys only, and no failed request while Redis
is down. The tests that need a running Redis skip, saying so, where none answers."""

from __future__ import annotations

import logging
import os
import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from obserwatorium import shared_cache
from obserwatorium.shared_cache import SharedRedisCache
from tests.conftest import _free_port

REDIS_URL = os.environ.get("OBS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def unreachable() -> str:
    shared_cache._unreachable_until = 0.0
    yield f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there once the probe's socket is closed
    shared_cache._unreachable_until = 0.0


@pytest.fixture
def redis_cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    shared_cache._unreachable_until = 0.0
    prefix = f"obs-test-{uuid.uuid4().hex[:12]}"
    cache = SharedRedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    other = SharedRedisCache(REDIS_URL, {"KEY_PREFIX": prefix + "-other-site"})
    yield cache, other
    cache.clear()
    other.clear()


def test_values_round_trip_through_redis(redis_cache):
    cache, _ = redis_cache
    cache.set("answer", ("application/json", b'{"items": []}'), 60)
    assert cache.get("answer") == ("application/json", b'{"items": []}')
    assert cache.get_many(["answer", "missing"]) == {"answer": ("application/json", b'{"items": []}')}
    assert cache.add("answer", "again") is False
    assert cache.delete("answer") is True and cache.get("answer") is None


def test_clear_deletes_this_sites_keys_only(redis_cache):
    cache, other = redis_cache
    cache.set_many({"a": 1, "b": 2})
    other.set("a", "kept")
    cache.clear()
    assert cache.get_many(["a", "b"]) == {}
    assert other.get("a") == "kept"


def test_while_redis_is_down_reads_miss_and_writes_are_dropped(unreachable, caplog):
    cache = SharedRedisCache(unreachable, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    with pytest.raises(RedisConnectionError):  # Django's own backend fails the caller
        RedisCache(unreachable, {}).get("key")
    with caplog.at_level(logging.WARNING, logger="obserwatorium.cache"):
        assert cache.get("key", "fallback") == "fallback"
        cache.set("key", "value")
        assert cache.add("key", "value") is False
        assert cache.get_many(["key"]) == {}
        assert cache.set_many({"key": 1}) == ["key"]
        assert cache.delete("key") is False
        assert cache.has_key("key") is False
        cache.clear()
    # One warning for the outage: after the first failure Redis is left alone for a while.
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == ["shared cache unreachable"]


def test_redis_is_tried_again_after_a_pause(unreachable, redis_cache, monkeypatch):
    cache, _ = redis_cache
    SharedRedisCache(unreachable, {}).get("key")  # the outage starts
    cache.set("key", "value")
    assert cache.get("key") is None  # not tried while the pause lasts
    monkeypatch.setattr(shared_cache, "_unreachable_until", 0.0)
    cache.set("key", "value")
    assert cache.get("key") == "value"


@pytest.mark.django_db
def test_the_api_answers_while_the_shared_cache_is_down(unreachable, settings, client):
    settings.CACHES = {"default": {"BACKEND": "obserwatorium.shared_cache.SharedRedisCache", "LOCATION": unreachable}}
    assert isinstance(caches["default"], SharedRedisCache)
    first = client.get("/api/cooperation/partners")
    again = client.get("/api/cooperation/partners")
    assert first.status_code == again.status_code == 200
    assert first["ETag"] == again["ETag"]  # the ETag comes from the database, not from the cache
