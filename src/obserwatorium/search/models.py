"""The search index: one entry per public record of every searched kind, its text folded (case and Polish
diacritics ignored) for the engine's full-text index (SQLite FTS5, PostgreSQL `simple` configuration)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=24)
    object_id = models.PositiveBigIntegerField(_("record"))
    title_pl = models.CharField(_("title (Polish)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    summary_pl = models.CharField(_("summary (Polish)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    url = models.CharField(_("address"), max_length=500)
    folded = models.TextField(_("searched text"))
    # A record published ahead of its time (a news article due later) is found from then on.
    visible_from = models.DateTimeField(_("found from"), null=True, blank=True)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title_pl}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "pl")[:2] == "en" and self.title_en else self.title_pl

    @property
    def summary(self) -> str:
        return self.summary_en if (get_language() or "pl")[:2] == "en" and self.summary_en else self.summary_pl
