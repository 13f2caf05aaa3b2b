"""Drafts and editions of reports.

A draft is the report of one kind, year and subject as it is being prepared: generated from today's data each
time it is shown, with the office's editorial paragraphs (per section, Polish and English) kept here. An edition
is a published draft frozen: its document as JSON and its PDF, per language, made when it was published and never
changed afterwards; a later edition of the same report supersedes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from obserwatorium.access import rules
from obserwatorium.history.models import Audience, TrackedModel
from obserwatorium.indicators.models import Domain

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

LANGUAGES = ("pl", "en")
EDITORIAL_LENGTH = 4000  # characters per language and section: a paragraph or a few, not a chapter


class FrozenRecord(PermissionDenied):
    """An edition, once published, is never changed nor deleted."""


class Draft(TrackedModel):
    """The report of one kind, year and subject ("" or a TERYT code) that the office prepares."""

    kind = models.CharField(_("report kind"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    subject = models.CharField(_("subject"), max_length=16, blank=True,
                               help_text=_("The TERYT code of the gmina for a card or annex; empty otherwise."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")
        ordering = ["kind", "-year", "subject"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "subject"], name="report_draft_once")]

    def __str__(self) -> str:
        return " ".join(part for part in (self.kind, str(self.year), self.subject) if part)

    def history_audience(self, user: Actor) -> Audience | None:
        return _staff_audience(user)


def _staff_audience(user: Actor) -> Audience | None:
    return "staff" if user.is_authenticated and (user.is_staff or rules.scope_of(user).any) else None


class Editorial(TrackedModel):
    """The office's paragraph at the top of one section of a draft, in Polish and English (blank lines part
    paragraphs). `domain` is the section's Strategy domain, when it is one: its coordinator may write it."""

    draft = models.ForeignKey(Draft, verbose_name=_("draft"), on_delete=models.CASCADE, related_name="editorials")
    section_key = models.CharField(_("section"), max_length=64)
    domain = models.ForeignKey(Domain, verbose_name=_("domain"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    text_pl = models.TextField(_("editorial text (Polish)"), blank=True, max_length=EDITORIAL_LENGTH,
                               validators=[MaxLengthValidator(EDITORIAL_LENGTH)])
    text_en = models.TextField(_("editorial text (English)"), blank=True, max_length=EDITORIAL_LENGTH,
                               validators=[MaxLengthValidator(EDITORIAL_LENGTH)])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("editorial paragraph")
        verbose_name_plural = _("editorial paragraphs")
        constraints = [models.UniqueConstraint(fields=["draft", "section_key"], name="report_editorial_once")]

    def __str__(self) -> str:
        return f"{self.draft} · {self.section_key}"

    def text(self, language: str) -> str:
        return self.text_pl if language == "pl" else self.text_en

    def history_audience(self, user: Actor) -> Audience | None:
        return _staff_audience(user)


class Edition(TrackedModel):
    """A published, frozen report: number N of its kind, year and subject, with who published it and when, the
    date its figures were read and the last change of the data before it; its documents hold JSON and PDF."""

    kind = models.CharField(_("report kind"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    subject = models.CharField(_("subject"), max_length=16, blank=True)
    number = models.PositiveIntegerField(_("edition"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    publisher_name = models.CharField(_("published by (name)"), max_length=150, blank=True,
                                      help_text=_("Kept as it was at publishing, even when the account goes."))
    data_date = models.DateField(_("figures read on"))
    data_changed_at = models.DateTimeField(_("last data change before publishing"), null=True, blank=True)
    supersedes = models.OneToOneField("self", verbose_name=_("supersedes"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")

    class Meta:
        verbose_name = _("report edition")
        verbose_name_plural = _("report editions")
        ordering = ["-published_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "year", "subject", "number"],
                                               name="report_edition_number_once")]

    def __str__(self) -> str:
        return " ".join(part for part in (self.kind, str(self.year), self.subject, f"#{self.number}") if part)

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise FrozenRecord(_("A published edition cannot be changed; publish a new edition instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenRecord(_("A published edition cannot be deleted."))

    def history_audience(self, user: Actor) -> Audience | None:
        return "staff" if _staff_audience(user) else "public"

    @property
    def successor(self) -> Edition | None:
        """The edition that superseded this one, if any."""
        try:
            return self.superseded_by
        except Edition.DoesNotExist:
            return None


class EditionDocument(models.Model):
    """One language of an edition: the report document (`Report.to_json`) and the PDF typeset when it was
    published. Stored in the database (not as files) so the edition and its files are written in one transaction
    and go into every backup; a PDF is a few hundred kilobytes."""

    edition = models.ForeignKey(Edition, verbose_name=_("edition"), on_delete=models.CASCADE,
                                related_name="documents")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("title"), max_length=300)
    report_json = models.TextField(_("report document (JSON)"))
    pdf = models.BinaryField(_("PDF"))
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64)

    class Meta:
        verbose_name = _("edition document")
        verbose_name_plural = _("edition documents")
        constraints = [models.UniqueConstraint(fields=["edition", "language"], name="report_edition_language_once")]

    def __str__(self) -> str:
        return f"{self.edition} ({self.language})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise FrozenRecord(_("A published edition cannot be changed; publish a new edition instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenRecord(_("A published edition cannot be deleted."))
