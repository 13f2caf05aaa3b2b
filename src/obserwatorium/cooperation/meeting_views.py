"""Pages of the meetings across forums and of a meeting's workspace: the filtered list with yearly counts, and the
agenda, decision, attendance and invitation pages of the forum's secretary, its domain's coordinator and the office.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.cooperation import meeting_selectors, selectors
from obserwatorium.cooperation.invitations import invitees, next_sequence, send_invitations
from obserwatorium.cooperation.meeting_forms import AgendaForm, AttendanceForm, DecisionForm, MeetingFilterForm
from obserwatorium.cooperation.meeting_services import add_decision, record_attendance, save_agenda, save_decision
from obserwatorium.cooperation.meetings import Decision, Invitation
from obserwatorium.cooperation.models import Meeting

PAGE_SIZE = 25
FORM = "cooperation/meeting_workspace_form.html"


def meetings(request: HttpRequest) -> HttpResponse:
    """Every published meeting of every forum, filtered and paginated, with the yearly counts."""
    form = MeetingFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(meeting_selectors.filtered_meetings(filters, now=timezone.now()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cooperation/meetings.html", {
        "form": form, "page": page, "query": query.urlencode(), "filtered": any(vars(filters).values()),
        "by_forum": meeting_selectors.year_table(selectors.meeting_counts(by="forum")),
        "by_domain": meeting_selectors.year_table(selectors.meeting_counts(by="domain")),
    }, status=400 if form.errors else 200)


def _writable_meeting(request: HttpRequest, pk: int) -> Meeting:
    record = get_object_or_404(Meeting.objects.current().select_related("forum", "forum__domain"), pk=pk)
    rules.require_write(request.user, record)
    return record


def _form_page(request: HttpRequest, meeting: Meeting, form, title: str, **extra) -> HttpResponse:
    return render(request, FORM, {"form": form, "meeting": meeting, "title": title, **extra},
                  status=400 if form.errors else 200)


@login_required
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _writable_meeting(request, pk)
    initial = "\n".join(item.title for item in meeting.agenda_items.all())
    form = AgendaForm(request.POST or None, initial={"items": initial})
    if request.method == "POST" and form.is_valid():
        save_agenda(meeting=meeting, titles=form.cleaned_data["items"], user=request.user)
        messages.success(request, _("The agenda was saved."))
        return redirect("cooperation:meeting", pk=meeting.pk)
    return _form_page(request, meeting, form, _("Agenda of the meeting"))


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _writable_meeting(request, pk)
    form = DecisionForm(request.POST or None, instance=Decision(meeting=meeting))
    if request.method == "POST" and form.is_valid():
        decision = add_decision(meeting=meeting, values=form.cleaned_data, user=request.user)
        messages.success(request, _("Decision %(number)d was recorded.") % {"number": decision.number})
        return redirect("cooperation:meeting", pk=meeting.pk)
    return _form_page(request, meeting, form, _("New decision of the meeting"))


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("meeting__forum"), pk=pk,
                                 meeting__archived_at__isnull=True)
    rules.require_write(request.user, decision)
    form = DecisionForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        save_decision(decision=Decision.objects.get(pk=decision.pk), values=form.cleaned_data, user=request.user)
        messages.success(request, _("Decision %(number)d was saved.") % {"number": decision.number})
        return redirect("cooperation:meeting", pk=decision.meeting_id)
    return _form_page(request, decision.meeting, form,
                      _("Decision %(number)d of the meeting") % {"number": decision.number})


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _writable_meeting(request, pk)
    form = AttendanceForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        record_attendance(meeting=meeting, marks=form.marks(), user=request.user)
        messages.success(request, _("The attendance was saved."))
        return redirect("cooperation:meeting", pk=meeting.pk)
    return _form_page(request, meeting, form, _("Attendance at the meeting"), attendance_form=True)


@login_required
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    """Who will be invited and who was, when; POST sends the invitations."""
    meeting = _writable_meeting(request, pk)
    rules.require_write(request.user, Invitation(meeting=meeting))
    error = ""
    if request.method == "POST":
        try:
            sent = send_invitations(meeting=meeting, user=request.user, base_url=request.build_absolute_uri("/"))
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("Invitations were sent to %(n)d recipients.") % {"n": len(sent.recipients)})
            return redirect("cooperation:meeting-invitations", pk=meeting.pk)
    return render(request, "cooperation/meeting_invitations.html", {
        "meeting": meeting, "invitees": invitees(meeting), "sent": meeting.invitations.select_related("sent_by"),
        "sequence": next_sequence(meeting), "error": error, "past": meeting.starts_at <= timezone.now(),
    }, status=400 if error else 200)
