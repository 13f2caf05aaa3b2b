from django.core.management.base import BaseCommand

from obserwatorium.indicators.chunked import delete_leftovers, roll_back_abandoned


class Command(BaseCommand):
    help = ("Roll back imports left half-applied by a process that was killed (their chunks are removed, the batch "
            "is marked failed), and delete rows they replaced that an applied import left behind.")

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true",
                            help="roll back every batch still being applied, also one whose process may be alive")

    def handle(self, *args, all: bool, **options):  # noqa: A002 - the option's name
        rolled = roll_back_abandoned(everything=all)
        leftovers = delete_leftovers()
        self.stdout.write(f"rolled back: {', '.join(f'#{pk}' for pk in rolled) or 'none'}; "
                          f"replaced rows removed for {leftovers} applied batch(es)")
