from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "obserwatorium.territory"
    verbose_name = _("Territorial units")
