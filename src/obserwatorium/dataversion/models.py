"""The one data version: a counter every write of public data bumps, in the writing transaction."""

from __future__ import annotations

from django.db import models

SINGLETON_ID = 1


class DataVersion(models.Model):
    """One row (id 1): how many writes of public data have been committed, and when the last one was."""

    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()
    # The writes of what the pages' group figures are computed from (observations, the catalogue, units and
    # membership, derived indicators and groups): a news item or an event bumps `counter` only.
    figures_counter = models.BigIntegerField(default=0)
    figures_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self) -> str:
        return f"{self.counter} ({self.changed_at:%Y-%m-%d %H:%M:%S})"

    @property
    def token(self) -> str:
        """The version as clients see it: the counter and the time of the last change in microseconds, so a
        counter that goes back (a rolled-back test) never repeats an earlier token for other data. A restored
        backup brings its own row back, and with it the token of exactly the data it restores."""
        return f"{self.counter}.{int(self.changed_at.timestamp() * 1_000_000)}"

    @property
    def figures_token(self) -> str:
        """`token` of the writes the group figures are computed from (`dataversion.memo` keys them by it)."""
        changed = self.figures_changed_at or self.changed_at
        return f"{self.figures_counter}.{int(changed.timestamp() * 1_000_000)}"
