from django.core.management import call_command
from django.core.management.base import BaseCommand

from obserwatorium.web.assets import build_assets


class Command(BaseCommand):
    help = ("Build the offline chart bundle (Vega, Vega-Lite, vega-embed) from the vl-convert wheel and collect the "
            "static files under hashed names, with their .br and .gz.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="rebuild even when up to date")

    def handle(self, *args, force=False, **options):
        path = build_assets(force=force)
        self.stdout.write(f"chart bundle: {path}")
        # Only the files that changed are compressed again (web.static_storage).
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("static files collected")
