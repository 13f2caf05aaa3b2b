"""E-mail to the submitter of an event when the office publishes or rejects it (plain text and HTML).

Written in the language the submitter used when submitting (Polish when unknown). Sent through Django's mail
framework: SMTP when OBS_EMAIL_HOST is set, otherwise files in OBS_DATA_DIR/mail (settings.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from obserwatorium.events.models import Event

logger = logging.getLogger(__name__)
LANGUAGES = {code for code, _name in settings.LANGUAGES}


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
    """The message telling the submitter the office's decision, or None when there is nobody to tell."""
    submitter = event.submitted_by
    if submitter is None or not submitter.email:
        return None
    language = event.submitter_language if event.submitter_language in LANGUAGES else "pl"
    with translation.override(language):
        path = reverse("events:event", args=[event.pk]) if event.status == "published" else reverse("events:mine")
        published = event.status == "published"
        link, name = f"{site_url}{path}", submitter.get_full_name() or submitter.get_username()
        context = {"event": event, "link": link, "name": name, "published": published}
        subject = (_("Your event was published: %(title)s") if published
                   else _("Your event was not accepted: %(title)s")) % {"title": event.title}
        text = _plain_text(event=event, link=link, name=name, published=published)
        html = render_to_string("events/mail/decision.html", context)
    message = EmailMultiAlternatives(subject=" ".join(subject.split())[:200], body=text,
                                     from_email=settings.DEFAULT_FROM_EMAIL, to=[submitter.email])
    message.attach_alternative(html, "text/html")
    return message


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
