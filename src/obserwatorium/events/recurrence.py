"""Recurring events: an RFC 5545 RRULE with exception dates, expanded in Europe/Warsaw wall time.

The rule is applied to the local (naive) start time and each occurrence is then placed in Europe/Warsaw, so a
weekly 18:00 event stays at 18:00 across the changes to and from summer time (its UTC offset changes instead).
Expansion is bounded three ways: no rule more often than daily, COUNT at most MAX_COUNT, and every expansion
stops at the end of its window and after MAX_OCCURRENCES.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WARSAW = ZoneInfo("Europe/Warsaw")
MAX_COUNT = 500
MAX_OCCURRENCES = 1000
ALLOWED_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
# Parts of RFC 5545's RECUR value; anything else (DTSTART, RDATE…) is not part of the rule field.
RULE_PARTS = frozenset({"FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
                        "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST"})


def _local_naive(moment: datetime) -> datetime:
    """The Europe/Warsaw wall time of a moment, without its zone."""
    return (moment.astimezone(WARSAW) if moment.tzinfo else moment).replace(tzinfo=None, microsecond=0)


def normalise_rule(text: str) -> str:
    """The rule in canonical form (upper case, no RRULE: prefix, UNTIL in local time); ValidationError when bad."""
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for item in filter(None, (piece.strip() for piece in text.split(";"))):
        name, sep, value = item.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip():
            raise ValidationError(_("“%(part)s” is not NAME=VALUE.") % {"part": item}, code="rrule")
        if name not in RULE_PARTS:
            raise ValidationError(_("“%(name)s” is not a part of a recurrence rule.") % {"name": name}, code="rrule")
        parts[name] = value.strip().upper()
    frequency = parts.get("FREQ")
    if frequency not in ALLOWED_FREQUENCIES:
        raise ValidationError(_("The rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."), code="rrule")
    if "COUNT" in parts and "UNTIL" in parts:
        raise ValidationError(_("Give COUNT or UNTIL, not both."), code="rrule")
    if "COUNT" in parts:
        if not parts["COUNT"].isdigit() or not 1 <= int(parts["COUNT"]) <= MAX_COUNT:
            raise ValidationError(_("COUNT must be a whole number from 1 to %(most)d.") % {"most": MAX_COUNT},
                                  code="rrule")
    if until := parts.get("UNTIL"):
        # RFC 5545 gives UNTIL in UTC (…Z) when the start has a time zone: the expansion runs in local time.
        if until.endswith("Z"):
            try:
                moment = datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            except ValueError:
                raise ValidationError(_("UNTIL must be a date (20261231) or a date and time (20261231T180000)."),
                                      code="rrule") from None
            parts["UNTIL"] = _local_naive(moment).strftime("%Y%m%dT%H%M%S")
    rule = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        rrulestr(rule, dtstart=datetime(2026, 1, 1, 12))
    except (ValueError, TypeError, IndexError) as error:
        raise ValidationError(_("The recurrence rule is not valid: %(reason)s") % {"reason": error},
                              code="rrule") from None
    return rule


def validate_rrule(text: str) -> None:
    """Model validator: a blank rule or one `normalise_rule` accepts."""
    if text.strip():
        normalise_rule(text)


def parse_local(text: str) -> datetime:
    """A local Europe/Warsaw time from ISO text (a moment with an offset is converted to local time)."""
    return _local_naive(datetime.fromisoformat(text.strip()))


def validate_exdates(value: object) -> None:
    """Model validator: a list of ISO date-times (local Europe/Warsaw wall time)."""
    if not isinstance(value, list):
        raise ValidationError(_("Exception dates must be a list of dates and times."), code="exdates")
    for item in value:
        try:
            parse_local(str(item))
        except ValueError:
            raise ValidationError(_("“%(value)s” is not a date and time like 2026-10-27T18:00.")
                                  % {"value": item}, code="exdates") from None
    if len(value) > MAX_COUNT:
        raise ValidationError(_("At most %(most)d exception dates.") % {"most": MAX_COUNT}, code="exdates")


def occurrence_starts(*, starts_at: datetime, rule: str, exdates: list[str], window_start: datetime,
                      window_end: datetime) -> Iterator[datetime]:
    """Start moments (aware, Europe/Warsaw) of the occurrences starting in [window_start, window_end)."""
    local_start = _local_naive(starts_at)
    if not rule.strip():
        candidates: Iterator[datetime] = iter([local_start])
    else:
        recurrence = rrulestr(normalise_rule(rule), dtstart=local_start)
        assert isinstance(recurrence, rrule)  # one RRULE, never a set
        candidates = recurrence.xafter(_local_naive(window_start) if window_start > starts_at else local_start,
                                       count=MAX_OCCURRENCES, inc=True)
    skipped = {parse_local(item) for item in exdates}
    for local in candidates:
        moment = local.replace(tzinfo=WARSAW)
        if moment >= window_end:
            return
        if local in skipped or moment < window_start:
            continue
        yield moment
