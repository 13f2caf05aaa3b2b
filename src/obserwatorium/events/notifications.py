"""E-mail to the submitter of an event when the office publishes or rejects it (plain text and HTML).

Written in the submitter's language (their e-mail settings, else the language they submitted in; Polish when
unknown), with an unsubscribe link (notifications.mail). Sent through Django's mail framework: SMTP when
OBS_EMAIL_HOST is set, otherwise files in OBS_DATA_DIR/mail (settings.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from obserwatorium.notifications.mail import Letter, Recipient, compose
from obserwatorium.notifications.models import Kind

if TYPE_CHECKING:
    from obserwatorium.events.models import Event

logger = logging.getLogger(__name__)


def _plain_text(*, event: Event, link: str, name: str, published: bool) -> str:
    """The plain-text part: the same sentences as the HTML part (not escaped: it is not HTML)."""
    parts = [_("Hello %(name)s,") % {"name": name}]
    if published:
        parts.append(_("your event “%(title)s” was published in the culture-events calendar of the metropolis.")
                     % {"title": event.title})
    else:
        parts += [_("your event “%(title)s” was not accepted for the culture-events calendar.")
                  % {"title": event.title}, f"{_('Reason:')} {event.rejection_reason}",
                  _("You can correct the event and submit it again.")]
    parts += [link, "-- \nObserwatorium"]
    return "\n\n".join(parts) + "\n"


def decision_message(*, event: Event, site_url: str = "") -> EmailMultiAlternatives | None:
    """The message telling the submitter the office's decision, or None when there is nobody to tell (no address,
    or they declined the office's decisions in their e-mail settings)."""
    submitter = event.submitted_by
    if submitter is None or not submitter.email:
        return None
    published = event.status == "published"
    name = submitter.get_full_name() or submitter.get_username()

    def write(language: str) -> Letter:
        path = reverse("events:event", args=[event.pk]) if published else reverse("events:mine")
        link = f"{site_url.rstrip('/')}{path}"
        context = {"event": event, "link": link, "name": name, "published": published}
        subject = (_("Your event was published: %(title)s") if published
                   else _("Your event was not accepted: %(title)s")) % {"title": event.title}
        return Letter(subject=subject, text=_plain_text(event=event, link=link, name=name, published=published),
                      html=render_to_string("events/mail/decision.html", context))

    recipient = Recipient(email=submitter.email, user=submitter, language=event.submitter_language)
    messages = compose(kind=Kind.MODERATION, recipients=[recipient], write=write, base_url=site_url)
    return messages[0] if messages else None


def notify_decision(*, event: Event, site_url: str = "") -> bool:
    """Send the decision message; a mail server that fails is logged, never undoes the decision."""
    message = decision_message(event=event, site_url=site_url)
    if message is None:
        return False
    try:
        message.send()
    except OSError:
        logger.exception("the decision on event %s could not be e-mailed", event.pk)
        return False
    return True
