"""Client-side limiter for the published BDL request limits, with an injectable clock so tests never sleep."""

from __future__ import annotations

import json
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from obserwatorium.ingest.bdl.errors import BdlRateLimited


class Clock(Protocol):
    def time(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """Wall-clock time (comparable across processes, so the quota file survives restarts)."""

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass(frozen=True)
class Limit:
    requests: int
    seconds: float
    label: str


# Published by Statistics Poland for the BDL API (https://api.stat.gov.pl/Home/BdlApi).
ANONYMOUS_LIMITS = (
    Limit(5, 1, "5 per second"), Limit(100, 15 * 60, "100 per 15 minutes"),
    Limit(1000, 12 * 3600, "1,000 per 12 hours"),
)
REGISTERED_LIMITS = (
    Limit(10, 1, "10 per second"), Limit(500, 15 * 60, "500 per 15 minutes"),
    Limit(5000, 12 * 3600, "5,000 per 12 hours"),
)

WaitHook = Callable[[float, Limit], None]


class RateLimiter:
    """Sliding windows over the times of past requests; waits when a window is full, refuses long waits."""

    def __init__(self, limits: tuple[Limit, ...], *, clock: Clock | None = None, max_wait: float = 15 * 60,
                 state_file: Path | None = None, on_wait: WaitHook | None = None) -> None:
        self.limits = limits
        self.clock = clock or SystemClock()
        self.max_wait = max_wait
        self.state_file = state_file
        self.on_wait = on_wait
        self._stamps: deque[float] = deque(self._load())

    @classmethod
    def for_client(cls, *, registered: bool, **kwargs) -> RateLimiter:
        """The limiter for an anonymous client or one registered with an API key."""
        return cls(REGISTERED_LIMITS if registered else ANONYMOUS_LIMITS, **kwargs)

    @property
    def horizon(self) -> float:
        return max(limit.seconds for limit in self.limits)

    def wait_needed(self) -> tuple[float, Limit | None]:
        """Seconds until a request is allowed by every window, and the limit that imposes the wait."""
        now = self.clock.time()
        while self._stamps and self._stamps[0] <= now - self.horizon:
            self._stamps.popleft()
        longest, binding = 0.0, None
        for limit in self.limits:
            recent = [stamp for stamp in self._stamps if stamp > now - limit.seconds]
            if len(recent) >= limit.requests:
                # The window frees a slot when its oldest surplus request leaves it.
                wait = recent[len(recent) - limit.requests] + limit.seconds - now
                if wait > longest:
                    longest, binding = wait, limit
        return longest, binding

    def acquire(self) -> None:
        """Take one request slot, sleeping (on the injected clock) when a window is full."""
        wait, limit = self.wait_needed()
        if limit is not None and wait > self.max_wait:
            resume = datetime.fromtimestamp(self.clock.time() + wait).strftime("%Y-%m-%d %H:%M")
            raise BdlRateLimited(
                f"The BDL request limit ({limit.label}) is used up; requests are possible again after {resume}. "
                "Run the same command again then: the sync continues where it stopped."
            )
        if limit is not None and wait > 0:
            if self.on_wait is not None:
                self.on_wait(wait, limit)
            self.clock.sleep(wait)
        self._stamps.append(self.clock.time())
        self._save()

    def _load(self) -> list[float]:
        if self.state_file is None or not self.state_file.exists():
            return []
        try:
            stamps = json.loads(self.state_file.read_text())
            return sorted(float(s) for s in stamps)
        except (ValueError, TypeError):
            return []  # A damaged quota file only loses the memory of past requests.

    def _save(self) -> None:
        if self.state_file is None:
            return
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(list(self._stamps)))
        os.replace(temporary, self.state_file)
