from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionConfig(AppConfig):
    name = "obserwatorium.collection"
    verbose_name = _("Data collection from the gminy")
