from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "obserwatorium.cooperation"
    verbose_name = _("Cooperation registries")
