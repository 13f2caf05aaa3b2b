"""Writes of the strategy registry: progress of actions, one at a time or from a CSV file (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.history.tracking import recording
from obserwatorium.registry.services import save_record
from obserwatorium.strategy.models import Action
from obserwatorium.strategy.progress_csv import Problem, ProgressRow, parse_progress_csv, status_aliases

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


def update_action_progress(*, action: Action, progress: int | None, status: str | None = None, user: Actor,
                           via: str = "page") -> Action:
    """Set one action's progress (and status), if the user may; validated and recorded."""
    values: dict = {"progress": progress}
    if status:
        values["status"] = status
    return save_record(record=action, values=values, user=user, via=via)


@dataclass
class ProgressReport:
    """What a bulk progress update found and did; `refused` when a row is not the user's to change."""

    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    applied: bool = False
    refused: bool = False
    problems: list[Problem] = field(default_factory=list)
    changes: list[tuple[str, int | None, int | None, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_rows(rows: list[ProgressRow], user: Actor, report: ProgressReport) -> list[tuple[ProgressRow, Action]]:
    actions = {a.code: a for a in Action.objects.current().select_related("plan").filter(
        code__in=[r.code for r in rows])}
    checked = []
    for row in rows:
        action = actions.get(row.code)
        if action is None:
            report.problems.append(Problem(row.line, "code", _("No action has the code %(code)s.")
                                           % {"code": row.code}))
            continue
        if not rules.may_write(user, action):
            report.refused = True
            report.problems.append(Problem(row.line, "code", _("You may not change the action %(code)s.")
                                           % {"code": row.code}))
            continue
        new_progress = action.progress if row.progress is None else row.progress
        new_status = row.status or action.status
        report.changes.append((action.code, action.progress, new_progress, action.status, new_status))
        action.progress, action.status = new_progress, new_status
        try:
            action.full_clean(exclude=["partners", "indicators", "targets"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = name if name in ("progress", "status") else "progress"
                report.problems.extend(Problem(row.line, column, message) for message in messages)
            continue
        checked.append((row, action))
    return checked


def update_progress_from_csv(*, content: bytes, user: Actor, dry_run: bool = False,
                             via: str = "bulk") -> ProgressReport:
    """Update the progress of many actions from a CSV file (code;progress[;status]): every row is valid and
    the user's to change, or nothing is written; the report names each problem by row and column."""
    parsed = parse_progress_csv(content, statuses=status_aliases())
    report = ProgressReport(rows=len(parsed.rows), problems=list(parsed.problems))
    checked = _check_rows(parsed.rows, user, report)
    if report.problems:
        report.changes.clear()
        return report
    stored = {a.pk: (a.progress, a.status) for a in Action.objects.filter(pk__in=[a.pk for _, a in checked])}
    to_save = [a for _, a in checked if stored[a.pk] != (a.progress, a.status)]
    report.changed, report.unchanged = len(to_save), len(checked) - len(to_save)
    if dry_run:
        return report
    with transaction.atomic(), recording(user=user, via=via):
        for action in to_save:
            rules.require_write(user, action)
            action.save(update_fields=["progress", "status", "updated_at"])
    report.applied = True
    return report
