"""Writes of the cooperation registries: meetings from the page form, project results fed to indicators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.cooperation.forms import MeetingForm
from obserwatorium.cooperation.models import Meeting, ProjectResult
from obserwatorium.events.feeds import CalendarEntry
from obserwatorium.history.tracking import recording
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch
from obserwatorium.indicators.services import WriteOutcome, write_observations
from obserwatorium.registry.services import save_record

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


def save_meeting_form(*, request: HttpRequest, meeting: Meeting) -> tuple[MeetingForm, Meeting | None]:
    """Validate the posted meeting form and save it through the role-checked write; (form, saved or None)."""
    if request.method != "POST":
        return MeetingForm(instance=meeting), None
    form = MeetingForm(request.POST, instance=meeting)
    if not form.is_valid():
        return form, None
    values = {name: form.cleaned_data[name] for name in form.Meta.fields}
    saved = save_record(record=meeting, values={**values, "forum": meeting.forum_id}, user=request.user, via="page")
    return form, saved


def agenda_text(meeting: Meeting) -> str:
    """The agenda as numbered lines (a calendar entry's description, an invitation's text)."""
    return "\n".join(f"{item.position}. {item.title}" for item in meeting.agenda_items.all())


def meeting_entries(meetings: Iterable[Meeting], *, base: str) -> list[CalendarEntry]:
    """Meetings as iCalendar entries, each with a stable id and a link to its page."""
    entries = []
    for meeting in meetings:
        location = meeting.place or ("online" if meeting.online else "")
        entries.append(CalendarEntry(
            uid=f"meeting-{meeting.pk}@obserwatorium", summary=meeting.forum.name, starts_at=meeting.starts_at,
            ends_at=meeting.ends_at, location=location, description=agenda_text(meeting),
            url=f"{base}/forums/meetings/{meeting.pk}/", updated_at=meeting.updated_at))
    return entries


def feed_result_to_indicator(*, result: ProjectResult, user: Actor) -> WriteOutcome | None:
    """Write the result's values given for a territorial unit to the indicator it feeds, as one upload batch.

    Approximate values are flagged as estimated. Values for the project as a whole (no unit) are not written.
    """
    if result.indicator_id is None:
        return None
    values = list(result.values.filter(unit__isnull=False).select_related("source"))
    if not values:
        return None
    with transaction.atomic(), recording(user=user, via="api"):
        rules.require_write(user, result)
        allowed = set(rules.units_editable_for_observations(user).values_list("pk", flat=True))
        if any(v.unit_id not in allowed for v in values):
            raise PermissionDenied(_("You may not write observations of every unit of this result."))
        sources = sorted({v.source.title for v in values if v.source})
        batch = ImportBatch(
            kind=BatchKind.PROJECT, file_name=f"project-result-{result.pk}",
            source=f"{result.project.name}: {result.name_pl}" + (f" ({'; '.join(sources)})" if sources else ""),
            metadata={"project": result.project.slug, "result": result.pk})
        rows = [ObservationRow(result.indicator_id, v.unit_id, str(v.year), v.value,
                               Flag.ESTIMATED if v.approximate else Flag.FINAL)
                for v in values if v.unit_id is not None]  # all of them: filtered above
        return write_observations(batch=batch, rows=rows, user=user)
