from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "obserwatorium.web"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from obserwatorium.web import security  # noqa: F401  (connects the security log's receivers)

        connection_created.connect(_sqlite_files_owner_only, dispatch_uid="obs-sqlite-owner-only")


def _sqlite_files_owner_only(sender, connection, **kwargs) -> None:
    """The SQLite database and its -wal/-shm files readable by their owner only (0600), once SQLite made them."""
    from pathlib import Path

    from obserwatorium import config

    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or not name or name.startswith(":memory:") or "mode=memory" in name:
        return
    for suffix in ("", "-wal", "-shm"):
        config.owner_only_file(Path(name + suffix), create=False)
