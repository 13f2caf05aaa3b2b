from django.core.management.base import BaseCommand

from obserwatorium.presets.demo import load_demo_data
from obserwatorium.presets.loader import load_preset


class Command(BaseCommand):
    help = ("Load a preset's units, domains, catalogue and facts (`preset load NAME`) "
            "or its demo data (`preset demo NAME`).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "demo"],
                            help="load: units, domains, catalogue and facts; demo: generated demonstration data")
        parser.add_argument("name", nargs="?", default="krakow", help="the preset (default: krakow)")

    def handle(self, *args, action, name, **options):
        if action == "load":
            summary = load_preset(name=name)
            self.stdout.write(", ".join(f"{key}: {value}" for key, value in summary.items()))
        else:
            outcome = load_demo_data(name=name)
            counts = outcome.counts
            self.stdout.write(f"demo data: {counts.inserted} inserted, {counts.updated} updated, "
                              f"{counts.unchanged} unchanged")
