"""Writes of the culture-events calendar, each through registry.services: the moderation workflow, and adding a
gmina's feed and importing it.

Moderation: draft → submitted → published, or rejected with a reason; withdrawn (cancelled) from any step by its
gmina or the office. Who may set which status is access.rules' (an editor never publishes or rejects); which step
may follow which is here. The submitter is e-mailed the decision once it is committed.

Feeds: an import is all or nothing; a new event from a feed the office trusts is published, any other arrives
submitted, in the moderation queue; every created, changed or withdrawn event keeps its history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

import httpx
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.events.feed_problems import (
    PROPERTY_OF_FIELD,
    WITHDRAWN_CANCELLED,
    WITHDRAWN_GONE,
    FeedRefused,
    Problem,
)
from obserwatorium.events.feed_report import FeedReport
from obserwatorium.events.fetching import fetch_feed
from obserwatorium.events.ical_reader import FeedItem, read_feed
from obserwatorium.events.models import Event, EventFeed, Status
from obserwatorium.events.notifications import notify_decision
from obserwatorium.history.tracking import recording
from obserwatorium.registry.services import archive_record, restore_record, save_record

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

# Which status may follow which (the withdrawn one comes back as a draft to be edited and submitted again).
NEXT: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.PUBLISHED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset({Status.DRAFT, Status.PUBLISHED, Status.REJECTED, Status.WITHDRAWN}),
    Status.PUBLISHED: frozenset({Status.WITHDRAWN}),
    Status.REJECTED: frozenset({Status.DRAFT, Status.SUBMITTED, Status.WITHDRAWN}),
    Status.WITHDRAWN: frozenset({Status.DRAFT, Status.SUBMITTED}),
}


def _move(event: Event, to: str) -> None:
    if to != event.status and to not in NEXT[event.status]:
        raise ValidationError(_("A %(current)s event cannot become %(next)s.")
                              % {"current": event.get_status_display(), "next": Status(to).label}, code="status")


def _submission(user: Actor) -> dict[str, Any]:
    return {"status": Status.SUBMITTED, "submitted_by": user.pk if user.is_authenticated else None,
            "submitted_at": timezone.now(), "submitter_language": translation.get_language() or "",
            "rejection_reason": "", "decided_by": None, "decided_at": None}


def save_event(*, event: Event, values: Mapping[str, Any], user: Actor, submit: bool = False,
               via: str = "page") -> Event:
    """Create or change an event (a new one is a draft); with `submit`, hand it in for review as well."""
    changes = dict(values)
    changes.pop("status", None)
    changes.pop("published", None)
    if submit:
        _move(event, Status.SUBMITTED)
        changes.update(_submission(user))
    return save_record(record=event, values=changes, user=user, via=via)


def submit_event(*, event: Event, user: Actor, via: str = "page") -> Event:
    """Hand a draft (or a rejected or withdrawn event) in for the office's review."""
    _move(event, Status.SUBMITTED)
    return save_record(record=event, values=_submission(user), user=user, via=via)


def withdraw_event(*, event: Event, user: Actor, via: str = "page") -> Event:
    """Withdraw (cancel) an event: it leaves the public calendar and the feeds, kept with its history."""
    _move(event, Status.WITHDRAWN)
    return save_record(record=event, values={"status": Status.WITHDRAWN}, user=user, via=via)


def _decide(event: Event, *, to: str, user: Actor, reason: str = "") -> dict[str, Any]:
    _move(event, to)
    return {"status": to, "decided_by": user.pk if user.is_authenticated else None, "decided_at": timezone.now(),
            "rejection_reason": reason}


def publish_events(*, events: Iterable[Event], user: Actor, site_url: str = "", via: str = "page") -> list[Event]:
    """Publish the events ("publish selected"): all or none, each submitter told once it is committed."""
    published = []
    with transaction.atomic(), recording(user=user, via=via):
        for event in events:
            if event.status == Status.PUBLISHED:
                continue
            published.append(save_record(record=event, values=_decide(event, to=Status.PUBLISHED, user=user),
                                         user=user, via=via))
        for event in published:
            transaction.on_commit(partial(notify_decision, event=event, site_url=site_url))
    return published


def publish_event(*, event: Event, user: Actor, site_url: str = "", via: str = "page") -> Event:
    """Publish one event."""
    publish_events(events=[event], user=user, site_url=site_url, via=via)
    return event


def reject_event(*, event: Event, user: Actor, reason: str, site_url: str = "", via: str = "page") -> Event:
    """Send an event back to its gmina with the reason (required); the submitter is told."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the rejection: the gmina reads it.")})
    with transaction.atomic():
        saved = save_record(record=event, values=_decide(event, to=Status.REJECTED, user=user, reason=reason),
                            user=user, via=via)
        transaction.on_commit(partial(notify_decision, event=saved, site_url=site_url))
    return saved


# Feeds ---------------------------------------------------------------------------------------------------------

VIA = "bulk"  # a feed is a bulk file of events (history.models.ChangeChannel)


class _RollBack(Exception):
    """Raised inside the import's transaction to undo everything when an event was refused."""


def add_feed(*, values: dict[str, Any], user: Actor, via: str = "page") -> EventFeed:
    """Register a gmina's feed; the scheduled import acts with the rights of the user who added it."""
    return save_record(record=EventFeed(added_by=user if user.is_authenticated else None), values=values, user=user,
                       via=via)


def run_feed(*, feed: EventFeed, user: Actor, transport: httpx.BaseTransport | None = None) -> FeedReport:
    """Fetch the feed's address and import it; a feed that cannot be fetched changes nothing."""
    report = FeedReport(source=feed.url, started_at=timezone.now())
    rules.require_write(user, feed)
    try:
        if not feed.url:
            raise FeedRefused("feed_no_address")
        content = fetch_feed(feed.url, transport=transport)
    except FeedRefused as refusal:
        report.refuse(refusal.problem)
        _remember_run(feed, report)
        return report
    return import_feed(feed=feed, content=content, user=user, source=feed.url, report=report)


def import_feed(*, feed: EventFeed, content: bytes, user: Actor, source: str = "",
                report: FeedReport | None = None) -> FeedReport:
    """Import the feed's iCalendar text: new UIDs created, changed ones updated, cancelled or vanished ones
    withdrawn (archived with the reason); any problem and nothing is changed."""
    report = report or FeedReport(source=source, started_at=timezone.now())
    rules.require_write(user, feed)
    try:
        read = read_feed(content, default_category=feed.default_category)
    except FeedRefused as refusal:
        report.refuse(refusal.problem)
        _remember_run(feed, report)
        return report
    report.notices += read.notices
    report.problems += read.problems
    report.counts["rejected"] = len({p.uid for p in read.problems})
    if read.problems:
        report.refuse(Problem("rows_rejected", params={"count": report.counts["rejected"]}))
    else:
        try:
            with transaction.atomic(), recording(user=user, via=VIA):
                _apply(feed=feed, items=read.items, user=user, report=report)
                if report.problems:
                    raise _RollBack
        except _RollBack:
            report.counts["rejected"] = len({p.uid for p in report.problems})
            report.refuse(Problem("rows_rejected", params={"count": report.counts["rejected"]}))
        except PermissionDenied:
            report.refuse(Problem("not_allowed", params={"user": str(user), "unit": feed.unit.name}))
    _remember_run(feed, report)
    return report


def _remember_run(feed: EventFeed, report: FeedReport) -> None:
    # Bookkeeping of the feed, not an edit of it: written beside the import's transaction, kept out of history.
    EventFeed.objects.filter(pk=feed.pk).update(last_run_at=report.started_at, last_status=report.status,
                                                last_report=report.as_json())
    feed.refresh_from_db(fields=["last_run_at", "last_status", "last_report"])


def _is_older(item: FeedItem, event: Event) -> bool:
    """The feed's copy is an older version than the one imported before (SEQUENCE first, then LAST-MODIFIED)."""
    if item.sequence is not None and event.external_sequence is not None and item.sequence != event.external_sequence:
        return item.sequence < event.external_sequence
    return item.modified is not None and event.external_modified is not None and item.modified < event.external_modified


def _differs(event: Event, values: dict[str, Any]) -> bool:
    return any(getattr(event, name) != value for name, value in values.items())


def _apply(*, feed: EventFeed, items: list[FeedItem], user: Actor, report: FeedReport) -> None:
    stored = {(event.external_uid, event.recurrence_id): event for event in Event.objects.filter(feed=feed)}
    series: dict[str, Event] = {}  # the recurring events of this run, for their changed occurrences
    for item in items:  # the recurring events come before their changed occurrences (ical_reader)
        event = stored.pop(item.key, None)
        version = {"external_sequence": item.sequence, "external_modified": item.modified}
        if item.cancelled:
            if event is not None and event.archived_at is None:
                _withdraw(event, user, str(WITHDRAWN_CANCELLED))
                report.counts["withdrawn"] += 1
            else:
                report.counts["unchanged"] += 1
            continue
        if event is None:
            record = Event(feed=feed, external_uid=item.uid, unit=feed.unit, **_arrival(feed, user),
                           **_occurrence_of(item, series))
            _save(record, {**item.values, **version}, user, report, item.uid)
            report.counts["created"] += 1
            event = record
        elif event.archived_at is not None and not event.withdrawal_reason:
            report.notices.append(Problem("archived_in_calendar", uid=item.uid))
            report.counts["unchanged"] += 1
        elif event.archived_at is not None:  # withdrawn by the feed before, back in it now
            restore_record(record=event, user=user, via=VIA, values={"withdrawal_reason": ""})
            _save(event, {**item.values, **version}, user, report, item.uid)
            report.counts["updated"] += 1
        elif _is_older(item, event):
            report.notices.append(Problem("older_version", uid=item.uid, property="SEQUENCE"))
            report.counts["unchanged"] += 1
        elif _differs(event, item.values):
            _save(event, {**item.values, **version}, user, report, item.uid)
            report.counts["updated"] += 1
        else:
            if _differs(event, version):
                _save(event, version, user, report, item.uid)
            report.counts["unchanged"] += 1
        if item.recurrence_id is None:
            series[item.uid] = event
    for event in stored.values():
        if event.archived_at is None:
            _withdraw(event, user, str(WITHDRAWN_GONE))
            report.counts["withdrawn"] += 1


def _occurrence_of(item: FeedItem, series: dict[str, Event]) -> dict[str, Any]:
    """A changed occurrence stands in for one occurrence of its recurring event (saved before it in this run)."""
    if item.recurrence_id is None:
        return {}
    parent = series.get(item.uid)
    return {"recurrence_of": parent if parent is not None and parent.pk else None,
            "recurrence_id": item.recurrence_id}


def _arrival(feed: EventFeed, user: Actor) -> dict[str, Any]:
    """How a new event of the feed arrives: published from a feed the office trusts, otherwise submitted, for the
    office to review in the moderation queue."""
    if feed.trusted:
        return {"status": Status.PUBLISHED, "decided_by": user if user.is_authenticated else None,
                "decided_at": timezone.now()}
    return {"status": Status.SUBMITTED, "submitted_by": user if user.is_authenticated else None,
            "submitted_at": timezone.now()}


def _save(record: Event, values: dict[str, Any], user: Actor, report: FeedReport, uid: str) -> None:
    try:
        save_record(record=record, values=values, user=user, via=VIA)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            report.problems.append(Problem("refused_by_record", uid=uid, property=PROPERTY_OF_FIELD.get(name, name),
                                           params={"detail": " ".join(messages)[:300]}))


def _withdraw(event: Event, user: Actor, reason: str) -> None:
    archive_record(record=event, user=user, via=VIA, values={"withdrawal_reason": reason[:300]})
