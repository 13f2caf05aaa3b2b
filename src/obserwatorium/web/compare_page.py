"""The comparison page: 2–6 chosen gminy side by side (and a group) over every indicator of one domain.

Everything is read in a fixed number of queries, whatever the number of gminy or indicators: the form's
choices, the domain's catalogue, and every value of the chosen gminy and the group's units in one query.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from obserwatorium.downloads.meta import Field, TableMeta
from obserwatorium.indicators import selectors
from obserwatorium.indicators.models import Domain, Indicator, Polarity
from obserwatorium.indicators.selectors import CellIndex
from obserwatorium.insights.datasets import DEMO_SOURCE, Dataset, provenance_of_batches
from obserwatorium.insights.groups import MEMBERS, Group
from obserwatorium.numbers import d3_locale
from obserwatorium.territory.models import Unit
from obserwatorium.vocabulary import PERIOD
from obserwatorium.web import charts
from obserwatorium.web.comparison_chart import comparison_chart
from obserwatorium.web.figures import ShownValue, input_indicator_ids, metropolis_figure, shown
from obserwatorium.web.indicator_page import (
    BatchUse,
    MetropolisCell,
    aggregate_rows,
    chart_labels,
    credit_line,
    metropolis_cell,
    source_line,
)

MIN_UNITS, MAX_UNITS = 2, 6
NO_GROUP = "none"


def unit_codes(params: QueryDict) -> list[str]:
    """The TERYT codes of `units`, whether repeated (the form) or comma-separated (a shared address), in order."""
    codes = [code.strip() for value in params.getlist("units") for code in value.split(",")]
    return list(dict.fromkeys(code for code in codes if code))


class CompareForm(forms.Form):
    """The picker: gminy (checkboxes), the group beside them, the domain and the year. Works without JavaScript."""

    units = forms.MultipleChoiceField(label=gettext_lazy("Gminy to compare"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    group = forms.ChoiceField(label=gettext_lazy("Compare with"), required=False)
    domain = forms.ChoiceField(label=gettext_lazy("Domain"), required=False)
    year = forms.CharField(label=gettext_lazy("Year"), required=False, max_length=PERIOD.max_length,
                           validators=[RegexValidator(PERIOD.validator_pattern)])

    def __init__(self, params: QueryDict, *, gminy: Sequence[Unit], groups: Sequence[Group],
                 domains: Sequence[Domain]) -> None:
        data = {"units": unit_codes(params), "group": params.get("group", MEMBERS)[:100],
                "domain": params.get("domain", "")[:100], "year": params.get("year", "")[:100]}
        super().__init__(data)
        self.submitted = "units" in params
        choices: dict[str, list[tuple[str, str]]] = {
            "units": [(unit.teryt, unit.name) for unit in gminy],
            "group": [(NO_GROUP, _("no group")), *((group.key, group_label(group)) for group in groups)],
            "domain": [(domain.code, domain.name) for domain in domains],
        }
        for name, offered in choices.items():
            self.fields[name].choices = offered  # type: ignore[attr-defined]

    def clean_units(self) -> list[str]:
        codes = self.cleaned_data["units"]
        if self.submitted and not codes:
            raise forms.ValidationError(_("Choose between %(low)d and %(high)d gminy.")
                                        % {"low": MIN_UNITS, "high": MAX_UNITS})
        if len(codes) > MAX_UNITS:
            raise forms.ValidationError(_("Choose at most %(high)d gminy (%(count)d are chosen).")
                                        % {"high": MAX_UNITS, "count": len(codes)})
        return codes


def group_label(group: Group) -> str:
    return _("Metropolis (all members)") if group.key == MEMBERS else str(group.label)


@dataclass(frozen=True)
class PeriodRow:
    period: str
    cells: list[ShownValue]
    group: MetropolisCell | None


@dataclass(frozen=True)
class IndicatorRow:
    """One indicator: the chosen year's values, every year's values and the chart."""

    indicator: Indicator
    cells: list[ShownValue]
    group: MetropolisCell | None
    years: list[PeriodRow]
    spec: dict | None
    spec_id: str
    filename: str


@dataclass(frozen=True)
class Comparison:
    units: list[Unit]
    group: Group | None
    domain: Domain
    year: str | None
    periods: list[str]
    rows: list[IndicatorRow]
    batch_counts: Counter[int]  # the values read (the gminy's and the group's units') per source batch
    cells: CellIndex

    @property
    def group_name(self) -> str:
        return group_label(self.group) if self.group else ""

    @property
    def demo(self) -> bool:
        return any(cell.demo for row in self.rows for year in row.years  # type: ignore[attr-defined]
                   for cell in [*year.cells, *([year.group] if year.group else [])])


def build(form: CompareForm, *, gminy: Sequence[Unit], groups: Sequence[Group], domains: Sequence[Domain],
          language: str) -> Comparison | None:
    """The comparison the valid form asks for; None until 2–6 gminy are chosen."""
    if not form.is_valid() or len(form.cleaned_data["units"]) < MIN_UNITS or not domains:
        return None
    data = form.cleaned_data
    by_teryt = {unit.teryt: unit for unit in gminy}
    units = [by_teryt[code] for code in data["units"]]
    group = next((g for g in groups if g.key == data["group"]), None)
    domain = next((d for d in domains if d.code == data["domain"]), domains[0])
    indicators = selectors.search_catalogue(domain=domain.code)
    population = selectors.population_indicator()
    unit_ids = {unit.pk for unit in units} | {unit.pk for unit in (group.units if group else ())}
    cells = selectors.observation_cells(indicator_ids=input_indicator_ids(indicators, population), unit_ids=unit_ids)
    periods = sorted({period for indicator in indicators for unit in units
                      for period in cells.get(indicator.pk, {}).get(unit.pk, {})})
    year = data["year"] if data["year"] in periods else (periods[-1] if periods else None)
    rows = [_indicator_row(indicator, units, group, cells, population, year, language, index)
            for index, indicator in enumerate(indicators)]
    batch_counts = Counter(cell.batch_id for indicator in indicators for unit_id in unit_ids
                           for cell in cells.get(indicator.pk, {}).get(unit_id, {}).values())
    return Comparison(units, group, domain, year, periods, rows, batch_counts, cells)


def _indicator_row(indicator: Indicator, units: list[Unit], group: Group | None, cells: CellIndex,
                   population: Indicator | None,
                   year: str | None, language: str, index: int) -> IndicatorRow:
    own = cells.get(indicator.pk, {})
    periods = sorted({period for unit in units for period in own.get(unit.pk, {})})
    figures = {period: metropolis_figure(indicator, cells, group.units, period, population)
               for period in periods} if group and indicator.aggregation != "none" else {}
    years = [PeriodRow(period, [shown(own.get(unit.pk, {}).get(period), decimals=indicator.decimals,
                                      language=language) for unit in units],
                       metropolis_cell(figures[period], indicator.decimals, language) if figures else None)
             for period in periods]
    chosen = next((row for row in years if row.period == year), None)
    empty = shown(None, decimals=indicator.decimals, language=language)
    return IndicatorRow(
        indicator=indicator, cells=chosen.cells if chosen else [empty for _unit in units],
        group=chosen.group if chosen else None, years=years,
        spec=_chart(indicator, units, group, years, figures, language) if years else None,
        spec_id=f"compare-spec-{index}", filename=f"{indicator.code}-{'-'.join(u.teryt for u in units)}")


def _chart(indicator: Indicator, units: list[Unit], group: Group | None, years: list[PeriodRow], figures: dict,
           language: str) -> dict:
    names = [unit.name for unit in units]
    group_name = group_label(group) if group else ""
    drawn_group = aggregate_rows(indicator, figures) if group else []
    values = [{"series": name, "period": row.period, "value": cell.value, "flag": cell.flag_label}
              for row in years for name, cell in zip(names, row.cells, strict=True) if cell.value is not None]
    values += [{"series": group_name, "period": row["period"], "value": row["value"], "flag": row["coverage"]}
               for row in drawn_group]
    all_cells = [cell for row in years for cell in row.cells]
    demo = any(cell.demo for cell in all_cells) or any(f.demo for f in figures.values())
    text = charts.ChartText(
        title=indicator.name,
        subtitle=[f"{indicator.unit_of_measure} · {Polarity(indicator.polarity).label}"],
        credit=credit_line(source_line(indicator, all_cells)),
        notice=_("Demonstration data, not official statistics.") if demo else "",
        labels=chart_labels(indicator),
        description=_("Line chart of %(indicator)s for %(units)s, %(first)s–%(last)s.") % {
            "indicator": indicator.name, "units": ", ".join(names), "first": years[0].period,
            "last": years[-1].period})
    return comparison_chart(text=text, series=[*names, *([group_name] if drawn_group else [])], rows=values,
                            group=group_name if drawn_group else "", decimals=indicator.decimals,
                            number_locale=d3_locale(language))


def _batch(cells: CellIndex, indicator: Indicator, unit: Unit, period: str) -> int | None:
    cell = cells.get(indicator.pk, {}).get(unit.pk, {}).get(period)
    return cell.batch_id if cell else None


def batch_uses(comparison: Comparison) -> list[BatchUse]:
    """The source batches of every value the comparison read, newest first, with how many values each gave."""
    return [BatchUse(batch, comparison.batch_counts[batch.pk]) for batch in selectors.batches(comparison.batch_counts)]


DATASET_SCHEMA = {"indicator": pl.Utf8, "indicator_name": pl.Utf8, "unit_of_measure": pl.Utf8, "unit": pl.Utf8,
                  "name": pl.Utf8, "period": pl.Utf8, "value": pl.Float64, "flag": pl.Utf8, "coverage": pl.Utf8,
                  "batch": pl.Int64}


def dataset(comparison: Comparison) -> Dataset:
    """The comparison as an open-data table: every year of every indicator for each gmina and the group."""
    rows: list[dict[str, Any]] = []
    for row in comparison.rows:
        described = {"indicator": row.indicator.code, "indicator_name": row.indicator.name,
                "unit_of_measure": row.indicator.unit_of_measure}
        for year in row.years:
            for unit, cell in zip(comparison.units, year.cells, strict=True):
                if cell.value is not None or cell.flag:
                    rows.append({**described, "unit": unit.teryt, "name": unit.name, "period": year.period,
                                 "value": cell.value, "flag": cell.flag, "coverage": None,
                                 "batch": _batch(comparison.cells, row.indicator, unit, year.period)})
            if year.group is not None and comparison.group is not None:
                rows.append({**described, "unit": comparison.group.key, "name": group_label(comparison.group),
                             "period": year.period, "value": year.group.value, "flag": year.group.flag or None,
                             "coverage": year.group.coverage, "batch": None})
    frame = pl.DataFrame(rows, schema=DATASET_SCHEMA, orient="row")
    found = provenance_of_batches(comparison.batch_counts)
    names = ", ".join(unit.name for unit in comparison.units)
    fields = (Field("indicator", _("indicator code")), Field("indicator_name", _("indicator")),
              Field("unit_of_measure", _("unit of measure")),
              Field("unit", _("TERYT code"), _("or the group's key for the group's value")),
              Field("name", _("unit")), Field("period", _("period")), Field("value", _("value")),
              Field("flag", _("flag")), Field("coverage", _("units of the group with a value")),
              Field("batch", _("source batch"), _("id of the value's batch in the metadata's sources")))
    meta = TableMeta(
        name=f"compare-{comparison.domain.code}-{'-'.join(u.teryt for u in comparison.units)}",
        title=_("%(domain)s: %(units)s") % {"domain": comparison.domain.name, "units": names},
        description=_("Every value of every indicator of the domain for the chosen gminy, and the group's value "
                      "by each indicator's aggregation rule."),
        source="; ".join((str(DEMO_SOURCE), found.source)) if found.demo_only else found.source,
        licence=found.licence, retrieved=found.retrieved, fields=fields, sources=found.sources,
        notes={"units": [u.teryt for u in comparison.units], "domain": comparison.domain.code,
               "group": comparison.group.key if comparison.group else None,
               "group_units": comparison.group.teryts if comparison.group else []})
    return Dataset(frame, meta)
