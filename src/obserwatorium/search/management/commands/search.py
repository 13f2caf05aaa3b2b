"""`obserwatorium search rebuild`: write the search index anew (after a bulk load that bypassed it)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from obserwatorium.search.index import rebuild
from obserwatorium.search.providers import KINDS


class Command(BaseCommand):
    help = "Write the site search's index anew from the public records."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", help="rebuild")
        again = actions.add_parser("rebuild", help="write the index anew (all kinds, or those named)")
        again.add_argument("kinds", nargs="*", metavar="KIND",
                           help=f"kinds to rebuild: {', '.join(KINDS)} (default: all)")

    def handle(self, *args, action: str, kinds: list[str], **options):
        unknown = [kind for kind in kinds if kind not in KINDS]
        if unknown:
            raise CommandError(_("Unknown kind: %(kinds)s; the kinds are: %(known)s.")
                               % {"kinds": ", ".join(unknown), "known": ", ".join(KINDS)})
        counts = rebuild(kinds or None)
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in counts.items()))
