"""The report of one feed import: what was created, updated, withdrawn, left unchanged or rejected, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from obserwatorium.events.feed_problems import Problem

IMPORTED, REFUSED = "imported", "refused"
COUNTS = ("created", "updated", "withdrawn", "unchanged", "rejected")


@dataclass
class FeedReport:
    source: str
    started_at: datetime
    status: str = IMPORTED
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    problems: list[Problem] = field(default_factory=list)  # any problem: nothing was changed
    notices: list[Problem] = field(default_factory=list)  # said, nothing refused

    @property
    def changed_nothing(self) -> bool:
        return self.status == REFUSED

    def refuse(self, problem: Problem) -> None:
        """Nothing of the feed is written; the counts say what the feed held, not what was done."""
        self.status = REFUSED
        self.problems.insert(0, problem)
        for key in ("created", "updated", "withdrawn", "unchanged"):
            self.counts[key] = 0

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "started_at": self.started_at.isoformat(), "status": self.status,
                "counts": self.counts, "problems": [p.as_json() for p in self.problems],
                "notices": [p.as_json() for p in self.notices]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeedReport:
        return cls(source=data.get("source", ""), started_at=datetime.fromisoformat(data["started_at"]),
                   status=data.get("status", IMPORTED), counts={**dict.fromkeys(COUNTS, 0), **data.get("counts", {})},
                   problems=[Problem.from_json(p) for p in data.get("problems", [])],
                   notices=[Problem.from_json(p) for p in data.get("notices", [])])

    def summary(self) -> str:
        """One line for the command's output (English, like the other commands)."""
        counts = ", ".join(f"{self.counts[key]} {key}" for key in COUNTS)
        return f"{self.status}: {counts}"
