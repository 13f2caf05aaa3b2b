"""Figures computed once per figures version: what a page works out from every member's values (a metropolis
series, a headline, the sorted values a position is found among) is kept in Django's cache under the versions
of what it was computed from, so the next visitor of any page that shows it reads it back instead of computing
it again.

Each figure names the indicators whose observations it reads (`reads`; none named: every indicator). Its key
holds the version of each of them and the version of what every figure depends on (`models.FiguresVersion`).
An import of one indicator's values bumps that indicator's version (`services.bump_data_version(indicators=…)`,
from the one write path of observations), so only the figures that read it are computed again; a write of units,
membership, the catalogue or derived definitions (`tracking.FIGURE_APPS`) bumps every figure's, while a news item
or an event leaves them. A version holds the time of each bump, so a rolled-back bump never names other data.
What is kept can always be computed again: a cache that is empty, cleared or unreachable (`shared_cache`) costs
speed only. `OBS_FIGURES_CACHE_SECONDS` bounds how long a figure is kept (0 computes every figure every time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponseBase

from obserwatorium.dataversion.models import EVERY_FIGURE
from obserwatorium.dataversion.selectors import Slots, figures_versions

KEY_PREFIX = "obs:memo:"
CACHE = "figures"  # the cache alias (settings.CACHES)
K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class _Pin:
    versions: Versions | None = None


_pinned: ContextVar[_Pin | None] = ContextVar("obs_memo_pin", default=None)


class PinnedVersionMiddleware:
    """Every figure of one request is read under one reading of the figures versions: the first figure reads
    them, the others reuse them. So a page's figures agree with each other even if a write lands while it is
    built, and a page of many figures reads the versions once (one statement, whatever the indicators). A
    request that asks for no figure reads nothing. Only reads are pinned: a request that writes must name the
    versions its own write made."""

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


class Versions:
    """The figures versions read at one moment, as the parts of the figures' keys."""

    def __init__(self, slots: dict[int, Slots]) -> None:
        self.slots = slots
        self.every = slots.get(EVERY_FIGURE, ())
        self._everything: str | None = None

    def of(self, indicator_ids: Iterable[int] | None) -> tuple:
        """The versions a figure that reads these indicators' observations depends on (None: every indicator)."""
        if indicator_ids is None:
            if self._everything is None:
                self._everything = digest(sorted(self.slots.items()))
            return (self._everything,)
        return tuple((pk, self.slots.get(pk, ())) for pk in sorted(set(indicator_ids)))


def _versions() -> Versions:
    pin = _pinned.get()
    if pin is None:
        return Versions(figures_versions())
    if pin.versions is None:
        pin.versions = Versions(figures_versions())
    return pin.versions


def _seconds() -> int:
    return int(settings.OBS_FIGURES_CACHE_SECONDS)


def digest(parts: Iterable[object]) -> str:
    """A short fixed-length name of what a figure depends on besides the data (ids, a rule, a language)."""
    return hashlib.blake2b(repr(tuple(parts)).encode(), digest_size=12).hexdigest()


def key(kind: str, versions: tuple, parts: Iterable[object]) -> str:
    return f"{KEY_PREFIX}{kind}:{digest((versions, *parts))}"


def remembered_many(kind: str, wanted: Mapping[K, tuple], compute: Callable[[list[K]], Mapping[K, T]], *,
                    reads: Callable[[K], Iterable[int]] | None = None) -> dict[K, T]:
    """The figure of every key of `wanted` (whose value names what the figure depends on besides the data), read
    from the cache in one round trip under the current figures versions; `compute` is called once, with the keys
    not found, and its figures are kept. `reads`: the ids of the indicators whose observations each key's figure
    is computed from (None: every indicator's, so any write of values computes it again). One read of the
    versions, whatever the number of figures."""
    if not wanted:
        return {}
    seconds = _seconds()
    if seconds <= 0:
        return dict(compute(list(wanted)))
    versions = _versions()
    names = {item: key(kind, (versions.every, versions.of(reads(item) if reads is not None else None)), parts)
             for item, parts in wanted.items()}
    cache = caches[CACHE]
    found = cache.get_many(list(names.values()))
    result: dict[K, T] = {item: found[name] for item, name in names.items() if name in found}
    missing = [item for item in wanted if item not in result]
    if missing:
        computed = compute(missing)
        cache.set_many({names[item]: computed[item] for item in missing if item in computed}, seconds)
        result.update({item: computed[item] for item in missing if item in computed})
    return result


def remembered(kind: str, parts: tuple, compute: Callable[[], T], *, reads: Iterable[int] | None = None) -> T:
    """One figure (see `remembered_many`)."""
    chosen = None if reads is None else tuple(reads)
    return remembered_many(kind, {0: parts}, lambda _missing: {0: compute()},
                           reads=None if chosen is None else (lambda _item: chosen))[0]
