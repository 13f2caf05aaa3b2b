"""The Vega-Lite chart of the comparison page: a few chosen gminy over time, and their group (pure dict)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from obserwatorium.web.charts import INK, SCHEMA, TITLE_LINE, ChartText, base_config, chart_header, value_format

# Paul Tol's and Okabe–Ito's colour-blind-safe hues, darkened where needed so that each line keeps 3:1 against
# white (WCAG 1.4.11); each line has its own dash too, so no line is told apart by colour alone.
UNIT_COLOURS = ("#0077bb", "#cc3311", "#007f73", "#b8336a", "#6a4c93", "#7a6000")
UNIT_DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [4, 4], [10, 2])


def comparison_chart(*, text: ChartText, series: Sequence[str], rows: Sequence[dict], group: str, decimals: int,
                     number_locale: dict) -> dict:
    """One line per chosen gmina (in `series` order) and, when `group` names one, the group as a thick dark line.

    `rows`: {"series", "period", "value", "flag"} per value; `group`: the group's series name ("" for none).
    """
    names = [name for name in series if name != group]
    domain = [*names, *([group] if group else [])]
    colours = [*UNIT_COLOURS[: len(names)], *([INK] if group else [])]
    dashes = [*UNIT_DASHES[: len(names)], *([[1, 0]] if group else [])]
    yearly = all(str(row["period"]).isdigit() for row in rows)
    values = [{**row, "year": int(row["period"])} if yearly else dict(row) for row in rows]
    x = ({"field": "year", "type": "quantitative", "title": text.label("period"),
          "scale": {"zero": False, "nice": False, "padding": 10},
          "axis": {"format": "d", "tickMinStep": 1, "labelAngle": 0, "grid": False}} if yearly else
         {"field": "period", "type": "ordinal", "title": text.label("period"), "axis": {"labelAngle": 0}})
    legend = {"orient": "top", "title": None, "symbolType": "stroke", "symbolStrokeWidth": 3, "columns": 2,
              "labelLimit": 160}
    return {
        "$schema": SCHEMA,
        "description": text.description,
        "title": {**chart_header(text), "text": _wrapped(text.title)},
        "width": "container",
        "height": 220,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": values},
        "mark": {"type": "line", "point": {"size": 30, "filled": True}},
        "encoding": {
            "x": x,
            "y": {"field": "value", "type": "quantitative", "title": text.label("axis"), "scale": {"zero": False}},
            "color": {"field": "series", "type": "nominal", "scale": {"domain": domain, "range": colours},
                      "legend": legend},
            "strokeDash": {"field": "series", "type": "nominal", "scale": {"domain": domain, "range": dashes},
                           "legend": None},
            "strokeWidth": {"condition": {"test": f"datum.series === {_js_string(group)}", "value": 3.5},
                            "value": 2},
            "tooltip": [{"field": "series", "type": "nominal", "title": text.label("unit")},
                        {"field": "period", "type": "ordinal", "title": text.label("period")},
                        {"field": "value", "type": "quantitative", "title": text.label("value"),
                         "format": value_format(decimals)},
                        {"field": "flag", "type": "nominal", "title": text.label("flag")}],
        },
        "config": base_config(number_locale),
    }


def _wrapped(title: str) -> list[str]:
    return textwrap.wrap(title, TITLE_LINE) or [title]


def _js_string(value: str) -> str:
    return json.dumps(value)
