"""Writes of a meeting's workspace: its agenda, decisions and attendance, each through the registry's one write path
(`registry.services`: role-checked, validated, recorded in the history), all of one form in one transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction

from obserwatorium.access import rules
from obserwatorium.cooperation.meetings import AgendaItem, Attendance, Decision, next_decision_number
from obserwatorium.cooperation.models import Meeting
from obserwatorium.registry.services import delete_record, save_record

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


def save_agenda(*, meeting: Meeting, titles: Sequence[str], user: Actor, via: str = "page") -> list[AgendaItem]:
    """Make the meeting's agenda these items, in this order: item n takes the n-th title, surplus items go."""
    titles = [t.strip() for t in titles if t.strip()]
    with transaction.atomic():
        rules.require_write(user, meeting)
        stored = {item.position: item for item in meeting.agenda_items.all()}
        saved = []
        for position, title in enumerate(titles, 1):
            item = stored.pop(position, None) or AgendaItem(meeting=meeting, position=position)
            if item.pk is None or item.title != title:
                item = save_record(record=item, values={"title": title}, user=user, via=via)
            saved.append(item)
        for item in stored.values():
            delete_record(record=item, user=user, via=via)
    return saved


def add_decision(*, meeting: Meeting, values: Mapping[str, Any], user: Actor, via: str = "page") -> Decision:
    """Record a decision of the meeting under its next number."""
    with transaction.atomic():
        # The meeting row is locked (PostgreSQL) so that two secretaries never take the same number; on SQLite
        # the write lock serialises them and the unique constraint is the last guard.
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
        decision = Decision(meeting=meeting, number=next_decision_number(meeting.pk))
        return save_record(record=decision, values=values, user=user, via=via)


def save_decision(*, decision: Decision, values: Mapping[str, Any], user: Actor, via: str = "page") -> Decision:
    """Change a decision's text, link or follow-up (its number and meeting stay)."""
    return save_record(record=decision, values=values, user=user, via=via)


AttendanceKey = tuple[str, int]  # ("unit", gmina id) or ("partner", partner id)


def record_attendance(*, meeting: Meeting, marks: Mapping[AttendanceKey, str], user: Actor,
                      via: str = "page") -> int:
    """Set the attendance of each gmina and partner given ("" clears a mark); the number of records changed."""
    changed = 0
    with transaction.atomic():
        rules.require_write(user, meeting)
        stored = {(("unit", a.unit_id) if a.unit_id else ("partner", a.partner_id)): a
                  for a in meeting.attendance.all()}
        for (kind, pk), status in marks.items():
            record = stored.get((kind, pk))
            if record is None and status:
                save_record(record=Attendance(meeting=meeting, **{f"{kind}_id": pk}), values={"status": status},
                            user=user, via=via)
            elif record is not None and not status:
                delete_record(record=record, user=user, via=via)
            elif record is not None and record.status != status:
                save_record(record=record, values={"status": status}, user=user, via=via)
            else:
                continue
            changed += 1
    return changed
