from django.apps import AppConfig


class DataVersionConfig(AppConfig):
    name = "obserwatorium.dataversion"
    label = "dataversion"
    verbose_name = "Data version"

    def ready(self) -> None:
        from obserwatorium.dataversion import tracking

        tracking.connect()
