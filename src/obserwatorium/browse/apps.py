from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrowseConfig(AppConfig):
    name = "obserwatorium.browse"
    verbose_name = _("Browse data")
