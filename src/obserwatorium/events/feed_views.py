"""Pages of the gminy's event feeds: the list with a form to add one, and a feed with its last report, a button
to fetch it now and a form to upload its file. The office sees every feed; a gmina editor their gmina's."""

from __future__ import annotations

import httpx
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from obserwatorium.access import rules
from obserwatorium.events import services
from obserwatorium.events.feed_report import FeedReport
from obserwatorium.events.forms import EventFeedForm, FeedUploadForm
from obserwatorium.events.ical_reader import MAX_FEED_BYTES
from obserwatorium.events.models import EventFeed

# The transport of the feed fetches (None: the network); tests serve their feeds through one.
TRANSPORT: httpx.BaseTransport | None = None


def _require_feed_rights(request: HttpRequest) -> None:
    if not rules.may_create_any(request.user, EventFeed) and not rules.may_write_any(request.user, EventFeed):
        raise PermissionDenied(_("You may not manage event feeds."))


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    _require_feed_rights(request)
    form = EventFeedForm(request.POST or None, user=request.user)
    if request.method == "POST":
        rules.require_create(request.user, EventFeed)
        if form.is_valid():
            feed = services.add_feed(values=form.cleaned_data, user=request.user)
            return redirect("events:feed", pk=feed.pk)
    listed = rules.writable(request.user, EventFeed.objects.current().select_related("unit"))
    return render(request, "events/feeds.html", {"form": form, "feeds": listed},
                  status=400 if form.errors else 200)


def _feed_for(request: HttpRequest, pk: int) -> EventFeed:
    feed = get_object_or_404(EventFeed.objects.current().select_related("unit"), pk=pk)
    rules.require_write(request.user, feed)
    return feed


@login_required
def feed(request: HttpRequest, pk: int) -> HttpResponse:
    record = _feed_for(request, pk)
    report = FeedReport.from_json(record.last_report) if record.last_report else None
    return _feed_page(request, record, report, FeedUploadForm())


def _feed_page(request: HttpRequest, record: EventFeed, report: FeedReport | None, upload: FeedUploadForm,
               status: int = 200) -> HttpResponse:
    return render(request, "events/feed.html", {
        "feed": record, "report": report, "upload": upload,
        "events": record.events.order_by("-archived_at", "starts_at")[:50]}, status=status)


@login_required
@require_POST
def feed_run(request: HttpRequest, pk: int) -> HttpResponse:
    """Fetch the feed's address now, or import the uploaded file; the page shows the report."""
    record = _feed_for(request, pk)
    if "file" in request.FILES or not record.url:
        upload = FeedUploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return _feed_page(request, record, None, upload, status=400)
        file = upload.cleaned_data["file"]
        content = file.read(MAX_FEED_BYTES + 1)
        report = services.import_feed(feed=record, content=content, user=request.user, source=file.name)
    else:
        report = services.run_feed(feed=record, user=request.user, transport=TRANSPORT)
    return _feed_page(request, record, report, FeedUploadForm(), status=400 if report.changed_nothing else 200)
