"""The municipality and rankings pages cost as many queries with many members and indicators as with few (#15).

Each page is counted on the preset's world, then again after more member gminy and more indicators (some of
them headline, weighted by population, with values over many years) are added: the count must not move.
"""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obserwatorium.indicators.models import BatchKind, Domain, ImportBatch, Indicator, Observation
from obserwatorium.indicators.selectors import comparison_units, population_indicator
from obserwatorium.territory.models import Level, Membership, Unit

pytestmark = pytest.mark.django_db

YEARS = [str(year) for year in range(2012, 2024)]


def _count(client, url: str) -> tuple[int, int]:
    """The page's queries when its figures are computed (none kept since the last write) and when they were
    kept by the request before (`dataversion.memo`): neither may grow with the members and indicators."""
    assert client.get(url).status_code == 200  # warm: sessions, caches
    counts = []
    for kept in (False, True):
        if not kept:
            caches["figures"].clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    return counts[0], counts[1]


def _rows(client, url: str) -> int:
    """How many rows the page's queries return in all (each captured query counted again), with its figures
    computed, not read from the cache."""
    client.get(url)
    caches["figures"].clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    total = 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                cursor.execute(f"SELECT COUNT(*) FROM ({query['sql']}) AS counted")
                total += cursor.fetchone()[0]
    return total


def _history(years: range) -> int:
    """Older years of every indicator the other members have values of (not population): what the page never
    shows but a read of "every member, every period" would fetch. Returns how many (indicator, year) pairs."""
    batch = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="history.csv")
    population = population_indicator()
    kept = set(Observation.objects.exclude(indicator=population).exclude(unit__slug="liszki")
               .values_list("indicator_id", "unit_id").distinct())
    Observation.objects.bulk_create(Observation(indicator_id=indicator_id, unit_id=unit_id, period=str(year),
                                                value=float(year), batch=batch)
                                    for indicator_id, unit_id in kept for year in years)
    return len({indicator_id for indicator_id, _ in kept}) * len(years)


def _grow(*, units: int, indicators: int, offset: int = 0) -> None:
    """More member gminy with population and values of the shown indicators, and more indicators with values
    for every member over every year (`offset`: where their numbering starts, to grow a world twice)."""
    batch = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="more.csv")
    parent = Unit.objects.members().current().first().parent
    for n in range(offset, offset + units):
        Unit.objects.create(teryt=f"99{n:04d}1", name=f"Gmina dodatkowa {n}", slug=f"gmina-dodatkowa-{n}",
                            level=Level.GMINA, gmina_type="rural", parent=parent, membership=Membership.MEMBER)
    domain = Domain.objects.order_by("order").first()
    created = [Indicator.objects.create(code=f"extra-{n}", domain=domain, order=900 + n, name_pl=f"Dodatkowy {n}",
                                        name_en=f"Extra {n}", headline=n % 2 == 0, polarity="higher",
                                        aggregation="population_weighted_mean" if n % 2 else "sum")
               for n in range(offset, offset + indicators)]
    shown = [population_indicator(), Indicator.objects.get(code="sewage-coverage"), *created]
    stored = set(Observation.objects.values_list("indicator_id", "unit_id", "period"))
    Observation.objects.bulk_create(
        Observation(indicator=indicator, unit=unit, period=year, value=1000.0 + unit.pk + int(year), batch=batch)
        for unit in comparison_units() for indicator in shown for year in YEARS
        if (indicator.pk, unit.pk, year) not in stored)


def test_the_municipality_page_costs_the_same_queries_with_more_members_and_indicators(client):
    url = reverse("web:unit", args=["liszki"])
    few = _count(client, url)
    before = len(comparison_units())
    _grow(units=12, indicators=6)
    assert len(comparison_units()) == before + 12
    assert _count(client, url) == few
    html = client.get(url).content.decode()
    assert "Dodatkowy 5" in html  # the new rows are shown


def test_the_municipality_page_does_not_read_the_members_history(client):
    """Ten more years of every other member's values add to what the page reads only the periods its sparklines
    are drawn over (one row per indicator and year), not the values (one per member, indicator and year)."""
    url = reverse("web:unit", args=["liszki"])
    before = _rows(client, url)
    periods = _history(range(1990, 2000))
    assert _rows(client, url) - before <= periods


def test_the_rankings_page_costs_the_same_queries_with_more_members(client):
    url = reverse("insights:rankings") + "?indicator=sewage-coverage&period=2023"
    few = _count(client, url)
    _grow(units=12, indicators=2)
    assert _count(client, url) == few
    assert "Gmina dodatkowa 11" in client.get(url).content.decode()


def test_the_municipality_page_of_a_member_shows_the_same_group_values_as_the_aggregates(client):
    """The metropolis value beside each row is the group value of the analytics (the same rule, one place),
    also for a population-weighted mean read one period at a time."""
    from obserwatorium.insights.groups import members_group
    from obserwatorium.insights.selectors import aggregate_series

    _grow(units=3, indicators=2)
    response = client.get(reverse("web:unit", args=["liszki"]))
    rows = [row for profile in response.context["profiles"] for row in profile.rows if row.period]
    assert any(row.indicator.code == "extra-1" for row in rows)
    group = members_group()
    for row in rows:
        if row.indicator.aggregation == "none":
            continue
        frame = aggregate_series(row.indicator, group).filter(period=row.period).to_dicts()
        expected = frame[0]["value"] if frame else None
        if expected is None or row.metropolis_value is None:
            assert expected == row.metropolis_value, row.indicator.code
        else:
            assert abs(expected - row.metropolis_value) <= 1e-9 * max(1.0, abs(expected)), row.indicator.code


@pytest.mark.parametrize("url", ["/", "/domains/environment-space/"])
def test_the_home_and_domain_pages_do_not_read_the_members_history(client, url):
    """A headline shows the latest metropolis value and the change from the one before: older years add to
    what the page reads at most their periods (one row per indicator and year), not every member's values."""
    before = _rows(client, url)
    periods = _history(range(1990, 2000))
    assert _rows(client, url) - before <= periods


def test_the_home_page_costs_the_same_queries_with_more_members_and_indicators(client):
    """Counted first in a world where some headline lacks a recent group value (a new member without its
    values), so that the earlier periods are read too: the most the page ever reads."""
    _grow(units=1, indicators=2)
    # A member with most of the population and no other values: no headline has a group value in any year.
    large = Unit.objects.create(teryt="9899991", name="Gmina bez danych", slug="gmina-bez-danych",
                                level=Level.GMINA, gmina_type="rural", membership=Membership.MEMBER,
                                parent=Unit.objects.members().current().first().parent)
    Observation.objects.bulk_create(Observation(indicator=population_indicator(), unit=large, period=str(year),
                                                value=1e8, batch=ImportBatch.objects.first())
                                    for year in range(2000, 2026))
    few = _count(client, "/")
    _grow(units=12, indicators=6, offset=100)
    assert _count(client, "/") == few


def test_headlines_read_from_the_latest_periods_equal_those_from_every_period():
    """Also when the latest years lack the coverage for a metropolis value, so earlier ones must be read."""
    from obserwatorium.indicators.selectors import observation_cells, strategy_domains
    from obserwatorium.web.figures import headline, headline_cells

    _grow(units=3, indicators=4)
    members = comparison_units()
    population = population_indicator()
    batch = ImportBatch.objects.first()
    weighted = Indicator.objects.get(code="extra-1")  # a population-weighted mean with values over YEARS
    for year in ("2024", "2025"):  # one member alone reports the latest years: too few for a group value
        Observation.objects.create(indicator=weighted, unit=members[0], period=year, value=1.0, batch=batch)
    shown = [i for domain in strategy_domains() for i in domain.headline_indicators] + [weighted]
    every = observation_cells(indicator_ids=None, unit_ids=[m.pk for m in members])
    latest = headline_cells(shown, members, population)
    for indicator in shown:
        expected = headline(indicator, every, members, population, "pl")
        assert headline(indicator, latest, members, population, "pl") == expected, indicator.code
    late = headline(weighted, latest, members, population, "pl")
    assert late.period == YEARS[-1] and late.change is not None and late.change.start_period == YEARS[-2]


def test_the_indicator_page_costs_the_same_queries_and_shows_as_many_rows_with_more_members(client, monkeypatch):
    """Above its threshold the members × years table is one page of rows and the chart draws only that page's
    members: 12 more members add no query, no table row and no chart line (#15)."""
    from obserwatorium.web import indicator_page

    monkeypatch.setattr(indicator_page, "PAGED_ABOVE", 10)  # the preset's 15 members are "many"
    monkeypatch.setattr(indicator_page, "ROWS_PER_PAGE", 5)
    url = reverse("web:indicator", args=["sewage-coverage"])
    few = _count(client, url)
    _grow(units=12, indicators=0)
    assert _count(client, url) == few
    response = client.get(url, {"page": "2"})
    assert response.status_code == 200
    assert response.context["table_page"].total == len(comparison_units()) == 27
    assert len(response.context["rows"]) == 5 and len(response.context["ranked"]) == 5
    drawn = {row["unit"] for row in response.context["line_spec"]["layer"][0]["data"]["values"]}
    assert drawn == {row.unit.name for row in response.context["rows"]}


def test_the_municipality_page_rows_equal_those_computed_from_every_members_cells(client):
    """Its group values, coverage, flags and positions come from sums in the database: they equal the ones
    computed from every member's cells (`metropolis_figure`, `rank_of`), also with a tie, a provisional value
    and a member without a value in the compared period."""
    from obserwatorium.analytics.ranking import rank_of
    from obserwatorium.indicators.selectors import observation_cells
    from obserwatorium.web.figures import coverage_text, metropolis_figure

    _grow(units=3, indicators=4)
    members = comparison_units()
    liszki = Unit.objects.get(slug="liszki", valid_to=None)
    other = next(m for m in members if m.pk != liszki.pk)
    mine = Observation.objects.get(indicator__code="extra-1", unit=liszki, period=YEARS[-1])
    Observation.objects.filter(indicator__code="extra-1", unit=other, period=YEARS[-1]).update(
        value=mine.value, flag="provisional")  # a tie, and a weaker flag
    Observation.objects.filter(indicator__code="extra-3", unit=members[-1], period=YEARS[-1]).delete()
    response = client.get(reverse("web:unit", args=["liszki"]))
    population = population_indicator()
    cells = observation_cells(indicator_ids=None, unit_ids=[m.pk for m in members])
    rows = [row for profile in response.context["profiles"] for row in profile.rows if row.period]
    assert {"extra-1", "extra-3"} <= {row.indicator.code for row in rows}
    for row in rows:
        figure = metropolis_figure(row.indicator, cells, members, row.period, population)
        shown = figure.value is not None or figure.aggregate.covered
        assert row.metropolis_coverage == (coverage_text(figure.aggregate) if shown else ""), row.indicator.code
        assert row.metropolis_flag == (figure.flag if shown else ""), row.indicator.code
        assert row.metropolis_complete == (figure.aggregate.complete if shown else False), row.indicator.code
        if figure.value is None or row.metropolis_value is None:
            assert figure.value == row.metropolis_value, row.indicator.code
        else:
            assert row.metropolis_value == pytest.approx(figure.value, rel=1e-12), row.indicator.code
        peers = [cells.get(row.indicator.pk, {}).get(m.pk, {}).get(row.period) for m in members]
        expected = rank_of(row.value.value, [c.value if c else None for c in peers], row.indicator.polarity) \
            if row.indicator.comparable else None
        assert row.position == expected, row.indicator.code
    tied = next(row for row in rows if row.indicator.code == "extra-1")
    assert tied.position is not None and tied.metropolis_flag == "demo"  # weighted by the demo population


def test_the_unit_panel_ranks_as_the_rankings_table():
    """The analytics panel of the municipality page ranks by counts in the database (the members with a value in
    the ranked year, those better), without the group's values or unit objects: the same rank as
    `ranking_table`, also with a tie; its demo note still covers the members' values it ranks among."""
    from obserwatorium.insights import selectors as insights
    from obserwatorium.insights.groups import members_group
    from obserwatorium.insights.templatetags.insights import unit_insights

    unit = Unit.objects.get(slug="liszki", valid_to=None)
    headline = Indicator.objects.filter(headline=True).exclude(measure="count").order_by("code").first()
    latest = Observation.objects.filter(indicator=headline, unit=unit).exclude(value=None).order_by("-period").first()
    other = Observation.objects.filter(indicator=headline, period=latest.period).exclude(unit=unit).first()
    other.value = latest.value
    other.save()
    info = unit_insights(unit)
    assert info["rows"]
    group = members_group()
    for row in info["rows"]:
        table, _summary = insights.ranking_table(row["indicator"], str(row["year"]), group)
        mine = table.filter(insights.pl.col("unit") == unit.teryt).to_dicts()[0]
        assert row["rank"] == mine["rank"], row["indicator"].code
        if mine["rank"] is not None:
            assert row["ranked"] == mine["ranked"], row["indicator"].code
    assert any(row["indicator"] == headline and row["rank"] is not None for row in info["rows"])
    assert info["has_demo"]  # the preset's demo values


@pytest.mark.parametrize("paged", [False, True])
def test_the_units_list_costs_the_same_queries_with_more_members(client, monkeypatch, paged):
    """12 more members add no query to the list of members; above its threshold (lowered here so that the
    preset's 15 are "many") they add no row to the page shown either (#15)."""
    from obserwatorium.web import units_page

    if paged:
        monkeypatch.setattr(units_page, "PAGED_ABOVE", 10)
        monkeypatch.setattr(units_page, "ROWS_PER_PAGE", 5)
    url = reverse("web:units")
    few = _count(client, url)
    _grow(units=12, indicators=0)
    assert _count(client, url) == few
    response = client.get(url, {"page": "3"})
    assert len(response.context["rows"]) == (5 if paged else 27)
    assert all(population.value is not None for _, population in response.context["rows"])


def test_the_units_list_reads_the_latest_population_not_every_year(client):
    """Ten more years of every member's population add nothing to what the page reads: one value per member."""
    url = reverse("web:units")
    before = _rows(client, url)
    batch = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="history.csv")
    Observation.objects.bulk_create(Observation(indicator=population_indicator(), unit=unit, period=str(year),
                                                value=float(year), batch=batch)
                                    for unit in comparison_units() for year in range(1990, 2000))
    assert _rows(client, url) == before
