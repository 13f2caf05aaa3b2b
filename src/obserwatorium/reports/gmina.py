"""What a gmina's card and its statutory data annex share: each indicator of the gmina against the metropolis and
its peer group (value, rank, five-year trend), and the gmina's part in the cooperation.

Everything is read once for a whole batch of gminy (`prepare`): one query for the values, a fixed number for the
registries, whatever the number of gminy or indicators; the metropolis and peer-group values and the ranks are
computed once per indicator and year and shared by every card of the batch.

The peer group of a gmina is the smallest user-defined peer group it belongs to (insights), else the gminy of
its type (urban, rural, urban-rural) in the database. A member is ranked among the members (as on its page), a
gmina outside the association among its peer group.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from obserwatorium.cooperation import selectors as cooperation
from obserwatorium.events import selectors as events
from obserwatorium.indicators import selectors as indicators
from obserwatorium.indicators.models import Aggregation, Flag, ImportBatch, Indicator
from obserwatorium.indicators.selectors import Cell, CellIndex
from obserwatorium.insights import selectors as insights
from obserwatorium.insights.models import PeerGroup
from obserwatorium.reports.document import FootnoteBook, Paragraph, Section
from obserwatorium.reports.phrases import count
from obserwatorium.strategy import selectors as strategy
from obserwatorium.territory.models import GminaType, Unit
from obserwatorium.web.figures import MetropolisFigure, input_indicator_ids, metropolis_figure

TREND_YEARS = 5


class UnknownGmina(LookupError):
    """No current gmina has this TERYT code."""


class NoDataForYear(LookupError):
    """The gmina has no value of any indicator reported on for the year asked for."""


@dataclass(frozen=True)
class Peers:
    """The gminy a gmina is compared with besides the metropolis: a peer group, or the gminy of its type."""

    key: str
    unit_ids: frozenset[int]
    group: PeerGroup | None = None
    gmina_type: str = ""

    @property
    def name(self) -> str:
        """The group's name in the active language."""
        if self.group is not None:
            return self.group.name
        names = {GminaType.URBAN: _("Urban gminy in the database"), GminaType.RURAL: _("Rural gminy in the database"),
                 GminaType.URBAN_RURAL: _("Urban-rural gminy in the database")}
        return names.get(self.gmina_type, _("All gminy in the database"))  # type: ignore[call-overload]


@dataclass(frozen=True)
class Comparison:
    """One indicator of one gmina in the report year against the metropolis and its peer group."""

    indicator: Indicator
    period: str | None  # the report year, or the latest year before it with a value
    cell: Cell | None
    trend: tuple[tuple[str, float | None], ...]  # the TREND_YEARS years up to the report year
    metropolis: float | None
    peer: float | None
    rank: tuple[int, int] | None
    demo: bool  # whether any figure of the row is demonstration data
    note: int | None = None  # the footnote of the gmina's value, once cited
    comparison_note: int | None = None  # the demo note, when only the peer or metropolis figure is demo data

    @property
    def notes(self) -> tuple[int, ...]:
        return tuple(n for n in (self.note, self.comparison_note) if n)


@dataclass(frozen=True)
class Involvement:
    """The gmina's part in the cooperation: projects it is covered by, forums it belongs to, meetings it was
    represented at in the year, actions it is responsible for, its events in the culture calendar that year."""

    projects: list = field(default_factory=list)
    forums: list = field(default_factory=list)
    meetings: int = 0
    actions: list = field(default_factory=list)
    events: list = field(default_factory=list)


@dataclass
class GminaBatch:
    """The values and registries the reports of a set of gminy read, with the shared figures computed once."""

    gminy: dict[str, Unit]  # every current gmina by TERYT
    members: list[Unit]
    compared: list[Indicator]  # the indicators reported on, in catalogue order
    population: Indicator | None
    cells: CellIndex
    groups: list[tuple[PeerGroup, set[int]]]
    batches: dict[int, ImportBatch]
    projects: dict[int, list] = field(default_factory=dict)
    forums: dict[int, list] = field(default_factory=dict)
    meetings: dict[tuple[int, int], int] = field(default_factory=dict)
    actions: dict[int, list] = field(default_factory=dict)
    events: dict[int, list] = field(default_factory=dict)
    _figures: dict[tuple, MetropolisFigure] = field(default_factory=dict)
    _sorted: dict[tuple, list[float]] = field(default_factory=dict)
    _peers: dict[int, Peers] = field(default_factory=dict)
    _by_id: dict[int, Unit] = field(default_factory=dict)
    _unit_lists: dict[str, list[Unit]] = field(default_factory=dict)
    _of_type: dict[str, frozenset[int]] = field(default_factory=dict)

    def unit(self, teryt: str) -> Unit:
        """The current gmina with this code; UnknownGmina otherwise."""
        try:
            return self.gminy[teryt]
        except KeyError:
            raise UnknownGmina(teryt) from None

    def years(self, unit: Unit) -> list[int]:
        """Every year in which the gmina has a value of a reported indicator, oldest first."""
        found = {int(p) for i in self.compared for p, c in self.cells.get(i.pk, {}).get(unit.pk, {}).items()
                 if p.isdigit() and c.value is not None}
        return sorted(found)

    def report_year(self, unit: Unit, year: int | None) -> int:
        """`year` when the gmina has data for it, the latest year with data when None; NoDataForYear otherwise."""
        years = self.years(unit)
        if not years or (year is not None and year not in years):
            raise NoDataForYear(unit.teryt, year)
        return year if year is not None else years[-1]

    def peers(self, unit: Unit) -> Peers:
        """The gmina's peer group (see the module's note)."""
        if unit.pk not in self._peers:
            containing = sorted(((group, ids) for group, ids in self.groups if unit.pk in ids and len(ids) > 1),
                                key=lambda pair: (len(pair[1]), pair[0].code))
            if containing:
                group, ids = containing[0]
                self._peers[unit.pk] = Peers(f"group:{group.code}", frozenset(ids), group=group)
            else:
                kind = unit.gmina_type
                if kind not in self._of_type:  # once a type: a national batch has thousands of gminy
                    self._of_type[kind] = frozenset(g.pk for g in self.gminy.values() if g.gmina_type == kind)
                self._peers[unit.pk] = Peers(f"type:{kind}", self._of_type[kind], gmina_type=kind)
        return self._peers[unit.pk]

    def _units(self, key: str, ids: Iterable[int]) -> list[Unit]:
        """The gminy of a peer group (its `key`), listed once a batch (a national batch has thousands)."""
        if key not in self._unit_lists:
            if not self._by_id:
                self._by_id.update((g.pk, g) for g in self.gminy.values())
            self._unit_lists[key] = [self._by_id[i] for i in sorted(ids) if i in self._by_id]
        return self._unit_lists[key]

    def _figure(self, key: str, units: Callable[[], Sequence[Unit]], indicator: Indicator, period: str
                ) -> MetropolisFigure:
        """The figure of the gminy `units()` lists (called on the first use of the key only)."""
        cache_key = (key, indicator.pk, period)
        if cache_key not in self._figures:
            self._figures[cache_key] = metropolis_figure(indicator, self.cells, units(), period, self.population)
        return self._figures[cache_key]

    def _rank(self, key: str, ids: Iterable[int], indicator: Indicator, period: str, value: float | None
              ) -> tuple[int, int] | None:
        """The competition rank of `value` among the units' values (1 = best), as analytics.ranking.rank_of."""
        if value is None or not indicator.comparable:
            return None
        cache_key = (key, indicator.pk, period)
        if cache_key not in self._sorted:
            by_unit = self.cells.get(indicator.pk, {})
            self._sorted[cache_key] = sorted(c.value for i in ids if (c := by_unit.get(i, {}).get(period))
                                             and c.value is not None and c.value == c.value)
        known = self._sorted[cache_key]
        if not known:
            return None
        better = bisect.bisect_left(known, value) if indicator.polarity == "lower" \
            else len(known) - bisect.bisect_right(known, value)
        return better + 1, len(known)

    def compare(self, unit: Unit, indicator: Indicator, year: int) -> Comparison:
        """The indicator of the gmina in `year` (or its latest earlier year) against the metropolis and peers."""
        series = self.cells.get(indicator.pk, {}).get(unit.pk, {})
        known = [p for p, c in series.items() if c.value is not None and p.isdigit() and int(p) <= year]
        period = max(known) if known else None
        cell = series.get(period) if period else None
        trend = tuple((str(y), series[str(y)].value if str(y) in series else None)
                      for y in range(year - TREND_YEARS + 1, year + 1))
        metropolis = peer = None
        rank = None
        demo = cell is not None and cell.flag == Flag.DEMO
        if period:
            peers = self.peers(unit)
            if indicator.aggregation != Aggregation.NONE:
                figure = self._figure("members", lambda: self.members, indicator, period)
                peer_figure = self._figure(peers.key, lambda: self._units(peers.key, peers.unit_ids), indicator,
                                           period)
                metropolis, peer = figure.value, peer_figure.value
                demo = demo or figure.demo or peer_figure.demo
            scope, ids = ("members", [m.pk for m in self.members]) if unit.is_member else (peers.key, peers.unit_ids)
            rank = self._rank(scope, ids, indicator, period, cell.value if cell else None)
        return Comparison(indicator, period, cell, trend, metropolis, peer, rank, demo)

    def cite(self, book: FootnoteBook, row: Comparison) -> Comparison:
        """The row with its footnotes: the source of the gmina's value with the retrieval date of its batch and
        its flag (the demo note for demonstration data), and the demo note when a comparison figure is demo."""
        if row.cell is None:
            return row
        batch = self.batches.get(row.cell.batch_id)
        retrieved = ""
        if batch is not None:
            moment = batch.retrieved_at or batch.created_at
            retrieved = moment.date().isoformat() if moment else ""
        demo_note = _("Demonstration data, not official statistics.")
        if row.cell.flag == Flag.DEMO:
            return replace(row, note=book.cite(demo_note, retrieved=retrieved, flag=str(Flag.DEMO.value)))
        text = row.indicator.source or (batch.source if batch else "") or row.indicator.name
        flag = row.cell.flag if row.cell.flag != Flag.FINAL else ""
        note = book.cite(text, url=batch.source_url if batch else "", retrieved=retrieved, flag=flag)
        extra = book.cite(demo_note, flag=str(Flag.DEMO.value)) if row.demo else None
        return replace(row, note=note, comparison_note=extra)

    def involvement(self, unit: Unit, year: int) -> Involvement:
        """The gmina's part in the cooperation (the events and meetings of `year`)."""
        return Involvement(
            projects=self.projects.get(unit.pk, []), forums=self.forums.get(unit.pk, []),
            meetings=self.meetings.get((unit.pk, year), 0), actions=self.actions.get(unit.pk, []),
            events=[e for e in self.events.get(unit.pk, []) if e.starts_at.year == year])


def key_indicators() -> list[Indicator]:
    """The indicators a card shows: the catalogue's headline indicators, in catalogue order."""
    return [i for _d, found in indicators.catalogue_by_domain() for i in found if i.headline]


def all_indicators() -> list[Indicator]:
    """Every catalogue indicator in catalogue order (an annex shows them all)."""
    return [i for _d, found in indicators.catalogue_by_domain() for i in found]


def prepare(*, teryts: Sequence[str] | None, compared: list[Indicator], year: int | None = None) -> GminaBatch:
    """Read once what the reports of these gminy (None: every current gmina) need about `compared`."""
    gminy = {g.teryt: g for g in indicators.map_units(with_powiat=True)}
    members = indicators.comparison_units()
    population = indicators.population_indicator()
    wanted = [gminy[t] for t in (teryts if teryts is not None else list(gminy)) if t in gminy]
    groups = insights.peer_groups()
    batch = GminaBatch(gminy=gminy, members=members, compared=compared, population=population, cells={},
                       groups=groups, batches={})
    unit_ids = {m.pk for m in members} | {w.pk for w in wanted}
    for unit in wanted:
        unit_ids |= batch.peers(unit).unit_ids
    batch.cells = indicators.observation_cells(indicator_ids=input_indicator_ids(compared, population),
                                               unit_ids=unit_ids)
    batch_ids = {c.batch_id for by_unit in batch.cells.values() for by_period in by_unit.values()
                 for c in by_period.values()}
    batch.batches = {b.pk: b for b in indicators.batches(batch_ids)}
    wanted_ids = [w.pk for w in wanted]
    years = {year} if year is not None else {y for w in wanted for y in batch.years(w)[-1:]}
    batch.projects = cooperation.projects_by_unit(wanted_ids)
    batch.forums = cooperation.forums_by_unit(wanted_ids)
    batch.meetings = cooperation.represented_meeting_counts(wanted_ids)
    batch.actions = strategy.actions_by_responsible_unit(wanted_ids)
    batch.events = events.events_by_unit(wanted_ids, years=years) if years else {}
    return batch


def _source_note(book: FootnoteBook, source) -> int | None:
    if source is None:
        return None
    published = f" ({source.published_on.isoformat()})" if source.published_on else ""
    text = f"{source.publisher}, {source.title}{published}" if source.publisher else source.title
    return book.cite(text, url=source.url)


def _notes(book: FootnoteBook, sources: Iterable) -> tuple[int, ...]:
    return tuple(sorted({n for n in (_source_note(book, s) for s in sources) if n}))


def _span(start, end) -> str:
    years = [str(d.year) for d in (start, end) if d]
    return "–".join(dict.fromkeys(years))


def _project_text(project) -> str:
    details = [str(project.get_programme_display()) if project.programme else "", _span(project.start_date,
                                                                                        project.end_date)]
    shown = ", ".join(d for d in details if d)
    return f"{project.name} ({shown})" if shown else project.name


def _action_text(action) -> str:
    status = str(action.get_status_display())
    if action.progress is not None:
        status += ", " + _("progress %(percent)d%%") % {"percent": action.progress}
    return f"{action.name} ({action.plan.name}; {status})"


def involvement_section(batch: GminaBatch, unit: Unit, year: int, book: FootnoteBook, language: str) -> Section:
    """The section "The gmina in the association's cooperation": projects, forums and their meetings in the
    year, actions the gmina is responsible for, its events in the culture calendar in the year."""
    part = batch.involvement(unit, year)
    paragraphs = []
    if part.projects:
        paragraphs.append(Paragraph(_("Projects covering the gmina: %(items)s.") % {
            "items": "; ".join(_project_text(p) for p in part.projects)}, _notes(book, (p.source for p in
                                                                                      part.projects))))
    if part.forums:
        paragraphs.append(Paragraph(_("Forums the gmina is a member of: %(items)s.") % {
            "items": "; ".join(f.name for f in part.forums)}, _notes(book, (f.source for f in part.forums))))
    if part.meetings:
        paragraphs.append(Paragraph(_("Forum meetings the gmina was represented at in %(year)d: %(count)s.") % {
            "year": year, "count": part.meetings},
            (book.cite(_("Obserwatorium: the register of forum meetings")),)))
    if part.actions:
        paragraphs.append(Paragraph(_("Strategy actions the gmina is responsible for: %(items)s.") % {
            "items": "; ".join(_action_text(a) for a in part.actions)},
            _notes(book, (a.plan.source for a in part.actions))
            or (book.cite(_("Obserwatorium: the register of the strategy's action plans")),)))
    if part.events:
        names = [e.title for e in part.events[:5]] + (["…"] if len(part.events) > 5 else [])
        paragraphs.append(Paragraph(_("The gmina's events in the culture calendar in %(year)d: %(count)s (%(names)s).")
                                    % {"year": year, "count": count(len(part.events), "event", language=language),
                                       "names": ", ".join(names)},
                                    (book.cite(_("Obserwatorium: the culture-events calendar of the gminy")),)))
    if not paragraphs:
        paragraphs.append(Paragraph(_("The registries record no project, forum, action or event of the gmina "
                                      "for %(year)d.") % {"year": year}))
    return Section(heading=_("The gmina in the association's cooperation"), key="cooperation",
                   paragraphs=tuple(paragraphs))
