from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "obserwatorium.web"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from obserwatorium.web import security  # noqa: F401  (connects the security log's receivers)
