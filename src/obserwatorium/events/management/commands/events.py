"""`obserwatorium events import-feeds`: import the gminy's iCalendar feeds (for a schedule), or one file."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from obserwatorium.events import services
from obserwatorium.events.feed_report import FeedReport
from obserwatorium.events.ical_reader import MAX_FEED_BYTES
from obserwatorium.events.models import EventFeed
from obserwatorium.territory.models import Unit


class Command(BaseCommand):
    help = ("Import the gminy's event feeds: `events import-feeds` fetches every active feed with an address "
            "(each with the rights of the account that added it); --feed ID one feed; --file PATH --gmina TERYT "
            "imports a file into that gmina's feed of uploaded files. Exit status 1 when a feed was refused.")

    transport = None  # tests inject an httpx transport here; the product fetches from the network

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import-feeds"], help="import-feeds: fetch and import the feeds")
        parser.add_argument("--feed", type=int, metavar="ID", help="only this feed (its id on the feeds page)")
        parser.add_argument("--file", type=Path, metavar="PATH",
                            help="import this .ics file instead of fetching (with --feed, or --gmina)")
        parser.add_argument("--gmina", metavar="TERYT",
                            help="with --file: the member gmina whose feed of uploaded files receives it (created "
                                 "when missing, by --user)")
        parser.add_argument("--user", metavar="USERNAME",
                            help="act as this account (default: the account that added each feed)")

    def handle(self, *args, action, feed, file, gmina, user, **options):
        if file is not None and feed is None and not gmina:
            raise CommandError("--file needs --feed ID or --gmina TERYT")
        if gmina and file is None:
            raise CommandError("--gmina goes with --file")
        actor = self._user(user) if user else None
        if file is not None:
            target = self._file_feed(gmina, actor) if feed is None else self._feed(feed)
            content = self._read(file)
            reports = [(target, self._import(target, actor, content=content, source=str(file)))]
        else:
            feeds = [self._feed(feed)] if feed is not None else list(
                EventFeed.objects.current().filter(active=True).exclude(url="").select_related("unit"))
            reports = [(target, self._import(target, actor)) for target in feeds]
        for target, report in reports:
            self.stdout.write(f"{target.pk} {target.name} ({target.unit.name}): {report.summary()}")
            for problem in report.problems:
                where = " ".join(part for part in (problem.uid, problem.property) if part)
                self.stdout.write(f"  {where + ': ' if where else ''}{problem.message()}")
        if any(report.changed_nothing for _, report in reports):
            raise SystemExit(1)

    def _import(self, feed: EventFeed, actor, *, content: bytes | None = None, source: str = "") -> FeedReport:
        acting = actor or feed.added_by
        if acting is None:
            raise CommandError(f"feed {feed.pk} has no account to act as: pass --user USERNAME")
        try:
            if content is not None:
                return services.import_feed(feed=feed, content=content, user=acting, source=source)
            return services.run_feed(feed=feed, user=acting, transport=self.transport)
        except PermissionDenied as error:
            raise CommandError(f"{acting} may not import feed {feed.pk} ({feed.unit.name}): {error}") from None

    def _user(self, username: str):
        found = get_user_model().objects.filter(username=username, is_active=True).first()
        if found is None:
            raise CommandError(f"--user: no active account {username!r}")
        return found

    def _feed(self, pk: int) -> EventFeed:
        found = EventFeed.objects.current().select_related("unit").filter(pk=pk).first()
        if found is None:
            raise CommandError(f"--feed: no feed with id {pk}")
        return found

    def _file_feed(self, teryt: str, actor) -> EventFeed:
        unit = Unit.objects.members().current().filter(teryt=teryt).first()
        if unit is None:
            raise CommandError(f"--gmina: no member gmina with TERYT code {teryt!r}")
        existing = EventFeed.objects.current().filter(unit=unit, url="").select_related("unit").first()
        if existing is not None:
            return existing
        if actor is None:
            raise CommandError("--gmina: the gmina has no feed of uploaded files yet; pass --user USERNAME to add it")
        try:
            return services.add_feed(values={"unit": unit, "name": f"{unit.name}: files", "url": ""}, user=actor,
                                     via="bulk")
        except PermissionDenied as error:
            raise CommandError(f"{actor} may not add a feed for {unit.name}: {error}") from None

    def _read(self, path: Path) -> bytes:
        try:
            with path.open("rb") as handle:
                return handle.read(MAX_FEED_BYTES + 1)
        except OSError as error:
            raise CommandError(f"--file: {error}") from None
