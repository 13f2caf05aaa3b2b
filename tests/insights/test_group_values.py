"""Group values (the metropolis, a peer group) are computed from the values the pages show for their units.

An imported per-capita value must not be aggregated from other series (a demo numerator), and the group value
carries the weakest flag of what it was computed from: pages, analytics views, API and downloads agree.
"""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest
from django.urls import reverse
from django.utils import translation

from obserwatorium.analytics.flags import weakest
from obserwatorium.indicators.models import Indicator, Observation
from obserwatorium.insights import datasets, selectors
from obserwatorium.insights.groups import resolve_group
from obserwatorium.numbers import format_number
from obserwatorium.web import indicator_page
from tests.ingest.helpers import run_import
from tests.ingest.test_real_bdl_extracts import real_rows

pytestmark = pytest.mark.django_db

CODE = "own-revenues-per-capita"


def _import_real_own_revenues(shared_data) -> list[dict]:
    rows = [row for row in real_rows(shared_data("real/bdl_elvacc_2020.csv")) if row["code"] == CODE]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["teryt", "indicator", "year", "value"])
    writer.writeheader()
    writer.writerows({"teryt": r["teryt"], "indicator": CODE, "year": r["year"], "value": r["value"]} for r in rows)
    assert run_import(buffer.getvalue(), name="bdl_elvacc_2020.csv", source="GUS BDL (real extract)").ok
    return rows


def _expected(members: list[str]) -> tuple[float, str]:
    """Σ(value × population) / Σ population over the members, and the weakest flag of those inputs."""
    own = {t: (v, f) for t, v, f in Observation.objects.filter(indicator__code=CODE, period="2020",
                                                               unit__teryt__in=members)
           .values_list("unit__teryt", "value", "flag")}
    population = {t: (v, f) for t, v, f in Observation.objects.filter(indicator__code="population", period="2020",
                                                                      unit__teryt__in=members)
                  .values_list("unit__teryt", "value", "flag")}
    both = [t for t in members if t in own and t in population]
    assert len(both) == len(members)
    value = sum(own[t][0] * population[t][0] for t in both) / sum(population[t][0] for t in both)
    return value, weakest([own[t][1] for t in both] + [population[t][1] for t in both])


def test_a_group_value_of_imported_ratios_lies_among_them_and_carries_their_weakest_flag(shared_data):
    rows = _import_real_own_revenues(shared_data)
    members = resolve_group("members")
    shown = {r["teryt"]: float(r["value"]) for r in rows if r["teryt"] in members.teryts}
    assert len(shown) == 15 and min(shown.values()) == pytest.approx(2011.20)
    value, flag = _expected(members.teryts)

    # The analytics path (aggregates page, API, downloads).
    row = selectors.aggregate_series(Indicator.objects.get(code=CODE), members).filter(pl.col("period") == "2020")
    assert min(shown.values()) <= row["value"][0] <= max(shown.values())  # was 1,854 zł from demo inputs
    assert row["value"][0] == pytest.approx(value) and row["flag"][0] == flag
    download = datasets.aggregate(Indicator.objects.get(code=CODE), members).frame.filter(pl.col("period") == "2020")
    assert download["value"][0] == pytest.approx(value) and download["flag"][0] == flag

    # The pages' path (indicator page table foot): the same value.
    context = indicator_page.build(Indicator.objects.get(code=CODE), year="2020", language="en")
    cell = context["metropolis_row"][context["periods"].index("2020")]
    assert cell.text == format_number(value, decimals=0, language="en")


def test_a_peer_group_value_follows_the_same_rule(shared_data):
    _import_real_own_revenues(shared_data)
    group = resolve_group("group:members-outside-krakow")
    value, flag = _expected(group.teryts)
    row = selectors.aggregate_series(Indicator.objects.get(code=CODE), group).filter(pl.col("period") == "2020")
    assert row["value"][0] == pytest.approx(value) and row["flag"][0] == flag


def _mark(flag: str) -> str:
    return f'<abbr class="flag flag-{flag}"'


@pytest.fixture
def client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def test_group_values_carry_their_flag_on_every_page(shared_data, client):
    """Real unit values beside a group value computed with demo weights: the group value is marked, and the
    demo banner stays even where every unit row is real."""
    _import_real_own_revenues(shared_data)
    members = resolve_group("members")
    _, flag = _expected(members.teryts)
    assert flag != "final"  # the preset's 2020 population is demonstration data

    page = client.get(reverse("web:indicator", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    periods = [p.split("<")[0] for p in page[page.index("<thead>"):page.index("</thead>")]
               .split('<th scope="col" class="num">')[1:]]
    foot = page[page.index("<tfoot>"):page.index("</tfoot>")]
    cells = dict(zip(periods, foot.split('<td class="num">')[1:], strict=True))
    assert _mark(flag) in cells["2020"]

    krakow = next(u for u in members.units if u.teryt == "1261011")
    unit_page = client.get(reverse("web:unit", args=[krakow.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = unit_page[unit_page.index(f'href="{reverse("web:indicator", args=[CODE])}"'):].split("</tr>", 1)[0]
    kraków_cell, metropolis_cell = row.split('<td class="num">')[1:3]
    assert _mark(flag) not in kraków_cell and _mark(flag) in metropolis_cell

    rankings = client.get(reverse("insights:rankings"), {"indicator": CODE, "period": "2020"},
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    aggregate = rankings[rankings.index('<p class="aggregate">'):].split("</p>", 1)[0]
    assert _mark(flag) in aggregate
    body = rankings[rankings.index("<tbody>"):rankings.index("</tbody>")]
    assert 'class="flag' not in body  # every ranked row is the imported, final value
    assert ('class="demo-notice"' in rankings) == (flag == "demo")


@pytest.mark.parametrize(("kept", "coverage"), [(["1206012"], "1 of 15 members"),
                                                 ("all but Kraków", "14 of 15 members")])
def test_a_group_mean_below_the_coverage_rule_is_withheld_everywhere(shared_data, client, kept, coverage):
    _import_real_own_revenues(shared_data)
    members = resolve_group("members")
    kept = [t for t in members.teryts if t != "1261011"] if kept == "all but Kraków" else kept
    Observation.objects.filter(indicator__code=CODE, period="2020").exclude(unit__teryt__in=kept).delete()
    indicator = Indicator.objects.get(code=CODE)

    row = selectors.aggregate_series(indicator, members).filter(pl.col("period") == "2020")
    assert row["value"][0] is None and row["covered"][0] == len(kept)
    with translation.override("en"):
        context = indicator_page.build(indicator, year="2020", language="en")
    cell = context["metropolis_row"][context["periods"].index("2020")]
    assert cell.text == "—" and cell.coverage.startswith(coverage) and "of the population" in cell.coverage
    page = client.get(reverse("web:indicator", args=[CODE]), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    foot = page[page.index("<tfoot>"):page.index("</tfoot>")]
    assert coverage.replace(" of ", " z ").replace("members", "gmin") in foot
