"""The gminy's event forms, "Moje wydarzenia" and the office's moderation queue (writes via events.services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from obserwatorium.access import rules
from obserwatorium.events import selectors, services
from obserwatorium.events.forms import EVENT_FIELDS, EventForm, RejectForm
from obserwatorium.events.models import Event, Status


def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")[:-1]


def _event_form(request: HttpRequest, record: Event, title: str) -> HttpResponse:
    form = EventForm(request.POST or None, request.FILES or None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            saved = services.save_event(event=record, values={name: form.cleaned_data[name] for name in EVENT_FIELDS},
                                        user=request.user, submit=submit)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was submitted for review.") if submit
                             else _("The event was saved."))
            return redirect("events:event", pk=saved.pk)
    return render(request, "events/event_form.html", {
        "form": form, "title": title, "event": record if record.pk else None,
        "can_submit": record.status in (Status.DRAFT, Status.REJECTED, Status.WITHDRAWN, Status.SUBMITTED)},
        status=400 if form.errors else 200)


@login_required
def event_add(request: HttpRequest) -> HttpResponse:
    rules.require_create(request.user, Event)
    return _event_form(request, Event(), _("New event"))


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Event.objects.current(), pk=pk)
    rules.require_write(request.user, record)
    if record.status == Status.PUBLISHED and not rules.is_office(request.user):
        raise PermissionDenied(_("A published event is changed by the office; you may withdraw (cancel) it."))
    return _event_form(request, record, record.title)


def _step(request: HttpRequest, pk: int, step, done: str) -> HttpResponse:
    record = get_object_or_404(Event.objects.current(), pk=pk)
    rules.require_write(request.user, record)
    try:
        step(event=record, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("events:event", pk=record.pk)


@login_required
@require_POST
def event_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.submit_event, _("The event was submitted for review."))


@login_required
@require_POST
def event_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, services.withdraw_event, _("The event was withdrawn."))


@login_required
def my_events(request: HttpRequest) -> HttpResponse:
    """The events of the user's gminy with their status and the office's decision ("Moje wydarzenia")."""
    if not rules.may_create_any(request.user, Event):
        raise PermissionDenied(_("Only the gminy's editors and the office keep events."))
    return render(request, "events/mine.html", {"events": selectors.events_of(request.user)[:500],
                                                "statuses": Status})


def _require_moderator(request: HttpRequest) -> None:
    if not rules.is_office(request.user):
        raise PermissionDenied(_("Only the association's office moderates events."))


def _queue(request: HttpRequest, *, reject_forms: dict | None = None, status: int = 200) -> HttpResponse:
    queue = list(selectors.moderation_queue()[:500])
    reject_forms = reject_forms or {}
    rows = [{"event": e, "reject": reject_forms.get(e.pk) or RejectForm(prefix=f"reject-{e.pk}")} for e in queue]
    return render(request, "events/moderation.html", {"rows": rows},
                  status=status)


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    _require_moderator(request)
    return _queue(request)


@login_required
@require_POST
def moderation_publish(request: HttpRequest) -> HttpResponse:
    """Publish the selected submitted events (all or none)."""
    _require_moderator(request)
    ids = [int(value) for value in request.POST.getlist("selected") if value.isdigit()]
    chosen = list(selectors.moderation_queue().filter(pk__in=ids))
    if not chosen:
        messages.error(request, _("Select the events to publish."))
        return redirect("events:moderation")
    published = services.publish_events(events=chosen, user=request.user, site_url=_site_url(request))
    messages.success(request, ngettext("%(count)d event published.", "%(count)d events published.",
                                       len(published)) % {"count": len(published)})
    return redirect("events:moderation")


@login_required
@require_POST
def event_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _require_moderator(request)
    record = get_object_or_404(Event.objects.current(), pk=pk)
    try:
        services.publish_event(event=record, user=request.user, site_url=_site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The event was published."))
    return redirect("events:event", pk=record.pk)


@login_required
@require_POST
def event_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Reject a submitted event with the reason (required; shown next to the field when missing)."""
    _require_moderator(request)
    record = get_object_or_404(Event.objects.current(), pk=pk)
    form = RejectForm(request.POST, prefix=f"reject-{record.pk}")
    if form.is_valid():
        try:
            services.reject_event(event=record, user=request.user, reason=form.cleaned_data["reason"],
                                  site_url=_site_url(request))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The event was rejected; its gmina is told why."))
            return redirect("events:moderation")
    return _queue(request, reject_forms={record.pk: form}, status=400)
