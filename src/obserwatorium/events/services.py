"""Writes of the culture-events calendar: the moderation workflow, each step through registry.services.

draft → submitted → published, or rejected with a reason; withdrawn (cancelled) from any step by its gmina or the
office. Who may set which status is access.rules' (an editor never publishes or rejects); which step may follow
which is here. The submitter is e-mailed the decision once it is committed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from obserwatorium.events.models import Event, Status
from obserwatorium.events.notifications import notify_decision
from obserwatorium.history.tracking import recording
from obserwatorium.registry.services import save_record

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
