"""Cooperation pages: forums and their meetings (with iCalendar feeds), projects, partners and agreements (the
documents' pages are in `document_views`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.cooperation import meeting_selectors, selectors
from obserwatorium.cooperation.forms import ProjectFilterForm
from obserwatorium.cooperation.models import Forum, Meeting
from obserwatorium.cooperation.services import meeting_entries, save_meeting_form
from obserwatorium.events.feeds import calendar_response
from obserwatorium.vocabulary import is_year


def forums(request: HttpRequest) -> HttpResponse:
    return render(request, "cooperation/forums.html", {
        "forums": selectors.public_forums(),
        "aggregates": selectors.aggregates(subjects=selectors.FORUM_AGGREGATES),
        "counts_by_forum": selectors.meeting_counts(by="forum"),
        "counts_by_domain": selectors.meeting_counts(by="domain"),
        "recent_meetings": selectors.public_meetings()[:10],
        "association_events": selectors.public_association_events(),
    })


def _public_forum(slug: str) -> Forum:
    return get_object_or_404(selectors.public_forums(), slug=slug)


def forum(request: HttpRequest, slug: str) -> HttpResponse:
    record = _public_forum(slug)
    probe = Meeting(forum=record)
    activity = meeting_selectors.year_table(meeting_selectors.attended_counts(forum=record))
    held = meeting_selectors.held_counts(forum=record, now=timezone.now())
    return render(request, "cooperation/forum.html", {
        "forum": record, "meetings": selectors.public_meetings(forum=record),
        "can_add_meeting": rules.may_write(request.user, probe),
        "activity": activity, "activity_title": _("Meetings attended per member gmina and year"),
        "activity_row_label": _("Gmina"), "activity_footer_label": _("Meetings held"),
        "activity_footer": [held.get(year, 0) for year in activity.years],
    })


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.public_meetings(), pk=pk)
    can_edit = rules.may_write(request.user, record)
    attachments = [a for a in record.attachments.all() if can_edit or not a.internal]
    return render(request, "cooperation/meeting.html", {
        "meeting": record, "can_edit": can_edit, "attachments": attachments})


@login_required
def meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    record = get_object_or_404(Forum.objects.current(), slug=slug)
    rules.require_write(request.user, Meeting(forum=record))
    form, saved = save_meeting_form(request=request, meeting=Meeting(forum=record))
    if saved is not None:
        return redirect("cooperation:meeting", pk=saved.pk)
    return render(request, "cooperation/meeting_workspace_form.html", {
        "form": form, "meeting": Meeting(forum=record),
        "title": _("New meeting of %(forum)s") % {"forum": record.name}},
        status=400 if form.errors else 200)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Meeting.objects.current(), pk=pk)
    rules.require_write(request.user, record)
    form, saved = save_meeting_form(request=request, meeting=record)
    if saved is not None:
        return redirect("cooperation:meeting", pk=saved.pk)
    return render(request, "cooperation/meeting_workspace_form.html", {
        "form": form, "meeting": record, "title": _("Meeting of %(forum)s") % {"forum": record.forum.name}},
        status=400 if form.errors else 200)


def meetings_ical(request: HttpRequest) -> HttpResponse:
    entries = meeting_entries(selectors.public_meetings(), base=request.build_absolute_uri("/")[:-1])
    return calendar_response(name=_("Meetings of the forums"), filename="meetings.ics", entries=entries)


def forum_ical(request: HttpRequest, slug: str) -> HttpResponse:
    record = _public_forum(slug)
    entries = meeting_entries(selectors.public_meetings(forum=record), base=request.build_absolute_uri("/")[:-1])
    return calendar_response(name=record.name, filename=f"{record.slug}.ics", entries=entries)


def projects(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    filters = selectors.ProjectFilters(**form.cleaned_data) if form.is_valid() else selectors.ProjectFilters()
    return render(request, "cooperation/projects.html", {
        "form": form, "projects": selectors.public_projects(filters), "filtered": any(vars(filters).values())})


def project(request: HttpRequest, slug: str) -> HttpResponse:
    record = get_object_or_404(selectors.public_projects(), slug=slug)
    return render(request, "cooperation/project.html", {"project": record})


def partners(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    if year and not is_year(year):
        raise Http404
    return render(request, "cooperation/partners.html", {
        "partners": selectors.partners_with_start(),
        "agreements": selectors.public_agreements(),
        "aggregates": selectors.aggregates(subjects=selectors.PARTNER_AGGREGATES),
        "new_partner_counts": selectors.new_partner_counts(),
        "year": int(year) if year else None,
        "new_partners": selectors.new_partners(year=int(year)) if year else None,
        "partners_url": reverse("cooperation:partners"),
    })
