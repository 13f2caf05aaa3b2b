from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "obserwatorium.notifications"
    verbose_name = _("E-mail notifications")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from obserwatorium.notifications.services import remember_site_language

        user_logged_in.connect(remember_site_language, dispatch_uid="notifications-site-language")
