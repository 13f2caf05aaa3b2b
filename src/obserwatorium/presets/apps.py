from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresetsConfig(AppConfig):
    name = "obserwatorium.presets"
    verbose_name = _("Presets")
