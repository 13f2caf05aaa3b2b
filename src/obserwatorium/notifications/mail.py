"""Every e-mail of the product is composed here: only to recipients who did not decline its kind, in each
recipient's language, with a one-click unsubscribe link (in the text and as RFC 8058 List-Unsubscribe headers).

The senders (collection, events, cooperation) give the recipients and a function that writes the letter in one
language; this module reads all the recipients' preferences in one query and writes each language once. The
messages go through Django's mail framework (settings.EMAIL_BACKEND: SMTP or files in OBS_DATA_DIR/mail).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from obserwatorium.notifications.models import Kind, MailPreference
from obserwatorium.notifications.tokens import make_token

if TYPE_CHECKING:
    from django.contrib.auth.models import User

DEFAULT_LANGUAGE = "pl"


@dataclass(frozen=True)
class Recipient:
    """One address to write to; `user` when it belongs to an account, `language` a guess of the sender's."""

    email: str
    user: User | None = None
    language: str = ""


@dataclass(frozen=True)
class Letter:
    """What one message says in one language: subject, plain text and optionally HTML."""

    subject: str
    text: str
    html: str = ""


def preferences(recipients: Iterable[Recipient]) -> dict[tuple[str, Any], MailPreference]:
    """The stored preferences of the recipients, by ("u", user id) or ("a", address), in one query."""
    people = list(recipients)
    users = {r.user.pk for r in people if r.user is not None}
    addresses = {r.email.lower() for r in people if r.user is None}
    if not users and not addresses:
        return {}
    found = MailPreference.objects.filter(Q(user_id__in=users) | Q(address__in=addresses))
    return {(("u", p.user_id) if p.user_id else ("a", p.address)): p for p in found}


def language_of(recipient: Recipient, preference: MailPreference | None) -> str:
    """The language chosen in the settings, else the sender's guess, else the site's language last used."""
    languages = {code for code, _name in settings.LANGUAGES}
    for candidate in ((preference.language if preference else ""), recipient.language,
                      (preference.site_language if preference else "")):
        if candidate in languages:
            return candidate
    return DEFAULT_LANGUAGE


def _key(recipient: Recipient) -> tuple[str, Any]:
    return ("u", recipient.user.pk) if recipient.user is not None else ("a", recipient.email.lower())


def compose(*, kind: Kind | str, recipients: Iterable[Recipient], write: Callable[[str], Letter], base_url: str,
            **headers: Any) -> list[EmailMultiAlternatives]:
    """One message per recipient who receives `kind`, each written by `write(language)` (called once per
    language, inside translation.override) with the unsubscribe footer and headers; `headers` go to the
    message (reply_to, attachments)."""
    people = [r for r in recipients if r.email]
    stored = preferences(people)
    letters: dict[str, Letter] = {}
    messages = []
    root = base_url.rstrip("/")
    for person in people:
        preference = stored.get(_key(person))
        if preference is not None and not preference.receives(str(kind)):
            continue
        language = language_of(person, preference)
        if language not in letters:
            with translation.override(language):
                letters[language] = write(language)
        token = make_token(kind=str(kind), user_id=person.user.pk if person.user is not None else None,
                           address=person.email)
        link = root + reverse("notifications:unsubscribe", args=[token])
        messages.append(_message(kind=str(kind), letter=letters[language], language=language, to=person.email,
                                 link=link, settings_link=root + reverse("notifications:settings")
                                 if person.user is not None else "", **headers))
    return messages


def _message(*, kind: str, letter: Letter, language: str, to: str, link: str, settings_link: str,
             attachments: Iterable[tuple[str, bytes, str]] = (), **headers: Any) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {"kind": Kind(kind).label, "link": link, "settings_link": settings_link}
        footer_text = render_to_string("notifications/footer.txt", context).strip()
        footer_html = render_to_string("notifications/footer.html", context).strip() if letter.html else ""
    message = EmailMultiAlternatives(
        subject=" ".join(letter.subject.split())[:200], body=f"{letter.text.rstrip()}\n\n-- \n{footer_text}\n",
        from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 "Content-Language": language}, **headers)
    if letter.html:
        html = letter.html
        at = html.rfind("</body>")
        message.attach_alternative(html[:at] + footer_html + html[at:] if at >= 0 else html + footer_html,
                                   "text/html")
    for name, content, media_type in attachments:
        message.attach(name, content, media_type)
    return message
