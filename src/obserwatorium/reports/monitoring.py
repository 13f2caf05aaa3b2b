"""The Strategy 2030 monitoring report ("Monitoring Strategii 2030 — {rok}"): per Strategy domain, each target's
baseline, latest value as of the report year, target and Eurostat progress class, and the status and progress of
every action plan and action.

The progress class is the product's own (analytics.progress through insights.selectors.assess), read on the
series cut at the report year: what the monitoring would have said that year. Action plans and actions show the
status the strategy registry holds on the report's date (the registry keeps no yearly status). A target the
preset marks illustrative says so in its sentence, in its table row and in its footnote.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from obserwatorium.indicators import selectors as indicators
from obserwatorium.indicators.models import Flag, Indicator
from obserwatorium.insights import selectors as insights
from obserwatorium.insights.groups import members_group
from obserwatorium.insights.presenters import STATUS_LABELS
from obserwatorium.numbers import d3_locale, format_number
from obserwatorium.reports.document import Chart, FootnoteBook, KeyFigure, Paragraph, Report, Section, Table
from obserwatorium.reports.phrases import count
from obserwatorium.strategy import selectors as strategy
from obserwatorium.strategy.models import Target
from obserwatorium.web import charts

CLASS_ORDER = ("significant-progress", "moderate-progress", "insufficient-progress", "movement-away")


class UnknownMonitoringYear(ValueError):
    """No target value, action plan or action of the strategy falls in the year asked for."""


def _day(moment) -> str:
    return moment.date().isoformat() if moment else ""


def monitoring_years() -> list[int]:
    """Years with a value of some target's indicator between its baseline and target year, or a dated plan or
    action: the years a monitoring report can be made for, oldest first."""
    years: set[int] = set()
    for target in strategy.targets_of():
        observed = {int(p[:4]) for p in insights.periods(target.indicator) if p[:4].isdigit()}
        years |= {y for y in observed if target.baseline_year <= y <= target.target_year}
    for item in strategy.public_strategies():
        for node in strategy.strategy_tree(item).domains:
            for plan in node.plans:
                years |= {d.year for d in (plan.plan.adopted_on,) if d}
                years |= {d.year for a in plan.actions for d in (a.start_date, a.end_date) if d}
    return sorted(years)


@dataclass(frozen=True)
class TargetRow:
    """One target as the report states it, with the footnotes its figures cite."""

    target: Target
    baseline: float | None
    latest_year: int | None
    latest: float | None
    status: str | None
    target_met: bool
    observed: dict[int, float]
    notes: tuple[int, ...]
    value_notes: tuple[int, ...]  # the sources of the values alone (what a chart of them cites)


class _Monitoring:
    """The report year, the footnotes handed out and the language of the report being built."""

    def __init__(self, year: int, language: str, book: FootnoteBook) -> None:
        self.year, self.language, self.book = year, language, book
        self.members = members_group()
        self.method = book.cite(_("Obserwatorium, own calculation: progress class by Eurostat's SDG method (observed "
                                  "against required compound annual growth over the last five years up to the "
                                  "latest value)"))

    def number(self, value: float | None, indicator: Indicator) -> str:
        return format_number(value, decimals=indicator.decimals, language=self.language)

    def cite_values(self, target: Target, years: list[int]) -> list[int]:
        """Footnotes of the values behind the figures of these years: each batch's source, date and flag."""
        units = [u.pk for u in self.members.units] if target.for_metropolis else [target.unit_id]
        cells = indicators.observation_cells(indicator_ids=[target.indicator_id], unit_ids=units)
        flags: dict[int, set[str]] = {}
        for by_period in cells.get(target.indicator_id, {}).values():
            for year in years:
                cell = by_period.get(str(year))
                if cell is not None and cell.value is not None:
                    flags.setdefault(cell.batch_id, set()).add(cell.flag)
        notes = []
        for batch in indicators.batches(flags):
            flag = Flag.DEMO.value if Flag.DEMO.value in flags[batch.pk] else sorted(flags[batch.pk])[0]
            label = str(Flag(flag).label) if flag in Flag.values else flag
            text = _("%(source)s — values flagged: %(flag)s") % {
                "source": batch.source or target.indicator.source or target.indicator.name, "flag": label}
            notes.append(self.book.cite(text, url=batch.source_url, flag=flag,
                                        retrieved=_day(batch.retrieved_at or batch.created_at)))
        return sorted(set(notes))

    def cite_target(self, target: Target) -> int:
        source = target.source
        title = source.title if source else _("Strategy registry of the observatory")
        text = (_("Illustrative target, not one adopted by the association: %(source)s") % {"source": title}
                if target.illustrative else title)
        return self.book.cite(text, url=source.url if source else "", flag="illustrative" if target.illustrative
                              else "", retrieved=_day(source.created_at if source else target.created_at))

    def row(self, target: Target) -> TargetRow:
        series = (insights.group_series(target.indicator, self.members) if target.for_metropolis
                  else insights.unit_series(target.indicator, target.unit.teryt))
        shown = {y: v for y, v in series.items() if v is not None and y <= self.year}
        baseline = target.baseline_value if target.baseline_value is not None else shown.get(target.baseline_year)
        latest_year = max(shown) if shown else None
        found = insights.assess(target.indicator, dict[int, float | None](shown), target)
        values = self.cite_values(target, [y for y in (target.baseline_year, latest_year) if y is not None])
        notes = [*values, self.cite_target(target), self.method]
        observed = {y: v for y, v in shown.items() if y >= min(target.baseline_year, latest_year or self.year)}
        return TargetRow(target, baseline, latest_year, shown.get(latest_year) if latest_year else None,
                         found.status if found else None, bool(found and found.target_met), observed,
                         tuple(sorted(set(notes))), tuple(values))


def _status(row: TargetRow) -> str:
    text = str(STATUS_LABELS.get(row.status or "", _("not assessed")))
    return text + (", " + _("target met") if row.target_met else "")


def _unit_name(target: Target) -> str:
    return _("Kraków Metropolis (members)") if target.for_metropolis else target.unit.name


def _sentence(state: _Monitoring, row: TargetRow) -> Paragraph:
    target, indicator = row.target, row.target.indicator
    unit = indicator.unit_of_measure
    parts = {"indicator": indicator.name, "unit": _unit_name(target), "measure": unit,
             "baseline": state.number(row.baseline, indicator), "baseline_year": target.baseline_year,
             "target": state.number(target.target_value, indicator), "target_year": target.target_year,
             "status": _status(row)}
    if row.latest_year is None:
        text = _("%(indicator)s (%(unit)s): baseline %(baseline)s %(measure)s (%(baseline_year)d), no value "
                 "observed up to %(year)d, target %(target)s %(measure)s (%(target_year)d); progress: %(status)s.") % {
            **parts, "year": state.year}
    else:
        text = _("%(indicator)s (%(unit)s): baseline %(baseline)s %(measure)s (%(baseline_year)d), latest "
                 "%(latest)s %(measure)s (%(latest_year)d), target %(target)s %(measure)s (%(target_year)d); "
                 "progress: %(status)s.") % {**parts, "latest": state.number(row.latest, indicator),
                                            "latest_year": row.latest_year}
    if target.illustrative:
        text += " " + _("An illustrative target: it demonstrates the method and is not one adopted by the "
                        "association.")
    return Paragraph(text, row.notes)


def _cell(state: _Monitoring, value: float | None, year: int | None, indicator: Indicator) -> str:
    return f"{state.number(value, indicator)} ({year})" if year is not None else "—"


def _targets_table(state: _Monitoring, rows: list[TargetRow]) -> Table:
    cells = []
    for row in rows:
        target, indicator = row.target, row.target.indicator
        kind = _("illustrative target") if target.illustrative else _("adopted target")
        cells.append((f"{indicator.name} ({indicator.unit_of_measure}) — {_unit_name(target)}; {kind}",
                      _cell(state, row.baseline, target.baseline_year, indicator),
                      _cell(state, row.latest, row.latest_year, indicator),
                      _cell(state, target.target_value, target.target_year, indicator), _status(row)))
    notes = tuple(sorted({n for row in rows for n in row.notes}))
    return Table(caption=_("Targets: baseline, latest value as of %(year)d, target and progress class")
                 % {"year": state.year},
                 columns=(_("Indicator and unit"), _("Baseline"), _("Latest value"), _("Target"),
                          _("Progress class")), rows=tuple(cells), footnotes=notes)


def _chart(state: _Monitoring, row: TargetRow) -> Chart | None:
    target, indicator = row.target, row.target.indicator
    if not row.observed or row.baseline is None:
        return None
    first, last = min(row.observed), max(row.observed)
    description = _("Line chart of %(indicator)s for %(unit)s, %(first)d–%(last)d, with the straight path from the "
                    "baseline %(baseline)s (%(baseline_year)d) to the target %(target)s (%(target_year)d).") % {
        "indicator": indicator.name, "unit": _unit_name(target), "first": first, "last": last,
        "baseline": state.number(row.baseline, indicator), "baseline_year": target.baseline_year,
        "target": state.number(target.target_value, indicator), "target_year": target.target_year}
    demo = any(state.book.flag(n) == Flag.DEMO.value for n in row.notes)
    subtitle = [_unit_name(target), indicator.unit_of_measure]
    if target.illustrative:
        subtitle.append(_("illustrative target"))
    text = charts.ChartText(
        title=indicator.name, description=description, subtitle=subtitle,
        notice=_("Demonstration data, not official statistics.") if demo else "",
        labels={"observed": _("Observed"), "path": _("Path to the target"), "target": _("Target"), "year": _("Year"),
                "value": _("Value"), "flag": _("Flag"), "axis": indicator.unit_of_measure})
    observed = [{"year": y, "value": v, "flag": ""} for y, v in sorted(row.observed.items())]
    spec = charts.target_chart(text=text, observed=observed, baseline=(target.baseline_year, row.baseline),
                               target=(target.target_year, target.target_value), decimals=indicator.decimals,
                               number_locale=d3_locale(state.language))
    return Chart(title=f"{indicator.name} — {_unit_name(target)}", alt=description, spec=spec,
                 footnote=(row.value_notes or row.notes)[0])


def _plans_table(state: _Monitoring, plans: list) -> Table:
    rows, notes = [], set()
    for node in plans:
        plan = node.plan
        if plan.source:
            notes.add(state.book.cite(_source_text(plan.source), url=plan.source.url,
                                      retrieved=_day(plan.source.created_at)))
        period = "–".join(str(y) for y in (plan.start_year, plan.end_year) if y) or "—"
        rows.append((plan.name, _("action plan"), str(plan.get_status_display()), _percent(node.progress, state),
                     "—", period))
        for action in node.actions:
            notes.add(state.book.cite(_("Strategy registry of the observatory: the action's status and progress "
                                        "as entered"), retrieved=_day(action.updated_at)))
            dates = "–".join(d.isoformat() for d in (action.start_date, action.end_date) if d) or "—"
            rows.append((f"{action.code} {action.name}", _("action"), str(action.get_status_display()),
                         _percent(action.progress, state),
                         action.responsible_unit.name if action.responsible_unit else action.responsible_body or "—",
                         dates))
    return Table(caption=_("Action plans and actions: status and progress"),
                 columns=(_("Action plan or action"), _("Kind"), _("Status"), _("Progress"), _("Responsible"),
                          _("Period")), rows=tuple(rows), footnotes=tuple(sorted(notes)))


def _source_text(source) -> str:
    published = f" ({source.published_on.isoformat()})" if source.published_on else ""
    return f"{source.publisher}, {source.title}{published}" if source.publisher else source.title


def _percent(value: float | None, state: _Monitoring) -> str:
    return "—" if value is None else f"{format_number(value, decimals=0, language=state.language)}%"


def _plan_paragraphs(state: _Monitoring, plans: list, table: Table) -> list[Paragraph]:
    if not plans:
        return []
    actions = sum(len(node.actions) for node in plans)
    text = _("%(plans)s; %(actions)s recorded.") % {
        "plans": count(len(plans), "action-plan", language=state.language),
        "actions": count(actions, "action", language=state.language)}
    lines = [Paragraph(text, table.footnotes)]
    for node in plans:
        progress = (_("progress %(percent)s") % {"percent": _percent(node.progress, state)}
                    if node.progress is not None else _("no actions with progress recorded yet"))
        lines.append(Paragraph(_("%(plan)s: %(status)s, %(progress)s.") % {
            "plan": node.plan.name, "status": node.plan.get_status_display(), "progress": progress},
            table.footnotes))
    return lines


def _domain_section(state: _Monitoring, heading: str, key: str, rows: list[TargetRow], plans: list) -> Section:
    paragraphs, tables, shown_charts = [], [], []
    if rows:
        classes = Counter(row.status for row in rows)
        paragraphs.append(Paragraph(_("In this domain %(targets)s; %(classes)s.") % {
            "targets": count(len(rows), "target-monitored", language=state.language),
            "classes": _class_summary(classes)}, (state.method,)))
        paragraphs += [_sentence(state, row) for row in rows]
        tables.append(_targets_table(state, rows))
        shown_charts = [c for c in (_chart(state, row) for row in rows) if c is not None]
    if plans:
        table = _plans_table(state, plans)
        paragraphs += _plan_paragraphs(state, plans, table)
        tables.append(table)
    if not paragraphs:
        paragraphs.append(Paragraph(_("The strategy registry holds no targets or action plans of this domain.")))
    return Section(heading=heading, key=key, paragraphs=tuple(paragraphs), charts=tuple(shown_charts),
                   tables=tuple(tables))


def _class_summary(classes: Counter) -> str:
    order = [*CLASS_ORDER, *(c for c in classes if c not in CLASS_ORDER and c is not None), None]
    parts = [f"{STATUS_LABELS.get(c or '', _('not assessed'))} — {classes[c]}" for c in order if classes.get(c)]
    return _("progress classes: %(classes)s") % {"classes": "; ".join(parts)}


def _introduction(state: _Monitoring, rows: list[TargetRow], plans: list, domains: int) -> Section:
    actions = sum(len(node.actions) for node in plans)
    language = state.language
    target_notes = tuple(sorted({n for row in rows for n in row.notes}))
    paragraphs = [Paragraph(_("The report covers %(targets)s, %(plans)s and %(actions)s %(domains)s.") % {
        "targets": count(len(rows), "target", language=language),
        "plans": count(len(plans), "action-plan", language=language),
        "actions": count(actions, "action", language=language),
        "domains": count(domains, "in-domain", language=language)})]
    if rows:
        paragraphs.append(Paragraph(_("As of %(year)d, %(classes)s.") % {
            "year": state.year, "classes": _class_summary(Counter(row.status for row in rows))}, (state.method,)))
    illustrative = sum(1 for row in rows if row.target.illustrative)
    if illustrative:
        paragraphs.append(Paragraph(_("Illustrative targets (they demonstrate the method and are not targets adopted "
                                      "by the association): %(illustrative)d of %(total)d.")
                                    % {"illustrative": illustrative, "total": len(rows)},
                                    tuple(n for n in target_notes if state.book.flag(n) == "illustrative")))
    paragraphs.append(Paragraph(_("Each target's progress is read from the values up to %(year)d: the observed "
                                  "compound annual growth over the last five years against the growth that would "
                                  "reach the target in its year (95%% of it or more: significant progress; 60–95%%: "
                                  "moderate; below 60%%: insufficient; negative: movement away). Action plans and "
                                  "actions show the status the registry holds on the report's date.")
                                % {"year": state.year}, (state.method,)))
    plan_notes = tuple(sorted({state.book.cite(_source_text(p.plan.source), url=p.plan.source.url,
                                               retrieved=_day(p.plan.source.created_at))
                               for p in plans if p.plan.source}))
    action_note = state.book.cite(_("Strategy registry of the observatory: the action's status and progress as "
                                    "entered"), retrieved=_day(max((a.updated_at for p in plans for a in p.actions),
                                                                   default=None)))
    paragraphs[0] = Paragraph(paragraphs[0].text, tuple(sorted({*target_notes, *plan_notes, action_note})))
    figures = [KeyFigure(count(len(rows), "target", language=language), _("monitored"),
                         target_notes[0] if target_notes else None),
               KeyFigure(count(len(plans), "action-plan", language=language), _("in the strategy registry"),
                         plan_notes[0] if plan_notes else action_note),
               KeyFigure(count(actions, "action", language=language), _("in the strategy registry"), action_note)]
    if rows:
        on_track = sum(1 for row in rows if row.status == "significant-progress")
        figures.append(KeyFigure(count(on_track, "target", language=language), _("with significant progress"),
                                 state.method))
    return Section(heading=_("Summary"), key="summary", paragraphs=tuple(paragraphs), key_figures=tuple(figures))


def _domain_of(target: Target) -> str:
    return target.goal.domain.code if target.goal_id and target.goal else target.indicator.domain.code


def build_monitoring(*, year: int, language: str, today: datetime.date | None = None) -> Report:
    """The Strategy 2030 monitoring report of `year` in `language` ("pl" or "en"); UnknownMonitoringYear when
    nothing of the strategy falls in the year."""
    if year not in monitoring_years():
        raise UnknownMonitoringYear(year)
    with translation.override(language):
        book = FootnoteBook()
        state = _Monitoring(year, language, book)
        chosen = strategy.public_strategies().first()
        tree = strategy.strategy_tree(chosen) if chosen else None
        nodes = tree.domains if tree else []
        targets = list(strategy.targets_of().select_related("indicator__domain", "goal__domain", "source")
                       .order_by("indicator__domain__order", "indicator__order", "unit__teryt"))
        rows = [state.row(t) for t in targets]
        plans = [plan for node in nodes for plan in node.plans]
        codes = [node.domain.code for node in nodes]
        sections = [_introduction(state, rows, plans, len(nodes))]
        for node in nodes:
            mine = [r for r in rows if _domain_of(r.target) == node.domain.code]
            sections.append(_domain_section(state, node.domain.name, node.domain.code, mine, node.plans))
        others = [r for r in rows if _domain_of(r.target) not in codes]
        if others:
            sections.append(_domain_section(state, _("Targets outside the strategy's domains"), "other", others, []))
        name = chosen.name if chosen else _("Strategy 2030")
        return Report(
            kind="monitoring", language=language,
            title=_("Strategy 2030 monitoring — %(year)d") % {"year": year},
            subtitle=_("%(strategy)s: targets, progress classes and action plans as of %(year)d")
            % {"strategy": name, "year": year},
            date=(today or datetime.date.today()).isoformat(),
            notice=_("Demonstration data, not official statistics.") if book.demo else "",
            sections=tuple(sections), footnotes=tuple(book.notes))
