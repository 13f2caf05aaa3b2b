"""Writes of data requests: keyword-only, verb-first, one transaction each, permission-checked, recorded.

The office opens, reminds, reopens, accepts and closes (collection.datarequest has no rule in access/rules.py, so
only the office writes requests); a municipal editor saves and submits their own gmina's submission of an open
request (the "collection.submission" rule). A submission's values are written through
indicators.services.write_observations, in one batch naming the request, the gmina, the editor and the time,
in the same transaction as the submission's status: on any error nothing is written.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.collection import selectors
from obserwatorium.collection.cells import CellCheck, CellInput, Key, cell_label
from obserwatorium.collection.models import (
    DataRequest,
    RequestStatus,
    Submission,
    SubmissionStatus,
    SubmissionValue,
)
from obserwatorium.history.tracking import recording
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator
from obserwatorium.indicators.services import WriteOutcome, write_observations
from obserwatorium.notifications.mail import Letter, Recipient, compose
from obserwatorium.notifications.models import Kind
from obserwatorium.territory.models import Unit
from obserwatorium.vocabulary import is_year

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

logger = logging.getLogger(__name__)
MAX_YEARS = 10


def _account(user: Actor) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def open_request(*, title: str, note: str = "", indicators: Iterable[Indicator], periods: Iterable[int | str],
                 gminy: Iterable[Unit] | None = None, deadline: datetime.date, user: Actor,
                 via: str = "page", base_url: str = "") -> DataRequest:
    """Open a request to the gminy (by default every current member) with one draft submission per gmina; with
    a base_url, e-mail the gminy's editors once the request is stored."""
    rules.require_create(user, DataRequest)
    indicators, years = list(indicators), sorted({str(p).strip() for p in periods})
    units = list(gminy) if gminy is not None else list(Unit.objects.members().current())
    problems = {}
    if not title.strip():
        problems["title"] = _("A request needs a title.")
    if not indicators:
        problems["indicators"] = _("Choose at least one indicator.")
    if not years or len(years) > MAX_YEARS or not all(is_year(y) for y in years):
        problems["periods"] = _("Between one and %(count)d years, each a year 1900–2100.") % {"count": MAX_YEARS}
    if not units:
        problems["gminy"] = _("Choose at least one gmina.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic(), recording(user=user, via=via):
        request = DataRequest(title=title.strip(), note=note.strip(), periods=[int(y) for y in years],
                              deadline=deadline, created_by=_account(user))
        request.full_clean()
        request.save()
        request.indicators.set(indicators)
        request.gminy.set(units)
        Submission.objects.bulk_create([Submission(request=request, unit=unit) for unit in units])
        if base_url:
            transaction.on_commit(lambda: _announce(request, units, base_url))
    return request


def _editors_of(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active municipal editors with an e-mail address, by gmina."""
    editors: dict[int, list[User]] = {}
    assignments = RoleAssignment.objects.filter(role=Role.MUNICIPAL_EDITOR, unit__in=list(unit_ids),
                                                user__is_active=True).exclude(user__email="").select_related("user")
    for assignment in assignments:
        if assignment.unit_id is not None:
            editors.setdefault(assignment.unit_id, []).append(assignment.user)
    return editors


def _announce(request: DataRequest, units: list[Unit], base_url: str) -> int:
    """E-mail each gmina's editors that the request is open (a failing mail server does not undo the request)."""
    editors = _editors_of(unit.pk for unit in units)
    messages = []
    for unit in units:
        url = base_url.rstrip("/") + reverse("collection:grid", args=[request.pk, unit.teryt])
        people = [Recipient(email=editor.email, user=editor) for editor in editors.get(unit.pk, [])]

        def write(language: str, unit: Unit = unit, url: str = url) -> Letter:
            context = {"request": request, "unit": unit, "url": url}
            return Letter(subject=_("New data request: %(title)s") % {"title": request.title},
                          text=render_to_string("collection/request_opened.txt", context).strip())
        messages.extend(compose(kind=Kind.DATA_REQUEST, recipients=people, write=write, base_url=base_url))
    try:
        return (get_connection().send_messages(messages) or 0) if messages else 0
    except OSError:
        logger.exception("the new data request %s could not be e-mailed", request.pk)
        return 0


def _require_editable(submission: Submission, user: Actor) -> None:
    rules.require_write(user, submission)
    if not submission.request.is_open:
        raise ValidationError(_("The request is closed."))
    if not submission.editable:
        raise ValidationError(_("The submission was sent to the office; it can be changed once the office "
                                "reopens it."))


def _problems(indicators: dict[int, Indicator], checks: dict[Key, CellCheck], cells: dict[Key, CellInput],
              *, submitting: bool) -> list[str]:
    """Every problem of the grid, each naming its cell ("Row …, column …: …")."""
    problems = []
    for key, check in checks.items():
        cell = cells.get(key, CellInput())
        label = cell_label(indicators[key[0]], key[1])
        if check.error:
            problems.append(f"{label}: {check.error}.")
        elif submitting and check.value is None and not cell.no_data:
            problems.append(f"{label}: " + _("no value; enter one or tick \"no data\"."))
        elif submitting and check.warnings and not (cell.confirmed and cell.comment.strip()):
            problems.append(f"{label}: " + "; ".join(check.warnings) + ". "
                            + _("Confirm the value and say why in a comment."))
    return problems


def _store_cells(submission: Submission, checks: dict[Key, CellCheck], cells: dict[Key, CellInput]) -> None:
    SubmissionValue.objects.filter(submission=submission).delete()
    SubmissionValue.objects.bulk_create([
        SubmissionValue(submission=submission, indicator_id=key[0], period=key[1], text=cell.text.strip()[:60],
                        value=checks[key].value, no_data=cell.no_data, comment=cell.comment.strip(),
                        confirmed=cell.confirmed and bool(checks[key].warnings))
        for key, cell in cells.items()
        if key in checks and (cell.text.strip() or cell.no_data or cell.comment.strip())])


def _checked(submission: Submission, cells: dict[Key, CellInput], *, submitting: bool,
             language: str) -> dict[Key, CellCheck]:
    indicators = selectors.request_indicators(submission.request)
    checks = selectors.check_grid(submission=submission, indicators=indicators, cells=cells, language=language)
    problems = _problems({i.pk: i for i in indicators}, checks, cells, submitting=submitting)
    if problems:
        raise ValidationError(problems)
    return checks


def save_draft(*, submission: Submission, cells: dict[Key, CellInput], user: Actor, via: str = "page",
               language: str | None = None) -> Submission:
    """Keep the grid as typed (a partial one too); a cell that is not a number refuses the whole save."""
    _require_editable(submission, user)
    checks = _checked(submission, cells, submitting=False, language=language or translation.get_language() or "pl")
    with transaction.atomic(), recording(user=user, via=via):
        _store_cells(submission, checks, cells)
        submission.editor, submission.saved_at = _account(user), timezone.now()
        submission.save(update_fields=["editor", "saved_at"])
    return submission


def batch_source(submission: Submission) -> str:
    """The source every value of a submission carries (in Polish, the language of the stored batches' sources)."""
    with translation.override("pl"):
        return _("Data collection: %(title)s, %(gmina)s") % {"title": submission.request.title,
                                                             "gmina": submission.unit.name}


def submit_submission(*, submission: Submission, cells: dict[Key, CellInput], user: Actor, via: str = "page",
                      language: str | None = None) -> WriteOutcome:
    """Send the gmina's values: every cell a value or "no data", every unusual value confirmed with a comment;
    the values written through the one write path as one batch, with the submission, or nothing at all."""
    _require_editable(submission, user)
    checks = _checked(submission, cells, submitting=True, language=language or translation.get_language() or "pl")
    now = timezone.now()
    account = _account(user)
    rows = [ObservationRow(indicator_id=key[0], unit_id=submission.unit_id, period=key[1], value=check.value,
                           flag=Flag.FINAL) for key, check in checks.items() if check.value is not None]
    with transaction.atomic(), recording(user=user, via=via):
        _store_cells(submission, checks, cells)
        batch = ImportBatch(kind=BatchKind.REQUEST, source=batch_source(submission), retrieved_at=now,
                            metadata={"request": submission.request_id, "submission": submission.pk,
                                      "gmina": submission.unit.teryt,
                                      "editor": account.get_username() if account else "",
                                      "submitted_at": now.isoformat(),
                                      "no_data": sorted(f"{k[0]}/{k[1]}" for k, c in cells.items() if c.no_data)})
        outcome = write_observations(batch=batch, rows=rows, user=user)
        submission.status = SubmissionStatus.SUBMITTED
        submission.editor = submission.submitted_by = account
        submission.saved_at = submission.submitted_at = now
        submission.batch = outcome.batch
        submission.save(update_fields=["status", "editor", "submitted_by", "saved_at", "submitted_at", "batch"])
    return outcome


def _require_office(user: Actor, request: DataRequest) -> None:
    rules.require_write(user, request)  # no rule for requests: the office alone


def reopen_submission(*, submission: Submission, comment: str, user: Actor, via: str = "page") -> Submission:
    """Give a submitted (or accepted) submission back to its gmina, with the office's comment the editor sees."""
    _require_office(user, submission.request)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the gmina should check or change.")})
    if submission.status not in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
        raise ValidationError(_("Only a submitted submission can be reopened."))
    if not submission.request.is_open:
        raise ValidationError(_("The request is closed."))
    with transaction.atomic(), recording(user=user, via=via):
        submission.status, submission.reopen_comment = SubmissionStatus.REOPENED, comment.strip()
        submission.reopened_at = timezone.now()
        submission.save(update_fields=["status", "reopen_comment", "reopened_at"])
    return submission


def accept_submission(*, submission: Submission, user: Actor, via: str = "page") -> Submission:
    """Mark a submitted submission as checked by the office."""
    _require_office(user, submission.request)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted submission can be accepted."))
    with transaction.atomic(), recording(user=user, via=via):
        submission.status, submission.accepted_at = SubmissionStatus.ACCEPTED, timezone.now()
        submission.save(update_fields=["status", "accepted_at"])
    return submission


def close_request(*, request: DataRequest, user: Actor, via: str = "page") -> DataRequest:
    """Close the request: no gmina changes its submission any more (what was submitted stays written)."""
    _require_office(user, request)
    if not request.is_open:
        raise ValidationError(_("The request is already closed."))
    with transaction.atomic(), recording(user=user, via=via):
        request.status, request.closed_at = RequestStatus.CLOSED, timezone.now()
        request.save(update_fields=["status", "closed_at"])
    return request


def _reminder(request: DataRequest, submission: Submission, url: str) -> Callable[[str], Letter]:
    """The reminder's writer: subject and text in the language notifications.mail gives (the recipient's)."""
    def write(language: str) -> Letter:
        context = {"request": request, "submission": submission, "url": url}
        return Letter(subject=_("Reminder: %(title)s") % {"title": request.title},
                      text=render_to_string("collection/reminder.txt", context).strip())
    return write


@dataclass(frozen=True)
class Reminders:
    sent: int
    without_editor: list[str]  # gminy waiting that have no active editor with an e-mail address


def send_reminders(*, request: DataRequest, user: Actor, base_url: str, via: str = "page") -> Reminders:
    """E-mail the editors of every gmina that has not submitted yet (a draft or a reopened submission)."""
    _require_office(user, request)
    if not request.is_open:
        raise ValidationError(_("The request is closed."))
    waiting = list(request.submissions.select_related("unit").filter(
        status__in=(SubmissionStatus.DRAFT, SubmissionStatus.REOPENED)).order_by("unit__name"))
    editors = _editors_of(s.unit_id for s in waiting)
    messages: list[EmailMessage] = []
    for submission in waiting:
        url = base_url.rstrip("/") + reverse("collection:grid", args=[request.pk, submission.unit.teryt])
        people = [Recipient(email=editor.email, user=editor) for editor in editors.get(submission.unit_id, [])]
        messages.extend(compose(kind=Kind.REMINDER, recipients=people, write=_reminder(request, submission, url),
                                base_url=base_url))
    now = timezone.now()
    with transaction.atomic(), recording(user=user, via=via):
        request.reminded_at = now
        request.save(update_fields=["reminded_at"])
        for submission in waiting:
            if submission.unit_id in editors:
                submission.reminded_at = now
                submission.save(update_fields=["reminded_at"])
        sent = get_connection().send_messages(messages) if messages else 0
    return Reminders(sent=sent or 0, without_editor=[s.unit.name for s in waiting if s.unit_id not in editors])
