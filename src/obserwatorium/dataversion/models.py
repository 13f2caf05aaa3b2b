"""The data version: a counter every write of public data bumps, in the writing transaction; and the figures
versions, which say what the pages' kept group figures were computed from."""

from __future__ import annotations

from django.db import models

SINGLETON_ID = 1
# The scope of the writes every figure depends on (units and membership, the catalogue, derived definitions and
# groups); any other scope is an indicator's id (indicator ids start at 1).
EVERY_FIGURE = 0


class DataVersion(models.Model):
    """One row (id 1): how many writes of public data have been committed, and when the last one was."""

    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

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


class FiguresVersion(models.Model):
    """One slot of the version of one scope of the pages' group figures (`dataversion.memo`): an indicator's
    observations (`scope` its id), or what every figure depends on (`EVERY_FIGURE`).

    A write bumps one slot of each scope it changes, in its own transaction. A scope may have several slots: on
    PostgreSQL a writer takes a slot no other transaction holds (SKIP LOCKED) and adds one when all are held, so
    writers of one indicator never wait for each other and no bump is left for after a commit. The scope's
    version is all its slots (ids, counters, times): every committed bump changes it, and a rolled-back one,
    whose time is never written again, names no other data."""

    scope = models.BigIntegerField(db_index=True)  # not a key: this app sits below the others and knows no model
    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "figures version"

    def __str__(self) -> str:
        return f"{self.scope}#{self.pk}: {self.counter}"
