"""The "My tasks" page: where everyone lands after signing in, with a part per role they hold."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from obserwatorium.access import rules
from obserwatorium.workspace import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = rules.scope_of(request.user)
    today = timezone.localdate()
    needs_year = bool(scope.units or scope.domains or scope.office)
    year = selectors.latest_year() if needs_year else None
    context: dict[str, object] = {"scope": scope, "year": year}
    if scope.units:
        context["editor"] = {
            "submissions": selectors.open_submissions(scope.units),
            "missing": selectors.missing_values(scope.units, year),
            "provisional": selectors.provisional_values(scope.units),
            "events": selectors.moderation_outcomes(request.user.pk or 0),
            "actions": selectors.responsible_actions(scope.units, today),
        }
    if scope.forums:
        context["secretary"] = {
            "meetings": selectors.upcoming_meetings(scope.forums),
            "minutes": selectors.meetings_without_minutes(scope.forums),
            "decisions": selectors.decisions_to_follow(scope.forums),
        }
    if scope.domains:
        context["coordinator"] = {
            "plans": selectors.domain_plans(scope.domains),
            "actions": selectors.domain_actions(scope.domains, today),
            "targets": selectors.domain_targets(scope.domains),
            "stale": selectors.stale_indicators(scope.domains, year),
        }
    if scope.office:
        context["office"] = {
            "queue": selectors.moderation_queue(),
            "requests": selectors.request_completeness(),
            "batches": selectors.recent_batches(),
            "syncs": selectors.recent_syncs(),
            "freshness": selectors.freshness_by_source(),
            "stale": selectors.stale_indicators(None, year),
        }
    return render(request, "workspace/home.html", context)
