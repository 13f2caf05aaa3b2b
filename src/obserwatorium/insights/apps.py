from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "obserwatorium.insights"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from obserwatorium.indicators.signals import observations_written
        from obserwatorium.insights.receivers import recompute_after_write

        observations_written.connect(recompute_after_write, dispatch_uid="insights-recompute-derived")
