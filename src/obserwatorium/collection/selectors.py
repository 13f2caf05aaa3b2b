"""Reads of data requests: who sees which, the grid of one submission, completeness per gmina and indicator.

Requests are never public: the office reads every one, a municipal editor the requests addressed to their gmina
(and only their gmina's submission), anyone else nothing (403).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.collection.cells import CellCheck, CellInput, Key, allowed_range, check_cell
from obserwatorium.collection.models import DataRequest, Submission, SubmissionStatus, SubmissionValue
from obserwatorium.indicators.models import Indicator, Observation

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


def visible_requests(user: Actor) -> QuerySet[DataRequest]:
    """The requests the user may read: all for the office, their gmina's for an editor, none for other role
    holders; PermissionDenied for an account without a role."""
    scope = rules.scope_of(user)
    if scope.office:
        return DataRequest.objects.all()
    if scope.units:
        return DataRequest.objects.filter(submissions__unit__in=scope.units).distinct()
    if scope.any:  # a coordinator or secretary: the menu offers the page, it lists nothing of theirs
        return DataRequest.objects.none()
    raise PermissionDenied(_("Data requests are for the office and the gminy's editors."))


def office_request(*, pk: int, user: Actor) -> DataRequest:
    """A request as the office reads it (completeness, reminders); PermissionDenied for anyone else."""
    if not rules.is_office(user):
        raise PermissionDenied(_("Only the office follows a request's completeness."))
    return get_object_or_404(DataRequest, pk=pk)


def submission_of(*, request_pk: int, teryt: str, user: Actor) -> Submission:
    """One gmina's submission, for the office or that gmina's editor; 404 when the request does not ask it."""
    submission = get_object_or_404(Submission.objects.select_related("request", "unit"), request_id=request_pk,
                                   unit__teryt=teryt, unit__valid_to__isnull=True)
    scope = rules.scope_of(user)
    if not (scope.office or submission.unit_id in scope.units):
        raise PermissionDenied(_("This is another gmina's submission."))
    return submission


def request_indicators(request: DataRequest) -> list[Indicator]:
    return list(request.indicators.select_related("domain").order_by("domain__order", "order", "code"))


def stored_cells(submission: Submission) -> dict[Key, CellInput]:
    """The cells as last saved (the draft)."""
    return {(v.indicator_id, v.period): CellInput(text=v.text, no_data=v.no_data, comment=v.comment,
                                                  confirmed=v.confirmed)
            for v in SubmissionValue.objects.filter(submission=submission)}


def previous_years(*, submission: Submission, indicators: list[Indicator]) -> dict[Key, float | None]:
    """The stored value of the year before each asked year, per (indicator, asked year), in one query."""
    years = submission.request.years
    wanted = {str(int(year) - 1) for year in years}
    found = {(o.indicator_id, o.period): o.value for o in Observation.objects.filter(
        unit_id=submission.unit_id, indicator__in=indicators, period__in=wanted).only("indicator_id", "period",
                                                                                      "value")}
    return {(i.pk, year): found.get((i.pk, str(int(year) - 1))) for i in indicators for year in years}


def check_grid(*, submission: Submission, indicators: list[Indicator], cells: dict[Key, CellInput],
               language: str) -> dict[Key, CellCheck]:
    """Every cell of the grid read and checked (cells.check_cell), the previous year typed or stored."""
    stored_previous = previous_years(submission=submission, indicators=indicators)
    checks: dict[Key, CellCheck] = {}
    for year in sorted(submission.request.years):  # earlier years first: a later one compares with them
        for indicator in indicators:
            key = (indicator.pk, year)
            typed_previous = checks.get((indicator.pk, str(int(year) - 1)))
            previous = typed_previous.value if typed_previous and typed_previous.value is not None \
                else stored_previous[key]
            checks[key] = check_cell(indicator=indicator, cell=cells.get(key, CellInput()), previous=previous,
                                     language=language)
    return checks


@dataclass
class GridCell:
    key: Key
    period: str
    cell: CellInput
    check: CellCheck
    previous: float | None
    name: str  # the form field prefix of the cell


@dataclass
class GridRow:
    indicator: Indicator
    allowed: str
    cells: list[GridCell] = field(default_factory=list)


def grid_rows(*, submission: Submission, indicators: list[Indicator], cells: dict[Key, CellInput],
              checks: dict[Key, CellCheck], language: str) -> list[GridRow]:
    """The rows of the grid page: per indicator its range and, per asked year, the cell with last year's value."""
    previous = previous_years(submission=submission, indicators=indicators)
    rows = []
    for indicator in indicators:
        row = GridRow(indicator=indicator, allowed=allowed_range(indicator, language))
        for year in submission.request.years:
            key = (indicator.pk, year)
            row.cells.append(GridCell(key=key, period=year, cell=cells.get(key, CellInput()), check=checks[key],
                                      previous=previous[key], name=f"c{indicator.pk}-{year}"))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Completeness:
    label: str
    filled: int
    total: int
    submission: Submission | None = None  # the gmina's, in the per-gmina rows

    @property
    def percent(self) -> float:
        return 100 * self.filled / self.total if self.total else 0.0


FINISHED = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def completeness(request: DataRequest) -> tuple[list[Completeness], list[Completeness]]:
    """Per gmina: cells answered (a value or "no data", draft or not) of all asked; per indicator: cells answered
    in submitted or accepted submissions of all the gminy's cells for it."""
    indicators = request_indicators(request)
    submissions = list(request.submissions.select_related("unit").order_by("unit__name"))
    years = request.years
    answered: dict[int, set[Key]] = {s.pk: set() for s in submissions}
    for value in SubmissionValue.objects.filter(submission__request=request).values(
            "submission_id", "indicator_id", "period", "text", "no_data"):
        if (value["text"].strip() or value["no_data"]) and value["period"] in years:
            answered[value["submission_id"]].add((value["indicator_id"], value["period"]))
    per_cell = len(indicators) * len(years)
    by_gmina = [Completeness(label=s.unit.name, filled=len(answered[s.pk]), total=per_cell,
                             submission=s) for s in submissions]
    finished = [s for s in submissions if s.status in FINISHED]
    by_indicator = [Completeness(
        label=indicator.name, total=len(submissions) * len(years),
        filled=sum(1 for s in finished for key in answered[s.pk] if key[0] == indicator.pk))
        for indicator in indicators]
    return by_gmina, by_indicator
