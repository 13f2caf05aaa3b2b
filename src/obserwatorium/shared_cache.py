"""The cache the app servers share (OBS_CACHE_URL): Django's Redis cache that, while Redis cannot be reached,
answers as an empty cache instead of failing the request.

Everything the site keeps in the cache can be computed again (the API's encoded answers), so an outage of Redis
costs speed, never an answer. After a failure this process leaves Redis alone for a few seconds, so a Redis that
is down costs one timeout per few seconds rather than one per request; the outage is logged once each time.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger("obserwatorium.cache")
RETRY_SECONDS = 5.0
T = TypeVar("T")

_unreachable_until = 0.0  # for the whole process: every thread's client sees the same Redis


class SharedRedisCache(RedisCache):
    """RedisCache whose reads miss and whose writes are dropped while Redis is unreachable."""

    def _guarded(self, call: Callable[[], T], fallback: T) -> T:
        global _unreachable_until
        if time.monotonic() < _unreachable_until:
            return fallback
        try:
            return call()
        except RedisError as error:
            _unreachable_until = time.monotonic() + RETRY_SECONDS
            log.warning("shared cache unreachable (%s): answering without it for %.0f s", error, RETRY_SECONDS)
            return fallback

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded(partial(super().get, key, default, version), default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guarded(partial(super().get_many, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(partial(super().has_key, key, version), False)

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded(partial(super().add, key, value, timeout, version), False)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guarded(partial(super().set, key, value, timeout, version), None)

    def set_many(self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT,
                 version: int | None = None) -> list[Any]:
        return self._guarded(partial(super().set_many, data, timeout, version), list(data))

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded(partial(super().touch, key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(partial(super().delete, key, version), False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guarded(partial(super().delete_many, keys, version), None)

    def clear(self) -> None:
        """Delete this site's keys only: Django's own clear empties the whole Redis database, other sites' too."""
        def delete_own_keys() -> None:
            client = self._cache.get_client(write=True)  # type: ignore[attr-defined]  # not in django-stubs
            pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix) + ":*"  # the prefix taken literally
            for batch in _batches(client.scan_iter(match=pattern, count=1000), 1000):
                client.delete(*batch)

        self._guarded(delete_own_keys, None)


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
