"""What each role has to do, read for the "My tasks" page: one function per section, each a fixed number of
queries whatever the number of records (tests/workspace asserts the counts).

A section is a list of rows already limited to what a page can show (`LIMIT` each), with the total when more
exist. The scope comes from access.rules.scope_of: a municipal editor's gminy, a secretary's forums, a
coordinator's domains, the office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from obserwatorium.collection.models import RequestStatus, Submission, SubmissionStatus
from obserwatorium.cooperation.meetings import Decision, FollowUp
from obserwatorium.cooperation.models import Meeting
from obserwatorium.events.models import Event, Status
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
from obserwatorium.ingest.models import SyncRun
from obserwatorium.strategy.models import Action, ActionPlan, ActionStatus, Target

LIMIT = 12
OPEN_ACTION = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.DELAYED)
SOON = timedelta(days=30)  # an action ending within this is "progress due"
YEAR = r"^[0-9]{4}$"


@dataclass
class Section:
    """One list of the page: its rows (at most LIMIT) and how many there are in all."""

    rows: list[Any] = field(default_factory=list)
    total: int = 0

    @classmethod
    def of(cls, rows: list[Any], total: int | None = None) -> Section:
        return cls(rows=rows[:LIMIT], total=len(rows) if total is None else total)


def latest_year() -> str | None:
    """The latest year any observation is for (1 query): 'current data' means a value for it."""
    return Observation.objects.filter(period__regex=YEAR).aggregate(last=Max("period"))["last"]


# Municipal editor ------------------------------------------------------------------------------------------

def open_submissions(units: frozenset[int]) -> Section:
    """The gminy's submissions still to send to open requests, the nearest deadline first (1 query)."""
    rows = list(Submission.objects.filter(unit__in=units, request__status=RequestStatus.OPEN,
                                          status__in=(SubmissionStatus.DRAFT, SubmissionStatus.REOPENED))
                .select_related("request", "unit").order_by("request__deadline", "unit__name"))
    return Section.of(rows)


def missing_values(units: frozenset[int], year: str | None) -> Section:
    """Indicators some member has a value for in the latest year and the gmina has not (1 query)."""
    if year is None or not units:
        return Section()
    rows = list(Indicator.objects.filter(observations__period=year).exclude(
        observations__period=year, observations__unit__in=units).distinct().select_related("domain")
        .order_by("domain__order", "order", "code"))
    return Section.of(rows)


def provisional_values(units: frozenset[int]) -> Section:
    """The gminy's values still flagged provisional or estimated, the latest first (1 query)."""
    rows = list(Observation.objects.filter(unit__in=units, flag__in=(Flag.PROVISIONAL, Flag.ESTIMATED))
                .select_related("indicator", "unit").order_by("-period", "indicator__code")[:LIMIT + 1])
    return Section(rows=rows[:LIMIT], total=len(rows))


def moderation_outcomes(user_id: int) -> Section:
    """The user's submitted events and what the office decided, the latest decision first (1 query)."""
    rows = list(Event.objects.filter(submitted_by_id=user_id, status__in=(
        Status.SUBMITTED, Status.PUBLISHED, Status.REJECTED)).select_related("unit")
        .order_by("-decided_at", "-submitted_at")[:LIMIT + 1])
    return Section(rows=rows[:LIMIT], total=len(rows))


def responsible_actions(units: frozenset[int], today: date) -> Section:
    """Open actions the gminy are responsible for; those ending within 30 days or late first (1 query)."""
    rows = list(Action.objects.filter(responsible_unit__in=units, status__in=OPEN_ACTION)
                .select_related("plan", "responsible_unit").order_by("end_date", "code"))
    for action in rows:
        action.due = action.end_date is not None and action.end_date <= today + SOON
    return Section.of(rows)


# Forum secretary -------------------------------------------------------------------------------------------

def upcoming_meetings(forums: frozenset[int]) -> Section:
    """The forums' meetings still to come, the nearest first (1 query)."""
    rows = list(Meeting.objects.filter(forum__in=forums, starts_at__gte=timezone.now())
                .select_related("forum").order_by("starts_at"))
    return Section.of(rows)


def meetings_without_minutes(forums: frozenset[int]) -> Section:
    """The forums' past meetings whose minutes are not written yet, the latest first (1 query)."""
    rows = list(Meeting.objects.filter(forum__in=forums, starts_at__lt=timezone.now(), minutes="")
                .select_related("forum").order_by("-starts_at"))
    return Section.of(rows)


def decisions_to_follow(forums: frozenset[int], domains: frozenset[int] = frozenset()) -> Section:
    """The forums' decisions still to be done or in progress, the earliest due first (1 query)."""
    rows = list(Decision.objects.filter(Q(meeting__forum__in=forums) | Q(meeting__forum__domain__in=domains),
                                        follow_up__in=(FollowUp.OPEN, FollowUp.IN_PROGRESS))
                .select_related("meeting__forum").order_by("due_on", "meeting__starts_at", "number"))
    return Section.of(rows)


# Domain coordinator ----------------------------------------------------------------------------------------

def domain_plans(domains: frozenset[int]) -> Section:
    """The domains' action plans with their count of open actions (1 query)."""
    rows = list(ActionPlan.objects.filter(domain__in=domains).select_related("domain").annotate(
        open_actions=Count("actions", filter=Q(actions__status__in=OPEN_ACTION))).order_by("domain__order", "pk"))
    return Section.of(rows)


def domain_actions(domains: frozenset[int], today: date) -> Section:
    """The domains' open actions, the nearest end first (1 query)."""
    rows = list(Action.objects.filter(plan__domain__in=domains, status__in=OPEN_ACTION)
                .select_related("plan", "responsible_unit").order_by("end_date", "code"))
    for action in rows:
        action.due = action.end_date is not None and action.end_date <= today + SOON
    return Section.of(rows)


def domain_targets(domains: frozenset[int]) -> Section:
    """The targets of the domains' indicators, the nearest target year first (1 query)."""
    rows = list(Target.objects.filter(indicator__domain__in=domains).select_related("indicator", "unit")
                .order_by("target_year", "indicator__code"))
    return Section.of(rows)


def stale_indicators(domains: frozenset[int] | None, year: str | None) -> Section:
    """Indicators (of the domains; all for None) without a value for the latest year, with their last year
    (1 query)."""
    found = Indicator.objects.annotate(last=Max("observations__period", filter=Q(observations__period__regex=YEAR)))
    if domains is not None:
        found = found.filter(domain__in=domains)
    if year is not None:
        found = found.filter(Q(last__lt=year) | Q(last__isnull=True))
    rows = list(found.select_related("domain").order_by("last", "code"))
    return Section.of(rows)


# Office ----------------------------------------------------------------------------------------------------

def moderation_queue() -> Section:
    """Events waiting for the office's decision, the oldest first (1 query)."""
    rows = list(Event.objects.filter(status=Status.SUBMITTED).select_related("unit", "submitted_by")
                .order_by("submitted_at", "pk"))
    return Section.of(rows)


def recent_batches() -> Section:
    """The latest imports and syncs with their counts, failed ones included (1 query)."""
    rows = list(ImportBatch.objects.exclude(kind__in=(BatchKind.DERIVED, BatchKind.DEMO)).select_related("user")
                .order_by("-created_at", "-pk")[:LIMIT])
    return Section(rows=rows, total=len(rows))


def recent_syncs() -> Section:
    """The latest BDL sync runs (1 query)."""
    rows = list(SyncRun.objects.order_by("-started_at", "-pk")[:LIMIT])
    return Section(rows=rows, total=len(rows))


def freshness_by_source() -> Section:
    """Per source of imported data: its kind, the last retrieval (or import) and how many batches (1 query)."""
    # Derived batches are recomputations of the site's own, not a source of data.
    rows = list(ImportBatch.objects.filter(status="applied").exclude(kind=BatchKind.DERIVED).values(
        "kind", "source").annotate(
        last_retrieved=Max("retrieved_at"), last_import=Max("created_at"), batches=Count("pk"))
        .order_by("last_import"))
    return Section.of(rows)


def request_completeness() -> Section:
    """Each open request: its gminy, how many submitted (or accepted) and its deadline (1 query)."""
    rows = list(Submission.objects.filter(request__status=RequestStatus.OPEN)
                .values("request_id", "request__title", "request__deadline").annotate(
                    gminy=Count("pk"), sent=Count("pk", filter=Q(status__in=(SubmissionStatus.SUBMITTED,
                                                                            SubmissionStatus.ACCEPTED))))
                .order_by("request__deadline", "request_id"))
    for row in rows:
        row["percent"] = round(100 * row["sent"] / row["gminy"]) if row["gminy"] else 0
    return Section.of(rows)
