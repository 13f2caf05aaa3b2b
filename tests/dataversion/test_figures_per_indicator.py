"""Figures kept per indicator (#15): a write of one indicator's observations computes again only the figures
computed from them, a write of what every figure depends on computes them all, and every page shows after a write
what it would compute anew (no kept figure outlives a write of what it was computed from)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from obserwatorium.dataversion import memo
from obserwatorium.dataversion.models import EVERY_FIGURE
from obserwatorium.dataversion.selectors import figures_versions
from obserwatorium.indicators import selectors
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import write_observations
from obserwatorium.territory.models import Unit
from obserwatorium.web import figures

pytestmark = pytest.mark.django_db

WRITTEN = "sewage-coverage"  # a headline, weighted by population, that no other indicator is computed from
OTHER = "mixed-waste-per-capita"  # another headline weighted by population
GMINA = "liszki"


class Counter:
    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def __call__(self, missing: list[str]) -> dict[str, str]:
        self.asked.append(sorted(missing))
        return {item: f"{item}@{len(self.asked)}" for item in missing}


def _write(code: str, value: float, *, slug: str = GMINA, period: str | None = None) -> str:
    """Write one value of `code` for the gmina (in its latest period unless told) through the write path; return
    the period."""
    indicator = Indicator.objects.get(code=code)
    unit = Unit.objects.get(slug=slug, valid_to=None)
    period = period or max(Observation.objects.filter(indicator=indicator, unit=unit).values_list("period", flat=True))
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="a test's import"),
                       rows=[ObservationRow(indicator.pk, unit.pk, period, value, Flag.FINAL)])
    return period


@pytest.fixture
def computed_headlines(monkeypatch) -> list[list[str]]:
    """The indicators whose headlines are computed (not read back), one list per computation."""
    seen: list[list[str]] = []
    real = figures.headline_cells

    def spy(indicators, *args, **kwargs):
        seen.append(sorted(indicator.code for indicator in indicators))
        return real(indicators, *args, **kwargs)

    monkeypatch.setattr(figures, "headline_cells", spy)
    return seen


@pytest.fixture
def computed_sums(monkeypatch) -> list[list[str]]:
    """The indicators whose group sums (the municipality page's) are computed, one list per computation."""
    seen: list[list[str]] = []
    real = selectors.group_sums
    codes = dict(Indicator.objects.values_list("pk", "code"))

    def spy(requests, **kwargs):
        seen.append(sorted({codes[request.indicator_id] for request in requests}))
        return real(requests, **kwargs)

    monkeypatch.setattr(selectors, "group_sums", spy)
    return seen


def test_a_write_of_one_indicators_values_computes_again_only_the_figures_that_read_them():
    written, other = Indicator.objects.get(code=WRITTEN), Indicator.objects.get(code=OTHER)
    reads = {"written": [written.pk], "other": [other.pk], "both": [written.pk, other.pk]}
    compute = Counter()

    def ask() -> dict[str, str]:
        return memo.remembered_many("test", {item: (item,) for item in reads}, compute, reads=lambda item: reads[item])

    first = ask()
    anything = memo.remembered("test-any", (), lambda: len(compute.asked))  # reads every indicator's values
    _write(WRITTEN, 55.5)
    again = ask()
    assert compute.asked == [["both", "other", "written"], ["both", "written"]]
    assert again["other"] == first["other"] and again["written"] != first["written"]
    assert memo.remembered("test-any", (), lambda: len(compute.asked)) != anything


def test_a_write_of_units_or_of_the_catalogue_computes_every_figure_again():
    written = Indicator.objects.get(code=WRITTEN)
    compute = Counter()
    for write in (lambda: Unit.objects.get(slug=GMINA, valid_to=None).save(),
                  lambda: Indicator.objects.filter(code=OTHER).first().save(),
                  # A batch saved outside the write path may hide or show values (its status): every figure.
                  lambda: ImportBatch.objects.create(kind=BatchKind.UPLOAD, source="saved by hand")):
        memo.remembered_many("test", {"a": (1,)}, compute, reads=lambda _item: [written.pk])
        write()
    memo.remembered_many("test", {"a": (1,)}, compute, reads=lambda _item: [written.pk])
    assert len(compute.asked) == 4


def test_the_write_path_bumps_the_written_indicator_and_those_derived_from_it():
    """An import of population: its own figures, and those of the indicators recomputed from it, nothing else."""
    before = figures_versions()
    _write("population", 123_456.0)
    after = figures_versions()
    changed = {scope for scope in set(before) | set(after) if before.get(scope) != after.get(scope)}
    codes = dict(Indicator.objects.values_list("pk", "code"))
    assert EVERY_FIGURE not in changed
    assert "population" in {codes[scope] for scope in changed}
    assert {codes[scope] for scope in changed} - {"population"}, "the derived indicators recomputed from it"
    assert {codes[scope] for scope in changed} <= {"population", "population-growth", "population-cagr-5y",
                                                   "registered-unemployed-per-1000",
                                                   "registered-unemployed-per-1000-growth"}


def test_after_a_write_of_one_indicator_the_home_page_computes_its_headline_alone(client, computed_headlines):
    client.get("/")
    computed_headlines.clear()
    client.get("/")
    assert computed_headlines == []  # every headline kept
    _write(WRITTEN, 99.9)
    client.get("/")
    assert computed_headlines == [[WRITTEN]]
    Unit.objects.get(slug=GMINA, valid_to=None).save()  # membership and units: what every figure depends on
    computed_headlines.clear()
    client.get("/")
    assert len(computed_headlines) == 1 and OTHER in computed_headlines[0] and WRITTEN in computed_headlines[0]


def test_after_a_write_of_one_indicator_the_municipality_page_computes_its_sums_alone(client, computed_sums):
    url = reverse("web:unit", args=["krakow"])
    client.get(url)
    computed_sums.clear()
    _write(WRITTEN, 1.5)
    client.get(url)
    assert computed_sums == [[WRITTEN]]


def _shown(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _row(response, code: str):
    return next(row for profile in response.context["profiles"] for row in profile.rows if row.indicator.code == code)


PAGES = ["/", "/domains/environment-space/", f"/indicators/{WRITTEN}/", f"/indicators/{OTHER}/",
         "/indicators/population-density/", f"/units/{GMINA}/", "/units/krakow/",
         f"/analytics/rankings/?indicator={WRITTEN}", "/analytics/rankings/?indicator=population-density"]


def _pages(client) -> dict:
    found = {url: client.get(url) for url in PAGES}
    assert all(response.status_code == 200 for response in found.values())
    return found


@pytest.mark.parametrize(("code", "period"), [(WRITTEN, None), (WRITTEN, "2031"), ("population", None),
                                              ("area", None)])
def test_every_page_shows_the_fresh_figures_after_a_write_of_one_indicator(client, code, period):
    """Each page read right after the write, its other figures kept, is the page computed anew: a write of an
    indicator (in a year it has, in a new one), of the population that weighs means and ratios, of the weight of a
    ratio (population density)."""
    _pages(client)
    best = max(Observation.objects.filter(indicator__code=code).values_list("value", flat=True))
    _write(code, best * 3 + 1, period=period)
    kept = _pages(client)
    caches["figures"].clear()
    anew = _pages(client)
    for url in PAGES:
        assert _shown(kept[url].content.decode()) == _shown(anew[url].content.decode()), url


def test_a_write_shows_on_the_pages_of_its_indicator_and_leaves_the_others(client):
    """The home page's headline, the municipality page's position and metropolis value, the indicator page."""
    before = _pages(client)
    gmina = f"/units/{GMINA}/"
    shown = _row(before[gmina], WRITTEN)
    stored = Observation.objects.filter(indicator__code=WRITTEN, period=shown.period, unit__valid_to=None)
    best = max(stored.values_list("value", flat=True))
    # A member below the gmina overtakes it in the year its page shows: the gmina's position falls by one.
    below = stored.filter(unit__membership="member", value__lt=shown.value.value).exclude(unit__slug=GMINA).first()
    _write(WRITTEN, best + 1, slug=below.unit.slug, period=shown.period)
    kept = _pages(client)
    assert _row(kept[gmina], WRITTEN).position == (shown.position[0] + 1, shown.position[1])
    assert _row(kept[gmina], WRITTEN).metropolis_text != _row(before[gmina], WRITTEN).metropolis_text
    assert _row(kept[gmina], OTHER) == _row(before[gmina], OTHER)
    headline_of = {figure.indicator.code: figure for _, items in kept["/"].context["cards"] for figure in items}
    earlier = {figure.indicator.code: figure for _, items in before["/"].context["cards"] for figure in items}
    assert headline_of[WRITTEN].text != earlier[WRITTEN].text and headline_of[OTHER] == earlier[OTHER]
    assert kept[f"/indicators/{WRITTEN}/"].context["metropolis_row"] != \
        before[f"/indicators/{WRITTEN}/"].context["metropolis_row"]


def test_a_write_of_population_computes_again_every_figure_it_weighs(client, computed_headlines):
    client.get("/")
    computed_headlines.clear()
    _write("population", 1.0)
    client.get("/")
    assert len(computed_headlines) == 1 and {WRITTEN, OTHER, "population"} <= set(computed_headlines[0])


@pytest.mark.parametrize("url", ["/", f"/units/{GMINA}/", f"/indicators/{WRITTEN}/"])
def test_a_page_reads_the_figures_versions_once(client, url):
    """One statement for the versions of every figure the page shows, whatever the number of indicators."""
    client.get(url)
    _write(WRITTEN, 42.0)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    reads = [query["sql"] for query in captured.captured_queries if "dataversion_figuresversion" in query["sql"]]
    assert len(reads) == 1, reads
