"""Size-dependent counts (registered unemployed, own revenues in złoty, km of bike paths, events) are never
ranked, put in quartiles or compared between gminy of different size; rates, per-capita values and shares are."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml
from django.core.exceptions import ValidationError
from django.urls import reverse

from obserwatorium.indicators.models import Indicator, Measure
from obserwatorium.insights import datasets, selectors
from obserwatorium.insights.groups import resolve_group
from obserwatorium.insights.models import CompositeComponent, CompositeIndex
from obserwatorium.insights.preset import _direction
from obserwatorium.territory.models import Unit
from obserwatorium.web import indicator_page, unit_page

pytestmark = pytest.mark.django_db

COUNTS = ["registered-unemployed", "own-revenues", "bike-paths-length", "cultural-events", "population"]
RATES = ["unemployed-share-working-age", "own-revenues-per-capita", "bike-paths-per-10k", "cultural-events-per-10k"]
CATALOGUE = Path(__file__).parents[2] / "src/obserwatorium/presets/krakow/catalogue"
NOTE = "A count: not comparable between gminy of different size."


def test_the_catalogue_declares_every_indicator_a_count_or_a_rate():
    entries = [e for path in sorted(CATALOGUE.glob("*.yaml"))
               for e in yaml.safe_load(path.read_text(encoding="utf-8"))["indicators"]]
    assert all(entry["measure"] in ("count", "rate") for entry in entries)
    stored = dict(Indicator.objects.values_list("code", "measure"))
    assert all(stored[code] == Measure.COUNT for code in COUNTS)
    assert all(stored[code] == Measure.RATE for code in RATES)
    # Every sum is a count; a derived per-1,000 rate is a rate.
    assert all(stored[e["code"]] == Measure.COUNT for e in entries if e["aggregation"] == "sum")
    assert stored["registered-unemployed-per-1000"] == Measure.RATE


def test_krakow_is_not_put_in_a_quartile_for_its_number_of_unemployed():
    members = resolve_group("members")
    unemployed = Indicator.objects.get(code="registered-unemployed")
    period = selectors.periods(unemployed)[-1]
    table, summary = selectors.ranking_table(unemployed, period, members)
    assert table["rank"].null_count() == table.height and table["position"].null_count() == table.height
    assert summary["q1"] is None and summary["n"] == 15
    krakow = table.filter(pl.col("unit") == "1261011")
    assert krakow["value"][0] is not None and krakow["position"][0] is None
    rate = Indicator.objects.get(code="unemployed-share-working-age")
    ranked, _ = selectors.ranking_table(rate, selectors.periods(rate)[-1], members)
    assert ranked["rank"].null_count() == 0 and ranked["position"].null_count() == 0


def test_peer_comparison_gives_a_count_no_rank_or_position():
    krakow = resolve_group("members").units[0]
    chosen = list(Indicator.objects.filter(code__in=["registered-unemployed", "unemployed-share-working-age"]))
    period = selectors.periods(chosen[0])[-1]
    rows = {r["indicator"]: r for r in datasets.comparison(krakow, resolve_group("members"), period,
                                                           chosen).frame.to_dicts()}
    count, rate = rows["registered-unemployed"], rows["unemployed-share-working-age"]
    assert (count["rank"], count["position"], count["q1"], count["comparable"]) == (None, None, None, False)
    assert rate["rank"] is not None and rate["comparable"]


def test_pages_say_plainly_that_a_count_is_not_compared(client):
    unemployed = Indicator.objects.get(code="registered-unemployed")
    context = indicator_page.build(unemployed, year=None, language="en")
    assert context["ranked"] and all(row.position is None for row in context["ranked"])
    krakow = Unit.objects.current().get(teryt="1261011")  # the model: a group's units are only keys and names
    rows = [row for profile in unit_page.build(krakow, language="en")["profiles"] for row in profile.rows]
    assert next(r for r in rows if r.indicator.code == "registered-unemployed").position is None
    assert next(r for r in rows if r.indicator.code == "unemployed-share-working-age").position is not None
    for url in (reverse("web:indicator", args=["registered-unemployed"]), reverse("web:unit", args=[krakow.slug]),
                reverse("insights:rankings") + "?indicator=registered-unemployed"):
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        polish = client.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
        assert NOTE in english and "nieporównywalna między gminami różnej wielkości" in polish, url
    rate_page = client.get(reverse("web:indicator", args=["unemployed-share-working-age"]),
                           HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert NOTE not in rate_page


def test_a_count_cannot_enter_a_composite_index():
    unemployed = Indicator.objects.get(code="registered-unemployed")
    with pytest.raises(ValueError, match="count"):
        _direction({}, unemployed)
    component = CompositeComponent(index=CompositeIndex.objects.first(), indicator=unemployed, weight=1)
    with pytest.raises(ValidationError):
        component.clean()
