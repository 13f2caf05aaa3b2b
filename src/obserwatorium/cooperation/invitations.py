"""Invitations to a meeting by e-mail, each with an iCalendar request (RFC 5546 METHOD:REQUEST) attached.

Who is invited (the forum's members): every active account with an e-mail address holding a role for the forum —
its secretaries, and the municipal editors of its member gminy — and the contact e-mail of each of its member
institutions (partners). Each address once, with the first reason found. The messages go through Django's mail
framework (settings.EMAIL_BACKEND, composed by notifications.mail: in each recipient's language, with an unsubscribe
link, none to whoever declined invitations), one per recipient so that no one sees the others' addresses in the
headers; the calendar request lists every invitee as an ATTENDEE, as calendar programs expect. The UID is the meeting's
(the same as in the forums' calendar feeds); SEQUENCE rises whenever the time or place changed since the
previous sending, so a calendar replaces the entry instead of adding another.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

from obserwatorium.access import rules
from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.cooperation.meetings import Invitation
from obserwatorium.cooperation.models import Meeting
from obserwatorium.cooperation.services import agenda_text
from obserwatorium.notifications.mail import Letter, Recipient, compose
from obserwatorium.notifications.models import Kind
from obserwatorium.registry.services import save_record

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

PRODUCT_ID = "-//Obserwatorium//Meeting invitations//PL"
REASONS = ("secretary", "gmina", "institution")


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str
    reason: str  # one of REASONS
    detail: str = ""  # the gmina or institution
    user: Any = field(default=None, compare=False)  # the account of a secretary or editor (their e-mail settings)

    def as_dict(self) -> dict[str, str]:
        return {"email": self.email, "name": self.name, "reason": self.reason, "detail": self.detail}


def invitees(meeting: Meeting) -> list[Invitee]:
    """The forum's members to invite, each address once (secretaries, gminy's editors, institutions)."""
    forum = meeting.forum
    found: dict[str, Invitee] = {}

    def add(email: str, name: str, reason: str, detail: str = "", user: Any = None) -> None:
        email = (email or "").strip()
        if email and email.lower() not in found:
            found[email.lower()] = Invitee(email, name, reason, detail, user)

    roles = (RoleAssignment.objects.select_related("user", "unit")
             .filter(user__is_active=True)
             .filter(Q(role=Role.FORUM_SECRETARY, forum=forum)
                     | Q(role=Role.MUNICIPAL_EDITOR, unit__in=forum.member_units.all()))
             .order_by("role", "unit__name", "user__last_name", "user__username"))
    for assignment in sorted(roles, key=lambda a: a.role != Role.FORUM_SECRETARY):
        user = assignment.user
        if assignment.role == Role.FORUM_SECRETARY:
            add(user.email, user.get_full_name() or user.get_username(), "secretary", user=user)
        else:
            add(user.email, user.get_full_name() or user.get_username(), "gmina",
                assignment.unit.name if assignment.unit else "", user=user)
    for partner in forum.member_institutions.current().order_by("name"):
        add(partner.contact_email, partner.contact_name or partner.name, "institution", partner.name)
    return list(found.values())


def schedule_of(meeting: Meeting) -> dict[str, str | None]:
    """What the invitation says of the time and place (compared between sendings)."""
    return {"starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
            "place": meeting.place, "online_url": meeting.online_url if meeting.online else ""}


def next_sequence(meeting: Meeting) -> int:
    """The SEQUENCE of the next sending: as the last one's, one more if the time or place changed since."""
    last = meeting.invitations.order_by("-sent_at", "-pk").first()
    if last is None:
        return 0
    return last.sequence + (1 if last.schedule != schedule_of(meeting) else 0)


def organiser_of(user: Actor) -> tuple[str, str]:
    """(e-mail, name) of the invitation's organiser: the sender if they have an address, else the site's."""
    own = getattr(user, "email", "")
    if not own:
        return settings.DEFAULT_FROM_EMAIL, ""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return own, full_name or user.get_username()


def calendar_request(*, meeting: Meeting, people: list[Invitee], sequence: int, organiser: tuple[str, str],
                     url: str, stamp: datetime) -> bytes:
    """The VCALENDAR with METHOD:REQUEST: one VEVENT, its ORGANIZER and one ATTENDEE per invitee."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = CalendarEvent()
    event.add("uid", f"meeting-{meeting.pk}@obserwatorium")
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", meeting.starts_at)
    if meeting.ends_at:
        event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.forum.name)
    location = meeting.place or (meeting.online_url if meeting.online else "")
    if location:
        event.add("location", location)
    description = "\n\n".join(part for part in (agenda_text(meeting), url) if part)
    event.add("description", description)
    event.add("url", url)
    event.add("status", "CONFIRMED")
    organizer = vCalAddress(f"mailto:{organiser[0]}")
    if organiser[1]:
        organizer.params["cn"] = vText(organiser[1])
    event.add("organizer", organizer)
    for person in people:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params.update({"cn": vText(person.name), "role": vText("REQ-PARTICIPANT"),
                                "partstat": vText("NEEDS-ACTION"), "rsvp": vText("TRUE")})
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical()


def _writer(meeting: Meeting, url: str, sequence: int) -> Callable[[str], Letter]:
    """The invitation's writer, in the language notifications.mail gives (the recipient's)."""
    agenda = list(meeting.agenda_items.all())

    def write(language: str) -> Letter:
        context = {"meeting": meeting, "url": url, "agenda": agenda, "changed": sequence > 0}
        subject = (_("Changed: meeting of %(forum)s") if sequence else _("Invitation: meeting of %(forum)s")) % {
            "forum": meeting.forum.name}
        return Letter(subject=subject, text=render_to_string("cooperation/invitation_email.txt", context))
    return write


def send_invitations(*, meeting: Meeting, user: Actor, base_url: str) -> Invitation:
    """E-mail the forum's members an invitation with the iCalendar request; record who was invited, when, by whom.

    Refused (ValidationError) for a meeting that has begun or when nobody can be invited; nothing is recorded
    when the mail server refuses."""
    rules.require_write(user, Invitation(meeting=meeting))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("The meeting has already begun: invitations are sent before it."))
    people = invitees(meeting)
    if not people:
        raise ValidationError(_("Nobody to invite: no member of the forum has an e-mail address."))
    now = timezone.now()
    sequence = next_sequence(meeting)
    url = base_url.rstrip("/") + reverse("cooperation:meeting", args=[meeting.pk])
    organiser = organiser_of(user)
    ics = calendar_request(meeting=meeting, people=people, sequence=sequence, organiser=organiser, url=url,
                           stamp=now)
    # Everyone invited is an ATTENDEE of the calendar request; only those who receive invitations get a message.
    messages = compose(kind=Kind.INVITATION, recipients=[Recipient(email=p.email, user=p.user) for p in people],
                       write=_writer(meeting, url, sequence), base_url=base_url, reply_to=[organiser[0]],
                       attachments=[("invitation.ics", ics, "text/calendar; method=REQUEST; charset=UTF-8")])
    with transaction.atomic():
        invitation = save_record(record=Invitation(meeting=meeting), values={
            "sequence": sequence, "sent_at": now, "sent_by": user.pk,
            "recipients": [p.as_dict() for p in people], "schedule": schedule_of(meeting)}, user=user, via="page")
        try:
            if messages:
                get_connection().send_messages(messages)
        except (OSError, smtplib.SMTPException) as error:
            raise ValidationError(_("The mail server did not take the invitations (%(error)s); nothing was sent "
                                    "or recorded.") % {"error": error}) from error
    return invitation
