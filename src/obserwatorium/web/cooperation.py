"""What the public pages show of the cooperation beside the indicators: the year's counts and what comes next
(home page), a gmina's part (municipality page), a domain's forums, plans, projects and targets (domain page).

Each read is a fixed number of queries, whatever the registries hold."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from obserwatorium.cooperation import selectors as cooperation
from obserwatorium.cooperation.meeting_selectors import YearTable, attended_counts, year_table
from obserwatorium.events import selectors as events
from obserwatorium.strategy import selectors as strategy

UPCOMING = 5


@dataclass(frozen=True)
class HomeCooperation:
    activity: cooperation.YearActivity | None
    meetings: list
    events: list


def for_home() -> HomeCooperation:
    """The latest year's counts (up to this year) and the next meetings and culture events."""
    now = timezone.now()
    year = cooperation.latest_activity_year(until=timezone.localdate().year)
    return HomeCooperation(
        activity=cooperation.activity_of_year(year) if year else None,
        meetings=cooperation.upcoming_meetings(since=now, limit=UPCOMING),
        events=list(events.public_events(since=now)[:UPCOMING]),
    )


@dataclass(frozen=True)
class UnitPart:
    forums: list
    projects: list
    actions: list
    events: list
    activity: YearTable  # meetings attended per forum and year

    @property
    def empty(self) -> bool:
        return not (self.forums or self.projects or self.actions or self.events)


def for_unit(unit) -> UnitPart:
    """The gmina's forums, projects, the actions it is responsible for, its coming culture events and the forum
    meetings it attended per year."""
    return UnitPart(forums=cooperation.forums_by_unit([unit.pk]).get(unit.pk, []),
                    projects=cooperation.projects_by_unit([unit.pk]).get(unit.pk, []),
                    actions=strategy.actions_by_responsible_unit([unit.pk]).get(unit.pk, []),
                    events=list(events.public_events(since=timezone.now(), unit_teryt=unit.teryt)[:UPCOMING]),
                    activity=year_table(attended_counts(unit_id=unit.pk)))


@dataclass(frozen=True)
class DomainPart:
    forums: list
    plans: list
    projects: list
    targets: list


def for_domain(code: str) -> DomainPart:
    """The domain's forums, action plans, projects and targets."""
    part = cooperation.cooperation_of_domain(code)
    return DomainPart(forums=part.forums, plans=strategy.plans_of_domain(code), projects=part.projects,
                      targets=strategy.targets_of_domain(code))
