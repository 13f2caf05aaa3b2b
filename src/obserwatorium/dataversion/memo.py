"""Figures computed once per data version: what a page works out from every member's values (a metropolis
series, a headline, the sorted values a position is found among) is kept in Django's cache under the data version
it was computed at, so the next visitor of any page that shows it reads it back instead of computing it again.

Every write of what the figures are computed from (observations, the catalogue, units and membership, derived
indicators and groups: `tracking.FIGURE_APPS`) bumps the figures version, so such a write makes every kept figure
obsolete at once, while a news item or an event leaves them; the version's token holds the time of the bump, so
a rolled-back bump never names other data. What is kept
can always be computed again: a cache that is empty, cleared or unreachable (`shared_cache`) costs speed only.
`OBS_FIGURES_CACHE_SECONDS` bounds how long a figure is kept (0 computes every figure every time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponseBase

from obserwatorium.dataversion.selectors import data_version

KEY_PREFIX = "obs:memo:"
CACHE = "figures"  # the cache alias (settings.CACHES)
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class _Pin:
    token: str | None = None


_pinned: ContextVar[_Pin | None] = ContextVar("obs_memo_pin", default=None)


class PinnedVersionMiddleware:
    """Every figure of one request is read under one data version: the first figure reads it, the others reuse
    it. So a page's figures agree with each other even if a write lands while it is built, and a page of many
    figures reads the version once. A request that asks for no figure reads nothing. Only reads are pinned: a
    request that writes must name the version its own write made."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        reset = _pinned.set(_Pin())
        try:
            return self.get_response(request)
        finally:
            _pinned.reset(reset)


def _token() -> str:
    pin = _pinned.get()
    if pin is None:
        return data_version().figures_token
    if pin.token is None:
        pin.token = data_version().figures_token
    return pin.token


def _seconds() -> int:
    return int(settings.OBS_FIGURES_CACHE_SECONDS)


def digest(parts: Iterable[object]) -> str:
    """A short fixed-length name of what a figure depends on besides the data (ids, a rule, a language)."""
    return hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=12).hexdigest()


def key(kind: str, token: str, parts: Iterable[object]) -> str:
    return f"{KEY_PREFIX}{kind}:{token}:{digest(parts)}"


def remembered_many(kind: str, wanted: Mapping[K, tuple], compute: Callable[[list[K]], Mapping[K, T]]) -> dict[K, T]:
    """The figure of every key of `wanted` (whose value names what the figure depends on besides the data), read
    from the cache in one round trip under the current data version; `compute` is called once, with the keys not
    found, and its figures are kept. One read of the data version, whatever the number of figures."""
    if not wanted:
        return {}
    seconds = _seconds()
    if seconds <= 0:
        return dict(compute(list(wanted)))
    token = _token()
    names = {item: key(kind, token, parts) for item, parts in wanted.items()}
    cache = caches[CACHE]
    found = cache.get_many(list(names.values()))
    result: dict[K, T] = {item: found[name] for item, name in names.items() if name in found}
    missing = [item for item in wanted if item not in result]
    if missing:
        computed = compute(missing)
        cache.set_many({names[item]: computed[item] for item in missing if item in computed}, seconds)
        result.update({item: computed[item] for item in missing if item in computed})
    return result


def remembered(kind: str, parts: tuple, compute: Callable[[], T]) -> T:
    """One figure (see `remembered_many`)."""
    return remembered_many(kind, {0: parts}, lambda _missing: {0: compute()})[0]
