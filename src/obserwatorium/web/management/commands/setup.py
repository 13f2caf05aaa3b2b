from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Prepare a site: migrate, compile translations, build assets, load a preset and (optionally) demo data, "
            "write the search index.")

    def add_arguments(self, parser):
        parser.add_argument("--preset", default="krakow", help="preset to load (default: krakow)")
        parser.add_argument("--demo", action="store_true", help="also generate demonstration data")

    def handle(self, *args, preset="krakow", demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("translations", verbosity=0)
        call_command("assets")
        call_command("collectstatic", interactive=False, verbosity=0)
        call_command("preset", "load", preset)
        if demo:
            call_command("preset", "demo", preset)
        call_command("search", "rebuild", verbosity=0)
        self.stdout.write(self.style.SUCCESS("ready"))
