"""Writes of drafts and editions: keyword-only, one transaction each, permission-checked, recorded in the history.

Office staff publish; office staff write every editorial paragraph, a domain coordinator those of their domain's
section (access/rules.py, "reports.editorial"). A draft is stored with its first editorial paragraph, under that
paragraph's permission (it holds nothing else).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.history.tracking import recording
from obserwatorium.indicators.models import Domain
from obserwatorium.reports import kinds, selectors
from obserwatorium.reports.models import LANGUAGES, Draft, Edition, EditionDocument, Editorial
from obserwatorium.reports.render_pdf import render_pdf

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

SECTION_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def _account(user: Actor) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def _clean_text(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n"))


def save_editorial(*, kind: str, year: int, subject: str = "", section_key: str, text_pl: str, text_en: str,
                   user: Actor, via: str = "page") -> Editorial:
    """Write the editorial paragraph of one section of a draft (both languages; empty text removes none of the
    history, it only leaves the section without editorial text)."""
    kinds.kind(kind)
    if not SECTION_KEY.match(section_key):
        raise ValidationError({"section_key": _("Not a section of this report: %(key)s.") % {"key": section_key}})
    with transaction.atomic(), recording(user=user, via=via):
        draft = selectors.draft(kind=kind, year=year, subject=subject) or Draft(kind=kind, year=year,
                                                                                  subject=subject)
        editorial = Editorial.objects.filter(draft=draft, section_key=section_key).first() if draft.pk else None
        if editorial is None:
            rules.require_create(user, Editorial)
            editorial = Editorial(section_key=section_key, domain=Domain.objects.filter(code=section_key).first())
        rules.require_write(user, editorial)
        editorial.text_pl, editorial.text_en = _clean_text(text_pl), _clean_text(text_en)
        editorial.updated_by = _account(user)
        rules.require_write(user, editorial)
        editorial.full_clean(exclude=["draft"])
        if draft.pk is None:
            draft.full_clean()
            draft.save()
        editorial.draft = draft
        editorial.save()
    return editorial


class DataChanged(ValidationError):
    """The data changed while an edition was being typeset; nothing was published."""


def publish_edition(*, kind: str, year: int, subject: str = "", user: Actor, via: str = "page",
                    today: datetime.date | None = None) -> Edition:
    """Publish the draft as the next edition: its document and PDF in every language, frozen; the previous
    edition, if any, is superseded by it."""
    rules.require_create(user, Edition)
    stamp = selectors.data_stamp()
    # Typeset before the write transaction (seconds of work) so the write lock is held only to store the result;
    # the stamp check below refuses an edition whose languages could have read different data.
    reports = {language: selectors.draft_report(kind=kind, year=year, subject=subject, language=language,
                                                today=today) for language in LANGUAGES}
    pdfs = {language: render_pdf(report) for language, report in reports.items()}
    with transaction.atomic(), recording(user=user, via=via):
        rules.require_create(user, Edition)
        if selectors.data_stamp() != stamp:
            raise DataChanged(_("The data changed while the edition was being prepared; nothing was published. "
                                "Publish again."))
        previous = selectors.editions_of(kind=kind, year=year, subject=subject).select_for_update().first()
        account = _account(user)
        name = (account.get_full_name() or account.get_username()) if account else ""
        edition = Edition(kind=kind, year=year, subject=subject, number=previous.number + 1 if previous else 1,
                          published_at=timezone.now(), publisher_name=name, supersedes=previous, published_by=account,
                          data_date=datetime.date.fromisoformat(reports["pl"].date), data_changed_at=stamp.changed_at)
        edition.full_clean(exclude=["supersedes"])
        edition.save()
        for language, report in reports.items():
            EditionDocument.objects.create(edition=edition, language=language, title=report.title,
                                           report_json=report.to_json(), pdf=pdfs[language],
                                           pdf_sha256=hashlib.sha256(pdfs[language]).hexdigest())
    return edition
