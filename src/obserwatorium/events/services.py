"""Writes of the events app: adding a gmina's feed and importing it (all or nothing, through the registry's
one write path, so every created, changed or withdrawn event keeps its history)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

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
from obserwatorium.events.models import Event, EventFeed
from obserwatorium.history.tracking import recording
from obserwatorium.registry.services import archive_record, restore_record, save_record

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

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
    stored = {event.external_uid: event for event in Event.objects.filter(feed=feed)}
    for item in items:
        event = stored.pop(item.uid, None)
        version = {"external_sequence": item.sequence, "external_modified": item.modified}
        if item.cancelled:
            if event is not None and event.archived_at is None:
                _withdraw(event, user, str(WITHDRAWN_CANCELLED))
                report.counts["withdrawn"] += 1
            else:
                report.counts["unchanged"] += 1
            continue
        if event is None:
            record = Event(feed=feed, external_uid=item.uid, unit=feed.unit, published=feed.trusted)
            _save(record, {**item.values, **version}, user, report, item.uid)
            report.counts["created"] += 1
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
    for event in stored.values():
        if event.archived_at is None:
            _withdraw(event, user, str(WITHDRAWN_GONE))
            report.counts["withdrawn"] += 1


def _save(record: Event, values: dict[str, Any], user: Actor, report: FeedReport, uid: str) -> None:
    try:
        save_record(record=record, values=values, user=user, via=VIA)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            report.problems.append(Problem("refused_by_record", uid=uid, property=PROPERTY_OF_FIELD.get(name, name),
                                           params={"detail": " ".join(messages)[:300]}))


def _withdraw(event: Event, user: Actor, reason: str) -> None:
    archive_record(record=event, user=user, via=VIA, values={"withdrawal_reason": reason[:300]})
