"""The cache in each process's memory when no shared cache is set: Django's local-memory cache, bounded by the
bytes it holds rather than by a count of entries.

Django's own bounds it at 300 entries (`MAX_ENTRIES`) whatever they weigh. The API keeps whole encoded answers
there: at the national catalogue one year of all gminy is 291 KB of JSON and 40 KB of brotli, and 200 such
questions, each kept as a body and as a finished answer per encoding, already overflow 300 entries, so answers were
pushed out before anyone asked for them again. A bound in bytes keeps many small answers and a known number of
large ones, and holds the process's memory to a figure the operator sets (`OBS_PROCESS_CACHE_MB`).

When full, the least recently read entries go first, one at a time, until the new one fits; an entry larger than
the whole bound is not kept. The size counted is that of the stored (pickled) value, which is what the process
holds; the keys and the bookkeeping are a few hundred bytes more per entry.
"""

from __future__ import annotations

import pickle
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache

# Bytes held per cache name, as Django's local-memory cache keeps its entries per name for the whole process.
_held: dict[str, list[int]] = {}


class SizedLocMemCache(LocMemCache):
    """LocMemCache whose entries together hold at most OPTIONS["MAX_BYTES"] bytes (pickled)."""

    # Django's own attributes and helpers, which its type stubs leave out.
    _cache: OrderedDict[str, bytes]
    _expire_info: dict[str, float | None]
    _lock: Lock
    _has_expired: Callable[[str], bool]

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self._max_bytes = int(options.pop("MAX_BYTES", 64 << 20))
        options.setdefault("MAX_ENTRIES", 1_000_000)  # the bytes bound the store; entries only as a backstop
        super().__init__(name, {**params, "OPTIONS": options})
        self._bytes = _held.setdefault(name, [0])

    @property
    def held_bytes(self) -> int:
        """Bytes the stored values take now."""
        return self._bytes[0]

    def _set(self, key: str, value: bytes, timeout: Any = DEFAULT_TIMEOUT) -> None:
        self._delete(key)
        if len(value) > self._max_bytes:
            return  # it would push out everything else and still not fit
        while self._cache and self._bytes[0] + len(value) > self._max_bytes:
            self._drop_oldest()
        super()._set(key, value, timeout)  # type: ignore[misc]
        self._bytes[0] += len(value)

    def _drop_oldest(self) -> None:
        old_key, old_value = self._cache.popitem()  # the last is the least recently read or written
        self._expire_info.pop(old_key, None)
        self._bytes[0] -= len(old_value)

    def _cull(self) -> None:
        if self._cull_frequency == 0:
            self._cache.clear()
            self._expire_info.clear()
            self._bytes[0] = 0
            return
        for _ in range(len(self._cache) // self._cull_frequency):
            self._drop_oldest()

    def _delete(self, key: str) -> bool:
        value = self._cache.get(key)
        if not super()._delete(key):  # type: ignore[misc]
            return False
        self._bytes[0] -= len(value) if value is not None else 0
        return True

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(self._cache[key]) + delta
            expiry = self._expire_info[key]
            self._set(key, pickle.dumps(value, self.pickle_protocol))
            if key in self._cache:
                self._expire_info[key] = expiry  # as Django's: a change of the value keeps its expiry
        return value

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._bytes[0] = 0

