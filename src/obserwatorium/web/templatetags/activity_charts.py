"""The member-activity chart (meetings attended per gmina or per forum, per year) for the pages of other apps:
the cooperation's forum page and the municipality page build the same spec from the same table."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from obserwatorium.numbers import d3_locale
from obserwatorium.web import charts

register = template.Library()


@register.simple_tag
def activity_chart_spec(table, *, title: str, row_label: str) -> dict:
    """The Vega-Lite spec of a `YearTable` of meetings attended (rows: gminy or forums; columns: years)."""
    rows = [{"row": row.label, "year": year, "count": count}
            for row in table.rows for year, count in zip(table.years, row.counts, strict=True) if count]
    description = _("%(title)s: %(rows)d rows, years %(first)s–%(last)s; the same numbers are in the table below.") % {
        "title": title, "rows": len(table.rows), "first": table.years[0] if table.years else "",
        "last": table.years[-1] if table.years else ""}
    text = charts.ChartText(title=title, description=description,
                            labels={"year": _("Year"), "row": row_label, "count": _("Meetings attended")})
    return charts.activity_chart(text=text, rows=rows, number_locale=d3_locale(get_language() or "pl"))


@register.simple_tag
def chart_options() -> dict:
    """vega-embed's options with the page language's labels (the `chart-options` block of a page)."""
    return charts.embed_options(save_svg=_("Save as SVG"), save_png=_("Save as PNG"), menu=_("Chart actions"))
