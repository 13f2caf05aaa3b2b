"""Indicators of every aggregation rule with values stored in one batch: the world of the tests that hold group
values from sums in the database to those from every unit's values (tests/indicators/test_group_sums.py,
tests/insights/test_panel_aggregate.py)."""

from __future__ import annotations

from obserwatorium.dataversion.services import bump_data_version
from obserwatorium.indicators.models import BatchKind, Domain, ImportBatch, Indicator, Observation

RULES = ("sum", "population_weighted_mean", "ratio_of_sums", "none")


def rule_indicators(prefix: str, *, own_population: bool) -> dict[str, Indicator]:
    """A denominator and a numerator, one indicator per rule (a ratio of sums of the two), codes `prefix-…`;
    with `own_population` a population of their own too (so that the preset's does not enter)."""
    domain = Domain.objects.order_by("order").first()

    def made(key: str, aggregation: str, **more) -> Indicator:
        return Indicator.objects.create(code=f"{prefix}-{key}", domain=domain, name_pl=f"{prefix}-{key}",
                                        name_en=f"{prefix}-{key}", aggregation=aggregation, **more)

    found = {"population": made("population", "sum")} if own_population else {}
    found |= {"denominator": made("denominator", "sum"), "numerator": made("numerator", "sum")}
    for rule in RULES:
        terms = {"numerator": found["numerator"], "denominator": found["denominator"]} \
            if rule == "ratio_of_sums" else {}
        found[rule] = made(rule, rule, **terms)
    return found


def store(indicators: dict[str, Indicator], rows: list[tuple[str, int, str, float | None, str]]) -> None:
    """These (indicator key, unit id, period, value, flag) rows as the indicators' only values, in one batch."""
    Observation.objects.filter(indicator__in=indicators.values()).delete()
    batch = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="group-rules.csv")
    Observation.objects.bulk_create(Observation(indicator=indicators[key], unit_id=unit_id, period=period,
                                                value=value, flag=flag, batch=batch)
                                    for key, unit_id, period, value, flag in rows)
    bump_data_version()  # as every write path does (bulk_create sends no signal)
