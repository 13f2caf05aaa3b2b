from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "obserwatorium.registry"
    verbose_name = _("Registries")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from obserwatorium.registry.folding import register_sqlite_function
        from obserwatorium.registry.guards import guard_all

        connection_created.connect(register_sqlite_function, dispatch_uid="obs-sqlite-fold")

        # Before the change history's own handlers (history is installed after this app): a refused deletion
        # leaves nothing behind in it.
        guard_all()
