from django.core.management.base import BaseCommand

from obserwatorium.web.assets import build_assets


class Command(BaseCommand):
    help = "Build the offline chart bundle (Vega, Vega-Lite, vega-embed) from the vl-convert wheel."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="rebuild even when up to date")

    def handle(self, *args, force=False, **options):
        path = build_assets(force=force)
        self.stdout.write(f"chart bundle: {path}")
