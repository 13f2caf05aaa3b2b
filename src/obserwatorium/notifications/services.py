"""Writes of the e-mail preferences: the settings page, the one-click unsubscribe link, the language seen at sign-in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from obserwatorium.history.tracking import recording
from obserwatorium.notifications.models import Kind, MailLanguage, MailPreference
from obserwatorium.notifications.tokens import read_token

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

LANGUAGES = frozenset(code for code, _label in MailLanguage.choices if code)


def preference_of(user: User) -> MailPreference:
    """The user's preference as stored, or an unsaved one (everything received) when they never chose."""
    found = MailPreference.objects.filter(user=user).first()
    return found if found is not None else MailPreference(user=user)


def save_preferences(*, user: User | AnonymousUser, received: set[str], language: str) -> MailPreference:
    """Store which kinds the signed-in user receives (the others are declined) and their e-mail language."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Sign in to choose your e-mails."))
    unknown = sorted(set(received) - set(Kind.values))
    if unknown:
        raise ValidationError({"received": _("Unknown kind of e-mail: %(kinds)s") % {"kinds": ", ".join(unknown)}})
    if language not in LANGUAGES and language != "":
        raise ValidationError({"language": _("Choose Polish, English or the language of the site.")})
    declined = [kind for kind in Kind.values if kind not in received]
    with transaction.atomic(), recording(user=user, via="page"):
        preference = MailPreference.objects.select_for_update().filter(user_id=user.pk).first()
        preference = preference or MailPreference(user_id=user.pk)
        if preference.pk is None or preference.declined != declined or preference.language != language:
            preference.declined, preference.language = declined, language
            preference.save()
    return preference


def unsubscribe(*, token: str) -> tuple[MailPreference, str]:
    """Decline the kind the signed token names (signing.BadSignature for a token this site did not make)."""
    wanted = read_token(token)
    if wanted.kind not in Kind.values:
        raise ValidationError(_("Unknown kind of e-mail."))
    lookup: dict[str, Any] = {"user_id": wanted.user_id} if wanted.user_id is not None else {"address": wanted.address}
    with transaction.atomic():
        preference = MailPreference.objects.select_for_update().filter(**lookup).first()
        if preference is None:
            preference = MailPreference(**lookup)
            if wanted.user_id is not None and not get_user_model().objects.filter(pk=wanted.user_id).exists():
                raise ValidationError(_("This account no longer exists."))
        owner = preference.user if wanted.user_id is not None else None
        with recording(user=owner, via="unsubscribe-link"):
            if wanted.kind not in preference.declined:
                preference.declined = [*preference.declined, wanted.kind]
                preference.save()
    return preference, wanted.kind


def remember_site_language(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    """At sign-in, remember the site's language: e-mails follow it unless the user chose one."""
    language = getattr(request, "LANGUAGE_CODE", "")
    if language not in LANGUAGES:
        return
    updated = MailPreference.objects.filter(user_id=user.pk).exclude(site_language=language).update(
        site_language=language)
    if not updated and not MailPreference.objects.filter(user_id=user.pk).exists():
        MailPreference.objects.create(user_id=user.pk, site_language=language)
