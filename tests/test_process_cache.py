"""The cache in each process's memory is bounded by the bytes it holds, the least recently read going first."""

from __future__ import annotations

import itertools
import pickle

from django.conf import settings
from django.core.cache import caches
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.process_cache import SizedLocMemCache

_names = itertools.count()


def _cache(max_bytes: int) -> SizedLocMemCache:
    return SizedLocMemCache(f"test-sized-{next(_names)}", {"OPTIONS": {"MAX_BYTES": max_bytes}})


def _size(value: object) -> int:
    return len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def test_the_least_recently_read_goes_first_when_the_bytes_are_full():
    cache = _cache(3 * _size(b"x" * 300) + 10)
    for key in "abc":
        cache.set(key, b"x" * 300)
    assert cache.get("a") == b"x" * 300  # read: now the most recent
    cache.set("d", b"x" * 300)
    assert cache.get("b") is None
    assert [cache.get(key) is not None for key in "acd"] == [True, True, True]
    assert cache.held_bytes == 3 * _size(b"x" * 300)


def test_a_value_set_again_is_counted_once():
    cache = _cache(10_000)
    for length in (100, 500, 200):
        cache.set("a", b"y" * length)
    assert cache.held_bytes == _size(b"y" * 200)
    cache.delete("a")
    assert cache.held_bytes == 0


def test_a_value_larger_than_the_bound_is_not_kept_and_pushes_nothing_out():
    cache = _cache(1_000)
    cache.set("small", b"s" * 100)
    cache.set("huge", b"h" * 2_000)
    assert cache.get("huge") is None
    assert cache.get("small") == b"s" * 100
    assert cache.held_bytes == _size(b"s" * 100)


def test_clear_and_incr_keep_the_count():
    cache = _cache(10_000)
    cache.set("n", 1)
    assert cache.incr("n", 5) == 6
    assert cache.get("n") == 6
    assert cache.held_bytes == _size(6)
    cache.clear()
    assert cache.held_bytes == 0
    assert cache.get("n") is None


@given(st.lists(st.tuples(st.sampled_from(["set", "get", "delete"]), st.integers(0, 7), st.integers(0, 400)),
                max_size=60))
def test_the_bytes_held_are_those_of_the_stored_values_and_never_over_the_bound(operations):
    bound = 1_200
    cache = _cache(bound)
    for action, key, length in operations:
        if action == "set":
            cache.set(str(key), b"v" * length)
            if _size(b"v" * length) <= bound:
                assert cache.get(str(key)) == b"v" * length  # what was just set is kept if it fits at all
        elif action == "get":
            found = cache.get(str(key))
            assert found is None or set(found) <= {ord("v")}
        else:
            cache.delete(str(key))
        assert cache.held_bytes == sum(len(value) for value in cache._cache.values()) <= bound


def test_the_api_cache_keeps_a_thousand_answers_where_a_count_of_300_kept_fewer():
    """The national catalogue's answers overflowed Django's 300 entries before they were asked again."""
    cache = caches["default"]
    assert settings.CACHES["default"]["OPTIONS"]["MAX_BYTES"] == settings_mb("OBS_API_CACHE_MB") << 20
    for number in range(1_000):
        cache.set(f"answer-{number}", b"{}" * 500)
    assert all(cache.get(f"answer-{number}") is not None for number in range(1_000))
    assert caches["figures"]._max_bytes == settings_mb("OBS_FIGURES_CACHE_MB") << 20


def settings_mb(name: str) -> int:
    from obserwatorium import config

    return config.number(name)
