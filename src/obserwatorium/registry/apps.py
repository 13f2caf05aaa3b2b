from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "obserwatorium.registry"
    verbose_name = _("Registries")

    def ready(self) -> None:
        from obserwatorium.registry.guards import guard_all

        # Before the change history's own handlers (history is installed after this app): a refused deletion
        # leaves nothing behind in it.
        guard_all()
