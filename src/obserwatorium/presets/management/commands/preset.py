"""`obserwatorium preset load|demo NAME`: load a preset's files (all checked first) or its demo data."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from obserwatorium.presets.demo import load_demo_data
from obserwatorium.presets.files import PresetError, preset_dir
from obserwatorium.presets.pipeline import load_preset


class Command(BaseCommand):
    help = ("Load a preset's units, domains, catalogue and facts (`preset load NAME`) "
            "or its demo data (`preset demo NAME`).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "demo"],
                            help="load: units, domains, catalogue and facts; demo: generated demonstration data")
        parser.add_argument("name", nargs="?", default="krakow", help="the preset (default: krakow)")

    def handle(self, *args, action, name, **options):
        try:
            if action == "load":
                summary = load_preset(path=preset_dir(name))
                self.stdout.write(", ".join(f"{key}: {value}" for key, value in summary.items()))
            else:
                counts = load_demo_data(name=name).counts
                self.stdout.write(f"demo data: {counts.inserted} inserted, {counts.updated} updated, "
                                  f"{counts.unchanged} unchanged")
        except FileNotFoundError as error:
            raise CommandError(str(error)) from None
        except PresetError as error:
            closing = _("Nothing was loaded: %(count)s problems in the preset files.") % {"count": len(error.problems)}
            raise CommandError("\n".join([*error.problems, closing])) from None
