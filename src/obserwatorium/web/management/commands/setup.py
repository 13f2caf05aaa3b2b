from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Prepare a site: migrate, compile translations, build assets, load a preset and (optionally) demo data, "
            "write the search index.")

    def add_arguments(self, parser):
        parser.add_argument("--preset", default="krakow", help="preset to load (default: krakow)")
        parser.add_argument("--demo", action="store_true", help="also generate demonstration data")
        parser.add_argument("--boundaries", type=Path, metavar="FILE",
                            help="also import official boundaries (a PRG shapefile .shp/.zip or GeoJSON), so the "
                                 "maps draw them instead of the tile grid")

    def handle(self, *args, preset="krakow", demo=False, boundaries=None, **options):
        if boundaries is not None and not boundaries.is_file():
            # Checked before anything is written: a mistyped path must not leave a half-prepared site behind.
            raise CommandError(f"--boundaries: no such file: {boundaries}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("translations", verbosity=0)
        call_command("assets")  # collects the static files too
        call_command("preset", "load", preset)
        if demo:
            call_command("preset", "demo", preset)
        if boundaries is not None:
            call_command("geo", "import", str(boundaries), stdout=self.stdout)
        call_command("search", "rebuild", verbosity=0)
        self.stdout.write(self.style.SUCCESS("ready"))
