"""Group aggregates with coverage, rankings, indices, trends and progress read from the database."""

from __future__ import annotations

import polars as pl
import pytest

from obserwatorium.indicators.models import Indicator, Observation
from obserwatorium.insights import datasets, indices, selectors
from obserwatorium.insights.groups import available_groups, resolve_group
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.strategy.models import Target

pytestmark = pytest.mark.django_db


def test_groups_cover_members_types_powiaty_and_user_groups():
    keys = {g.key for g in available_groups()}
    assert {"members", "gminy", "type:urban", "type:rural", "type:urban-rural", "powiat:1206", "powiat:1219",
            "group:members-outside-krakow"} <= keys
    assert len(resolve_group("members").units) == 15
    assert resolve_group("type:urban").teryts == ["1261011"]
    assert resolve_group(None, ["1261011", "1206012"]).key == "custom"
    assert resolve_group(None, ["9999999"]) is None
    assert resolve_group("drop table") is None


def test_metropolis_sum_of_every_member():
    population = Indicator.objects.get(code="population")
    row = selectors.aggregate_series(population, resolve_group("members")).filter(pl.col("period") == "2020")
    assert row["covered"][0] == row["expected"][0] == 15 and row["missing"][0].to_list() == []
    expected = sum(Observation.objects.filter(indicator=population, period="2020", unit__membership="member")
                   .values_list("value", flat=True))
    assert row["value"][0] == pytest.approx(expected)


def test_metropolis_sum_is_withheld_and_the_missing_member_reported():
    population = Indicator.objects.get(code="population")
    Observation.objects.filter(indicator=population, unit__teryt="1206012", period="2020").delete()
    row = selectors.aggregate_series(population, resolve_group("members")).filter(pl.col("period") == "2020")
    assert row["covered"][0] == 14 and row["expected"][0] == 15 and row["missing"][0].to_list() == ["1206012"]
    assert row["value"][0] is None


def test_growth_of_the_metropolis_is_the_growth_of_its_aggregate():
    group = resolve_group("members")
    totals = selectors.group_series(Indicator.objects.get(code="population"), group)
    growth = selectors.group_series(Indicator.objects.get(code="population-growth"), group)
    assert growth[2021] == pytest.approx((totals[2021] / totals[2020] - 1) * 100)


def test_ranking_respects_polarity():
    indicator = Indicator.objects.get(code="unemployed-share-working-age")  # lower is better
    table, summary = selectors.ranking_table(indicator, "2023", resolve_group("members"))
    ranked = table.filter(pl.col("rank").is_not_null()).sort("rank")
    assert ranked["value"].to_list() == sorted(ranked["value"].to_list())
    assert ranked["position"][0] == "top-quartile" and summary["n"] == 15


def test_composite_index_contributions_add_up_and_overall_uses_domain_indices():
    group = resolve_group("members")
    economy = CompositeIndex.objects.get(code="index-economy")
    scores, parts = indices.compute(economy, tuple(group.teryts))
    totals = parts.group_by("unit", "period").agg(pl.col("contribution").sum())
    joined = scores.join(totals, on=["unit", "period"])
    assert joined.height > 0
    assert joined["index"].to_list() == pytest.approx(joined["contribution"].to_list())
    overall, overall_parts = indices.compute(CompositeIndex.objects.get(code="index-overall"), tuple(group.teryts))
    assert set(overall_parts["component"].unique()) == {f"index:{c}" for c in (
        "index-smart-governance", "index-environment-space", "index-mobility", "index-economy",
        "index-leisure-culture", "index-education", "index-social-services")}
    assert overall.filter(pl.col("period") == "2023")["index"].is_not_null().all()


def test_progress_dataset_assesses_every_illustrative_target():
    frame = datasets.progress().frame
    assert frame.height == Target.objects.count() == 7
    assert frame["illustrative"].all()
    assert set(frame["status"].drop_nulls()) <= {"significant-progress", "moderate-progress",
                                                 "insufficient-progress", "movement-away"}
    assert frame["status"].null_count() == 0


@pytest.mark.parametrize("code", ["regon-entities-per-10k", "unemployed-share-working-age"])  # mean; ratio
@pytest.mark.parametrize("known", ["earlier", "later", "never"])
def test_a_group_value_of_one_period_is_that_of_every_period_when_a_member_lacks_population_then(code, known):
    """The rankings read one period; the coverage rule takes a member's nearest known population when it has none
    in that period. Kraków (most of the members' population) without a value and without population in the
    period still counts in the group's population by its nearest year, so the value is withheld (below two
    thirds of the population covered), as the series of every period says."""
    indicator = Indicator.objects.get(code=code)
    group = resolve_group("members")
    population = Observation.objects.filter(indicator__code="population", unit__teryt="1261011")
    years = sorted(set(population.values_list("period", flat=True)) & set(selectors.periods(indicator)))
    period = years[len(years) // 2]
    Observation.objects.filter(indicator=indicator, unit__teryt="1261011", period=period).delete()
    gone = {"earlier": population.filter(period__gte=period), "later": population.filter(period__lte=period),
            "never": population}[known]
    gone.delete()
    whole = selectors.aggregate_series(indicator, group).filter(pl.col("period") == period)
    shown = selectors.aggregate_series(indicator, group, [period])
    assert shown.to_dicts() == whole.to_dicts()
    assert whole["covered"][0] == 14
    if known == "never":  # left out of the group's population: the others cover all that is known
        assert whole["value"][0] is not None
    else:
        assert whole["value"][0] is None
