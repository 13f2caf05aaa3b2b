"""Recurring events: RRULE expanded in Europe/Warsaw wall time (18:00 stays 18:00 across both DST changes),
exception dates, bounded expansion, and a clear field error for a bad rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.events.recurrence import MAX_OCCURRENCES, WARSAW, normalise_rule, occurrence_starts

START = datetime(2026, 10, 13, 18, 0, tzinfo=WARSAW)  # a Tuesday, summer time (UTC+2)


def _starts(rule: str, *, start: datetime = START, exdates: list[str] | None = None, days: int = 400):
    return list(occurrence_starts(starts_at=start, rule=rule, exdates=exdates or [], window_start=start,
                                  window_end=start + timedelta(days=days)))


def test_weekly_at_six_stays_at_six_across_the_october_change():
    found = _starts("FREQ=WEEKLY;BYDAY=TU;COUNT=3")
    assert [o.strftime("%Y-%m-%d %H:%M") for o in found] == ["2026-10-13 18:00", "2026-10-20 18:00",
                                                             "2026-10-27 18:00"]
    # Summer time ends on Sunday 25 October 2026: the wall time stays, the UTC offset changes.
    assert [o.utcoffset() for o in found] == [timedelta(hours=2), timedelta(hours=2), timedelta(hours=1)]
    assert [o.astimezone(WARSAW).hour for o in found] == [18, 18, 18]
    assert found[2].astimezone(UTC) - found[1].astimezone(UTC) == timedelta(days=7, hours=1)  # an hour longer


def test_weekly_at_six_stays_at_six_across_the_march_change():
    start = datetime(2027, 3, 16, 18, 0, tzinfo=WARSAW)  # winter time (UTC+1); summer time from 28 March 2027
    found = _starts("FREQ=WEEKLY;COUNT=3", start=start)
    assert [(o.day, o.hour, o.utcoffset()) for o in found] == [
        (16, 18, timedelta(hours=1)), (23, 18, timedelta(hours=1)), (30, 18, timedelta(hours=2))]
    assert found[2].astimezone(WARSAW).isoformat() == "2027-03-30T18:00:00+02:00"


def test_exception_dates_and_until_in_utc_as_rfc_5545_gives_it():
    found = _starts("FREQ=WEEKLY;UNTIL=20261103T170000Z", exdates=["2026-10-20T18:00"])
    assert [o.date().isoformat() for o in found] == ["2026-10-13", "2026-10-27", "2026-11-03"]


def test_expansion_is_bounded_by_the_window_and_a_cap():
    assert len(_starts("FREQ=DAILY", days=30)) == 30
    assert len(_starts("FREQ=DAILY", days=365 * 20)) == MAX_OCCURRENCES


@pytest.mark.parametrize(("rule", "words"), [
    ("FREQ=SECONDLY", "FREQ=DAILY"), ("FREQ=WEEKLY;COUNT=100000", "COUNT"), ("BYDAY=TU", "FREQ"),
    ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"), ("FREQ=WEEKLY;DTSTART=20260101", "DTSTART"), ("nonsense", "nonsense"),
    ("FREQ=WEEKLY;COUNT=2;UNTIL=20261231", "COUNT"), ("FREQ=WEEKLY;UNTIL=2026-12-31Z", "UNTIL"),
])
def test_a_bad_rule_is_refused_with_a_reason(rule, words):
    with pytest.raises(ValidationError) as error:
        normalise_rule(rule)
    assert words in " ".join(error.value.messages)


@given(st.text(max_size=60))
def test_any_text_either_passes_or_is_refused_cleanly(text):
    try:
        normalise_rule(text)
    except ValidationError:
        pass


@pytest.mark.django_db
def test_the_form_names_the_rule_field_and_saves_nothing(world, client):
    from obserwatorium.events.models import Event

    client.force_login(world.users["editor"])
    data = {"title": "Próby chóru", "category": "concert", "starts_at": "2026-10-13T18:00", "unit": world.skawina.pk}
    response = client.post(reverse("events:event-add"), {**data, "rrule": "FREQ=MINUTELY"})
    assert response.status_code == 400 and list(response.context["form"].errors) == ["rrule"]
    response = client.post(reverse("events:event-add"), {**data, "rrule": "FREQ=WEEKLY", "exdates": "wtorek"})
    assert response.status_code == 400 and list(response.context["form"].errors) == ["exdates"]
    assert not Event.objects.filter(title="Próby chóru").exists()
    client.post(reverse("events:event-add"), {**data, "rrule": "rrule:freq=weekly;byday=tu;count=10",
                                              "exdates": "2026-10-27 18:00"})
    event = Event.objects.get(title="Próby chóru")
    assert (event.rrule, event.exdates) == ("FREQ=WEEKLY;BYDAY=TU;COUNT=10", ["2026-10-27T18:00"])
