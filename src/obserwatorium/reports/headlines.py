"""How a domain's headline indicators moved up to the report year: one sentence and one chart each, the chart
from the site's own spec builder (`web.charts.line_chart`), so print and screen show the same picture."""

from __future__ import annotations

from django.utils.translation import gettext as _

from obserwatorium.indicators import selectors
from obserwatorium.indicators.models import Flag, Indicator
from obserwatorium.numbers import d3_locale, format_number
from obserwatorium.reports.document import Chart, FootnoteBook, Paragraph
from obserwatorium.web import charts
from obserwatorium.web.figures import input_indicator_ids, metropolis_series
from obserwatorium.web.indicator_page import aggregate_rows, chart_labels

YEARS_SHOWN = 10
PRINT_WIDTH = 520

def _move_text(assessment: str) -> str:
    texts = {"better": _("a change for the better"), "worse": _("a change for the worse"),
             "up": _("an increase"), "down": _("a decrease"), "same": _("no change")}
    return texts[assessment]


def _cite(book: FootnoteBook, indicator: Indicator, demo: bool) -> int:
    if demo:
        return book.cite(_("Demonstration data, not official statistics."), flag=str(Flag.DEMO.value))
    return book.cite(indicator.source or indicator.name)


def _sentence(indicator: Indicator, year: int, values: dict[str, float], language: str) -> str:
    here, before = values.get(str(year)), values.get(str(year - 1))
    unit = indicator.unit_of_measure
    if here is None:
        return _("%(indicator)s: no metropolis value for %(year)d yet.") % {"indicator": indicator.name,
                                                                              "year": year}
    text = _("%(indicator)s: %(value)s %(unit)s for the metropolis in %(year)d") % {
        "indicator": indicator.name, "value": format_number(here, decimals=indicator.decimals, language=language),
        "unit": unit, "year": year}
    if before is None:
        return text + "."
    delta = round(here - before, indicator.decimals)
    sign = (delta > 0) - (delta < 0)
    assessment = "same" if sign == 0 else (("up" if sign > 0 else "down") if indicator.polarity == "neutral"
                                           else ("better" if (sign > 0) == (indicator.polarity != "lower")
                                                 else "worse"))
    return text + _("; compared with %(previous)d: %(move)s (%(delta)s).") % {
        "previous": year - 1, "move": _move_text(assessment),
        "delta": format_number(delta, decimals=indicator.decimals, language=language, signed=True)}


def headline_section_parts(domain, *, year: int, book: FootnoteBook, language: str
                           ) -> tuple[list[Paragraph], list[Chart]]:
    """Sentences and charts of the domain's headline indicators, up to and including `year`."""
    headlines = list(getattr(domain, "headline_indicators", []))
    if not headlines:
        return [], []
    members = selectors.comparison_units()
    population = selectors.population_indicator()
    cells = selectors.observation_cells(indicator_ids=input_indicator_ids(headlines, population),
                                        unit_ids=[m.pk for m in members])
    first = str(year - YEARS_SHOWN + 1)
    sentences, shown_charts = [], []
    for indicator in headlines:
        own = cells.get(indicator.pk, {})
        rows = [{"unit": m.name, "period": p, "value": c.value, "flag": str(Flag(c.flag).label)
                 if c.flag in Flag.values else c.flag}
                for m in members for p, c in sorted(own.get(m.pk, {}).items())
                if c.value is not None and first <= p <= str(year)]
        if not rows:
            continue
        metropolis = {p: f for p, f in metropolis_series(indicator, cells, members, population).items()
                      if f.value is not None and p <= str(year)}
        demo = any(own.get(m.pk, {}).get(r, None) is not None and own[m.pk][r].flag == Flag.DEMO
                   for m in members for r in (str(year), str(year - 1))) or any(
            f.demo for p, f in metropolis.items() if p in (str(year), str(year - 1)))
        note = _cite(book, indicator, demo)
        values = {p: f.value for p, f in metropolis.items() if f.value is not None}
        sentences.append(Paragraph(_sentence(indicator, year, values, language), (note,)))
        shown_charts.append(_chart(indicator, rows, metropolis, year, demo, language, note))
    return sentences, shown_charts


def _chart(indicator: Indicator, rows: list[dict], metropolis: dict, year: int, demo: bool, language: str,
           note: int) -> Chart:
    periods = sorted({row["period"] for row in rows})
    # The site's own rule (a mean or a ratio is drawn beside the members, a sum is not), over the years shown.
    metropolis_rows = [row for row in aggregate_rows(indicator, metropolis) if row["period"] >= periods[0]]
    description = _("Line chart of %(indicator)s for each of the %(count)d member gminy, %(first)s–%(last)s.") % {
        "indicator": indicator.name, "count": len({row["unit"] for row in rows}), "first": periods[0],
        "last": periods[-1]}
    text = charts.ChartText(title=indicator.name, description=description, labels=chart_labels(indicator),
                            subtitle=[indicator.unit_of_measure],
                            notice=_("Demonstration data, not official statistics.") if demo else "")
    spec = charts.line_chart(text=text, rows=rows, aggregate_rows=metropolis_rows, decimals=indicator.decimals,
                             number_locale=d3_locale(language))
    for param in spec.get("params", []):
        param.pop("bind", None)  # the highlight select is a control of the page, not of a printed chart
    spec["height"] = 220
    return Chart(title=indicator.name, alt=description, spec=spec, footnote=note)
