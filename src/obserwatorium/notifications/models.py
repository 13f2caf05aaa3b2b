"""Who receives which e-mail: one preference per account (or per bare address, such as a partner's contact)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from obserwatorium.history.models import TrackedModel


class Kind(models.TextChoices):
    """Every kind of e-mail the product sends; each one can be declined on its own."""

    DATA_REQUEST = "data-request", _("new data requests to my gmina")
    REMINDER = "reminder", _("reminders of data requests not yet submitted")
    MODERATION = "moderation", _("the office's decisions on the events I submitted")
    INVITATION = "invitation", _("invitations to meetings of forums")


class MailLanguage(models.TextChoices):
    SITE = "", _("the language I last used on the site")
    PL = "pl", _("Polish")
    EN = "en", _("English")


class MailPreference(TrackedModel):
    """What one recipient declined, and the language their e-mail is written in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="mail_preference")
    address = models.EmailField(_("e-mail address"), blank=True,
                                help_text=_("For a recipient without an account (a partner's contact)."))
    declined = models.JSONField(_("declined kinds of e-mail"), default=list, blank=True)
    language = models.CharField(_("language of e-mails"), max_length=8, blank=True, choices=MailLanguage.choices)
    site_language = models.CharField(_("language last used on the site"), max_length=8, blank=True, editable=False)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [
            models.CheckConstraint(
                name="mail_preference_user_or_address",
                condition=(Q(user__isnull=False, address="") | Q(user__isnull=True) & ~Q(address="")),
                violation_error_message=_("A preference belongs to an account or to an address.")),
            models.UniqueConstraint(fields=["address"], condition=~Q(address=""), name="mail_preference_one_address"),
        ]

    def receives(self, kind: str) -> bool:
        return kind not in self.declined

    def __str__(self) -> str:
        return str(self.user) if self.user_id else self.address
