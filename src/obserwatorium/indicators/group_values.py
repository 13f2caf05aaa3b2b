"""Group values from sums in the database: an indicator's value for a group of units in each period, by its
aggregation rule, without reading the units' values one by one.

`kept_group_series` is what the indicator page's summary (`web.indicator_page.summary`) and the indicator's
analytics panel (`insights.templatetags.insights.indicator_insights`) both show, asked with the same requests,
so the second of them finds the sums kept (`selectors.kept_group_sums`, per (indicator, period) and version of
the values read). `summed_aggregate` finishes one period's sums by the same rule and coverage rule as a group
value computed from every unit's value (`analytics.aggregate.aggregate_one`); tests/indicators/test_group_sums.py
holds the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence

from obserwatorium.analytics.aggregate import Aggregate, Inputs, Rule, finish
from obserwatorium.indicators.models import Aggregation, Indicator
from obserwatorium.indicators.selectors import GroupRequest, GroupSums, group_weight, kept_group_sums


def summed_aggregate(indicator: Indicator, sums: GroupSums, total: int) -> Aggregate:
    """The group value of `indicator` from its units' values summed in the database (`selectors.group_sums`,
    asked with `population` set for a mean or ratio); `total` the number of units in the group."""
    rule = Rule(indicator.aggregation)
    if rule.weighted:
        inputs = Inputs(sums.pairs, total, weighted_sum=sums.weighted_sum, weight_sum=sums.weight_sum,
                        flag=sums.pair_flag, covered_population=sums.covered_population,
                        group_population=sums.group_population)
    else:
        inputs = Inputs(sums.values, total, value_sum=sums.value_sum, flag=sums.value_flag)
    return finish(rule, inputs)


def kept_group_series(indicator: Indicator, periods: Sequence[str], *, unit_ids: Sequence[int],
                      population: Indicator | None) -> dict[str, Aggregate]:
    """The group value of each of `periods` over `unit_ids` (none when the indicator is not aggregated): one
    query for the periods whose sums are not kept, none when all are."""
    if indicator.aggregation == Aggregation.NONE or not periods:
        return {}
    weight = group_weight(indicator, population)
    weighted = Rule(indicator.aggregation).weighted
    requests = [GroupRequest(indicator.pk, period, weight.pk if weight is not None else None, population=weighted)
                for period in periods]
    sums = kept_group_sums(requests, unit_ids=unit_ids, population_id=population.pk if population else None)
    total = len(set(unit_ids))
    return {period: summed_aggregate(indicator, sums.get((indicator.pk, period), GroupSums()), total)
            for period in periods}
