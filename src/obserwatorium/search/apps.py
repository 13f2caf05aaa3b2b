from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "obserwatorium.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from obserwatorium.search import index

        index.connect_signals()
