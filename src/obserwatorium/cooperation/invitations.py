"""Invitations to a meeting by e-mail, each with an iCalendar request (RFC 5546 METHOD:REQUEST) attached.

Who is invited (the forum's members): every active account with an e-mail address holding a role for the forum —
its secretaries, and the municipal editors of its member gminy — and the contact e-mail of each of its member
institutions (partners). Each address once, with the first reason found. The messages go through Django's mail
framework (settings.EMAIL_BACKEND), one per recipient so that no one sees the others' addresses in the headers;
the calendar request lists every invitee as an ATTENDEE, as calendar programs expect. The UID is the meeting's
(the same as in the forums' calendar feeds); SEQUENCE rises whenever the time or place changed since the
previous sending, so a calendar replaces the entry instead of adding another.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as CalendarEvent

from obserwatorium.access import rules
from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.cooperation.meetings import Invitation
from obserwatorium.cooperation.models import Meeting
from obserwatorium.cooperation.services import agenda_text
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

    def as_dict(self) -> dict[str, str]:
        return {"email": self.email, "name": self.name, "reason": self.reason, "detail": self.detail}


def invitees(meeting: Meeting) -> list[Invitee]:
    """The forum's members to invite, each address once (secretaries, gminy's editors, institutions)."""
    forum = meeting.forum
    found: dict[str, Invitee] = {}

    def add(email: str, name: str, reason: str, detail: str = "") -> None:
        email = (email or "").strip()
        if email and email.lower() not in found:
            found[email.lower()] = Invitee(email, name, reason, detail)

    roles = (RoleAssignment.objects.select_related("user", "unit")
             .filter(user__is_active=True)
             .filter(Q(role=Role.FORUM_SECRETARY, forum=forum)
                     | Q(role=Role.MUNICIPAL_EDITOR, unit__in=forum.member_units.all()))
             .order_by("role", "unit__name", "user__last_name", "user__username"))
    for assignment in sorted(roles, key=lambda a: a.role != Role.FORUM_SECRETARY):
        user = assignment.user
        if assignment.role == Role.FORUM_SECRETARY:
            add(user.email, user.get_full_name() or user.get_username(), "secretary")
        else:
            add(user.email, user.get_full_name() or user.get_username(), "gmina",
                assignment.unit.name if assignment.unit else "")
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


def _text(meeting: Meeting, url: str, language: str, sequence: int) -> tuple[str, str]:
    with translation.override(language):
        context = {"meeting": meeting, "url": url, "agenda": list(meeting.agenda_items.all()), "changed": sequence > 0}
        subject = (_("Changed: meeting of %(forum)s") if sequence else _("Invitation: meeting of %(forum)s")) % {
            "forum": meeting.forum.name}
        return subject, render_to_string("cooperation/invitation_email.txt", context)


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
    subject_pl, body_pl = _text(meeting, url, "pl", sequence)
    subject_en, body_en = _text(meeting, url, "en", sequence)
    messages = []
    for person in people:
        message = EmailMessage(subject=f"{subject_pl} / {subject_en}", body=f"{body_pl}\n\n---\n\n{body_en}",
                               to=[person.email], reply_to=[organiser[0]])
        message.attach("invitation.ics", ics, "text/calendar; method=REQUEST; charset=UTF-8")
        messages.append(message)
    with transaction.atomic():
        invitation = save_record(record=Invitation(meeting=meeting), values={
            "sequence": sequence, "sent_at": now, "sent_by": user.pk,
            "recipients": [p.as_dict() for p in people], "schedule": schedule_of(meeting)}, user=user, via="page")
        try:
            get_connection().send_messages(messages)
        except (OSError, smtplib.SMTPException) as error:
            raise ValidationError(_("The mail server did not take the invitations (%(error)s); nothing was sent "
                                    "or recorded.") % {"error": error}) from error
    return invitation
