from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "obserwatorium.history"
    verbose_name = _("Change history")

    def ready(self) -> None:
        from obserwatorium.history.tracking import track_all

        track_all()
