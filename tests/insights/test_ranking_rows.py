"""The rows of the rankings table are made in Python (`presenters.ranking_body`), not by a template loop (#15: 2,477
gminy). They must read exactly as the loop wrote them, with `{% url %}`, `number`, `flag_mark` and
`position_label` per row: links, numbers in Polish and English, flag marks, positions, escaping. `REFERENCE` is
that loop as the page had it; the groups list, built from rows instead of model objects, is checked the same way.
"""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from obserwatorium.insights.groups import available_groups
from obserwatorium.insights.models import PeerGroup
from obserwatorium.insights.presenters import ranking_bars, ranking_body
from obserwatorium.territory.models import GminaType, Level, Unit

pytestmark = pytest.mark.django_db

# The template's row loop before #15, verbatim (insights/rankings.html).
REFERENCE = Template(
    "{% load insights observatory %}"
    """{% for row in rows %}<tr><td class="num">{{ row.rank|default:"—" }}</td><td><a href="{% url 'insights:comparison' %}?unit={{ row.unit }}&amp;group={{ group.key }}">{{ row.name }}</a></td>
    <td class="num">{{ row.value|number:indicator.decimals }}{% flag_mark row.flag row.value %}</td>
    <td class="bar-cell" aria-hidden="true"><svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false"><rect width="{{ row.bar_width }}" height="10"/></svg></td>
    <td>{{ row.position|position_label }}</td></tr>
  {% endfor %}""")  # noqa: E501


def _reference(rows, group: str, decimals: int, language: str) -> str:
    with translation.override(language):
        return REFERENCE.render(Context({"rows": rows, "group": {"key": group}, "indicator": {"decimals": decimals}}))


def _row(rank, unit, name, value, flag, position) -> dict:
    return {"rank": rank, "unit": unit, "name": name, "value": value, "flag": flag, "position": position}


ROWS = [
    _row(1, "1261011", "Kraków", 1234567.891, "final", "top-quartile"),
    _row(2, "1206012", "Gmina \"Ą&Ź\" <b>'x'</b>", -2.675, "demo", "above-median"),
    _row(3, "1206022", "Liszki", 0.5, "provisional", "median"),
    _row(1234, "1206032", "Zabierzów", -0.04, "estimated", "below-median"),
    _row(1235, "1206042", "Wieliczka", 72.03, "confidential", "bottom-quartile"),
    _row(1236, "1206052", "Niepołomice", 100.0, None, None),
    _row(None, "1206062", "Skawina", None, "demo", None),  # no value: neither a number nor a mark
    _row(None, "1206072", "Mogilany", None, None, "median"),
]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("decimals", [0, 1, 2, -3])
@pytest.mark.parametrize("group", ["members", "powiat:1206", "type:urban-rural"])
def test_the_rows_read_as_the_template_wrote_them(language, decimals, group):
    rows = ranking_bars([dict(row) for row in ROWS])
    with translation.override(language):
        body = ranking_body(rows, group=group, decimals=decimals, language=language)
    assert str(body) == _reference(rows, group, decimals, language)


def _body(html: str) -> str:
    return html[html.index("<tbody>\n  ") + len("<tbody>\n  "):html.index("\n  </tbody>")]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("query", [
    "", "?indicator=population&period=2020", "?indicator=population&group=type:rural&ties=dense",
    "?indicator=sewage-coverage&group=gminy", "?indicator=unemployed-share-working-age&group=powiat:1206",
    "?indicator=registered-unemployed",  # a count: no ranks, no positions
])
def test_the_rankings_page_shows_the_rows_the_template_showed(language, query):
    response = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE=language).get(reverse("insights:rankings") + query)
    assert response.status_code == 200
    context = response.context
    shown = _body(response.content.decode())
    assert shown == _reference(context["rows"], context["group"].key, context["indicator"].decimals, language)
    assert shown.count("<tr>") == len(context["rows"]) == len(context["group"].units) > 0


@pytest.mark.parametrize(("language", "title", "decimal"),
                         [("pl", "demonstracyjne", ","), ("en", "demonstration", ".")])
def test_the_demo_rows_carry_their_mark_and_the_numbers_their_language(language, title, decimal):
    response = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE=language).get(
        reverse("insights:rankings"), {"indicator": "sewage-coverage", "period": "2023"})
    rows = [row for row in _body(response.content.decode()).split("</tr>") if row.strip()]
    demo = [row for row in rows if f'<abbr class="flag flag-demo" title="{title}">demo</abbr>' in row]
    assert len(demo) == len(rows) == 15  # the preset's demonstration values
    assert all(re.search(rf'<td class="num">\d+{re.escape(decimal)}\d <abbr', row) for row in demo)
    link = f'<a href="{reverse("insights:comparison")}?unit='
    assert all(link in row and "&amp;group=members\">" in row for row in rows)


def test_the_groups_are_those_of_the_units():
    """The groups, built from rows (not `Unit` objects), hold the units the models say, by TERYT code, and the
    page lists each with its label and size."""
    gminy = list(Unit.objects.current().gminy().order_by("teryt"))
    members = [u for u in gminy if u.is_member]
    expected = [("members", members), ("gminy", gminy)]
    expected += [(f"type:{value}", [u for u in members if u.gmina_type == value]) for value, _ in GminaType.choices]
    expected += [(f"powiat:{p.teryt}", [u for u in members if u.parent_id == p.pk])
                 for p in Unit.objects.current().filter(level=Level.POWIAT).order_by("teryt")]
    expected += [(f"group:{peer.code}", sorted(peer.units.all(), key=lambda u: u.teryt))
                 for peer in PeerGroup.objects.all()]
    expected = [(key, [(u.pk, u.teryt, u.name, u.slug) for u in units]) for key, units in expected if units]
    assert {key.partition(":")[0] for key, _ in expected} == {"members", "gminy", "type", "powiat", "group"}
    with translation.override("pl"):
        groups = available_groups()
    assert [(g.key, [tuple(u) for u in g.units]) for g in groups] == expected
    html = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="pl").get(reverse("insights:rankings")).content.decode()
    assert f'<option value="members" selected>Członkowie Stowarzyszenia ({len(members)})</option>' in html
    for group in groups:
        assert re.search(rf'<option value="{re.escape(group.key)}"( selected)?>{re.escape(group.label)} '
                         rf'\({len(group.units)}\)</option>', html), group.key
