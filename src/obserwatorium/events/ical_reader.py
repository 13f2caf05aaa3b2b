"""Read a gmina's iCalendar feed (RFC 5545) into the calendar's event values, naming each problem by UID and
property. Times: TZID (Europe/Warsaw or any other zone) and UTC as given, floating times as Warsaw's,
all-day events (VALUE=DATE) from midnight to midnight in Warsaw with the end exclusive, as in iCalendar."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as Component

from obserwatorium.events.feed_problems import FeedRefused, Problem
from obserwatorium.events.models import Category

WARSAW = ZoneInfo("Europe/Warsaw")
MAX_FEED_BYTES = 5 * 1024 * 1024
# Our own properties, written by the export so that a feed read back gives the same events (RFC 5545 §3.8.8.2).
X_VENUE, X_ADDRESS, X_ORGANISER, X_FREE = "X-OBS-VENUE", "X-OBS-ADDRESS", "X-OBS-ORGANISER", "X-OBS-FREE-ENTRY"
X_NO_OWN_URL = "X-OBS-NO-OWN-URL"  # URL is only the calendar's page of the event: the event has no page of its own
TEXT_LIMITS = {"SUMMARY": ("title", 300), "LOCATION": ("venue", 300), X_VENUE: ("venue", 300),
               X_ADDRESS: ("address", 300), X_ORGANISER: ("organiser", 300)}


@dataclass
class FeedItem:
    """One VEVENT of the feed: the event's values, or a cancellation."""

    uid: str
    values: dict[str, Any] = field(default_factory=dict)
    sequence: int | None = None
    modified: datetime.datetime | None = None
    cancelled: bool = False
    recurrence_id: datetime.datetime | None = None  # a changed occurrence: the original start it replaces

    @property
    def key(self) -> tuple[str, datetime.datetime | None]:
        return self.uid, self.recurrence_id


@dataclass
class ReadFeed:
    items: list[FeedItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)


def _category_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in Category.choices:
        lookup[value] = value
        lookup[str(label).casefold()] = value
    return lookup


def parse_calendar(content: bytes) -> Calendar:
    """The VCALENDAR of the feed, or FeedRefused saying why it is not one."""
    if len(content) > MAX_FEED_BYTES:
        raise FeedRefused("feed_too_large", limit=MAX_FEED_BYTES // (1024 * 1024))
    text = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise FeedRefused("feed_empty")
    if not text[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        raise FeedRefused("feed_not_icalendar", detail=repr(text[:40].decode("utf-8", "replace")))
    try:
        calendar = Calendar.from_ical(text)
    except Exception as error:  # noqa: BLE001 (any failure of the parser on a stranger's file is the file's fault)
        raise FeedRefused("feed_unreadable", detail=str(error)[:300] or type(error).__name__) from None
    if not isinstance(calendar, Calendar):
        raise FeedRefused("feed_unreadable", detail="VCALENDAR")
    return calendar


def read_feed(content: bytes, *, default_category: str) -> ReadFeed:
    """Every VEVENT of the feed as a FeedItem; problems (the import is refused) and notices beside them."""
    calendar = parse_calendar(content)
    read = ReadFeed()
    categories = _category_lookup()
    seen: set[tuple[str, datetime.datetime | None]] = set()
    for number, component in enumerate(calendar.walk("VEVENT"), start=1):
        if not isinstance(component, Component):  # icalendar makes every VEVENT an icalendar.Event
            continue
        uid = str(component.get("UID", "")).strip()
        label = uid or f"#{number}"
        if not uid:
            read.problems.append(Problem("uid_missing", uid=label, property="UID"))
            continue
        item = FeedItem(uid=uid)
        try:
            problems = _version(component, item, label) + _recurrence_id(component, item, label)
            if (uid, item.recurrence_id) in seen:
                read.problems.append(Problem("uid_twice", uid=label,
                                             property="RECURRENCE-ID" if item.recurrence_id else "UID"))
                continue
            seen.add((uid, item.recurrence_id))
            if str(component.get("STATUS", "")).upper() == "CANCELLED":
                item.cancelled = True
            elif not problems:
                problems += _values(component, item, label, categories, default_category, read.notices)
        except Exception as error:  # noqa: BLE001 (a value the parser chokes on names its event, never a 500)
            problems = [Problem("value_broken", uid=label, property="VEVENT",
                                params={"detail": str(error)[:200] or type(error).__name__})]
        read.problems += problems
        if not problems:
            read.items.append(item)
    read.items = _with_occurrences_attached(read.items, read.notices)
    return read


def _recurrence_id(component: Component, item: FeedItem, label: str) -> list[Problem]:
    if "RECURRENCE-ID" not in component:
        return []
    problems = _broken(component, label, ("RECURRENCE-ID",))
    if problems:
        return problems
    value = component.decoded("RECURRENCE-ID")
    if not isinstance(value, datetime.date):
        return [Problem("value_broken", uid=label, property="RECURRENCE-ID", params={"detail": str(value)[:200]})]
    item.recurrence_id = _moment(value)
    return []


def _with_occurrences_attached(items: list[FeedItem], notices: list[Problem]) -> list[FeedItem]:
    """The recurring events first, then their changed occurrences (RFC 5545 §3.8.4.4): a cancelled occurrence
    becomes an exception date of its event (EXDATE), a changed one an event of its own; an occurrence whose
    recurring event is not in the feed is left out with a notice."""
    series = {item.uid: item for item in items if item.recurrence_id is None}
    kept = [item for item in items if item.recurrence_id is None]
    for item in items:
        if item.recurrence_id is None:
            continue
        parent = series.get(item.uid)
        if parent is None or parent.cancelled or not parent.values.get("rrule"):
            notices.append(Problem("recurrence_override_orphan", uid=item.uid, property="RECURRENCE-ID"))
        elif item.cancelled:
            local = item.recurrence_id.astimezone(WARSAW).replace(tzinfo=None).isoformat(timespec="minutes")
            if local not in parent.values["exdates"]:
                parent.values["exdates"].append(local)
        else:
            item.values.update(rrule="", exdates=[])
            kept.append(item)
    return kept


def _broken(component: Component, label: str, names: tuple[str, ...]) -> list[Problem]:
    return [Problem("value_broken", uid=label, property=name, params={"detail": str(detail)[:200]})
            for name, detail in getattr(component, "errors", []) if name.upper() in names]


def _version(component: Component, item: FeedItem, label: str) -> list[Problem]:
    problems = _broken(component, label, ("SEQUENCE", "LAST-MODIFIED"))
    if problems:
        return problems
    if "SEQUENCE" in component:
        try:
            item.sequence = int(component.decoded("SEQUENCE"))
        except (TypeError, ValueError) as error:
            return [Problem("value_broken", uid=label, property="SEQUENCE", params={"detail": str(error)[:200]})]
    if "LAST-MODIFIED" in component:
        modified = component.decoded("LAST-MODIFIED")
        if isinstance(modified, datetime.datetime):
            item.modified = modified if modified.tzinfo else modified.replace(tzinfo=datetime.UTC)
    return []


def _moment(value: datetime.date | datetime.datetime) -> datetime.datetime:
    """A DATE as midnight in Warsaw; a floating time as Warsaw's; a zoned or UTC time as it is."""
    if not isinstance(value, datetime.datetime):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=WARSAW)
    return value if value.tzinfo is not None else value.replace(tzinfo=WARSAW)


def _text(component: Component, name: str, label: str, notices: list[Problem]) -> str:
    value = component.get(name)
    if value is None:
        return ""
    text = str(value[0] if isinstance(value, list) else value).strip()
    limit = TEXT_LIMITS.get(name, (None, 0))[1]
    if limit and len(text) > limit:
        notices.append(Problem("text_cut", uid=label, property=name, params={"limit": limit}))
        text = text[:limit]
    return text


def _times(component: Component, label: str) -> tuple[list[Problem], dict[str, Any]]:
    problems = _broken(component, label, ("DTSTART", "DTEND", "DURATION"))
    if problems:
        return problems, {}
    if "DTSTART" not in component:
        return [Problem("value_missing", uid=label, property="DTSTART")], {}
    try:
        start = component.start
        end = component.end if ("DTEND" in component or "DURATION" in component) else None
    except (ValueError, TypeError, KeyError) as error:  # icalendar's IncompleteComponent and kin
        return [Problem("value_broken", uid=label, property="DTEND", params={"detail": str(error)[:200]})], {}
    all_day = not isinstance(start, datetime.datetime)
    if end is not None and isinstance(end, datetime.datetime) == all_day:
        return [Problem("dates_mixed", uid=label, property="DTEND")], {}
    if all_day and end is None:
        end = start + datetime.timedelta(days=1)  # RFC 5545 §3.6.1: a day-long event
    starts_at = _moment(start)
    ends_at = _moment(end) if end is not None else None
    if ends_at is not None and ends_at < starts_at:
        return [Problem("end_before_start", uid=label, property="DTEND")], {}
    return [], {"starts_at": starts_at, "ends_at": ends_at, "all_day": all_day}


def _organiser(component: Component, label: str, notices: list[Problem]) -> str:
    own = _text(component, X_ORGANISER, label, notices)
    if own:
        return own
    organizer = component.get("ORGANIZER")
    name = str(organizer.params.get("CN", "")) if organizer is not None and hasattr(organizer, "params") else ""
    return name.strip()[:300]


def _category(component: Component, categories: dict[str, str], default: str) -> str:
    value = component.get("CATEGORIES")
    lists = value if isinstance(value, list) else [value] if value is not None else []
    for entry in lists:
        for name in getattr(entry, "cats", [entry]):
            found = categories.get(str(name).strip().casefold())
            if found:
                return found
    return default


def _values(component: Component, item: FeedItem, label: str, categories: dict[str, str], default_category: str,
            notices: list[Problem]) -> list[Problem]:
    problems = _broken(component, label, ("SUMMARY", "DESCRIPTION", "LOCATION", "URL"))
    times_problems, times = _times(component, label)
    problems += times_problems
    title = _text(component, "SUMMARY", label, notices)
    if not title and not problems:
        problems.append(Problem("value_missing", uid=label, property="SUMMARY"))
    url = _text(component, "URL", label, notices)
    if url and (not url.lower().startswith(("http://", "https://")) or len(url) > 500):
        problems.append(Problem("url_bad", uid=label, property="URL", params={"value": url[:100]}))
    if problems:
        return problems
    has_own_place = X_VENUE in component or X_ADDRESS in component
    item.values = {
        "title": title,
        "description": _text(component, "DESCRIPTION", label, notices),
        "category": _category(component, categories, default_category),
        **times,
        "venue": _text(component, X_VENUE if has_own_place else "LOCATION", label, notices),
        "address": _text(component, X_ADDRESS, label, notices),
        "organiser": _organiser(component, label, notices),
        "url": "" if str(component.get(X_NO_OWN_URL, "")).strip().upper() == "TRUE" else url,
        "free_entry": str(component.get(X_FREE, "")).strip().upper() == "TRUE",
        **_recurrence(component),
    }
    return []


def _recurrence(component: Component) -> dict[str, Any]:
    """The event's RRULE as text and its EXDATEs as local Warsaw times (ISO), as the calendar stores them; the
    record's validators check the rule (a bad one is refused, naming RRULE)."""
    rule = component.get("RRULE")
    if isinstance(rule, list):  # more than one RRULE: RFC 5545 advises one; the first is kept
        rule = rule[0]
    text = rule.to_ical().decode() if rule is not None else ""
    found = component.get("EXDATE")
    exdates: list[str] = []
    for group in (found if isinstance(found, list) else [found] if found is not None else []):
        for moment in group.dts:
            value = moment.dt
            if isinstance(value, datetime.datetime):
                local = value.astimezone(WARSAW) if value.tzinfo else value
                exdates.append(local.replace(tzinfo=None).isoformat(timespec="minutes"))
    return {"rrule": text, "exdates": exdates}
