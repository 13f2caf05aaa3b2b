"""Deterministic demonstration data: plausible values for the catalogue indicators that declare demo parameters.

Every value is flagged `demo`. The generator only fills keys (indicator, unit, period) that hold no value, or
whose value the demo generator itself wrote and nobody changed since: a value any user, import, sync or preset
wrote — whatever its flag — is never overwritten, and an indicator without demo parameters (one the office
created) gets no demo values at all.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from pydantic import BaseModel, ConfigDict, Field

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import WriteOutcome, write_observations
from obserwatorium.presets.files import Part, PresetError, preset_dir, read_part
from obserwatorium.territory.models import Unit

DEMO_NOTICE = "demonstration data, not official statistics"


@dataclass(frozen=True)
class DemoSettings:
    first_year: int
    last_year: int
    seed: int
    growth: dict[str, float]
    anchors: dict[str, tuple[int, float]]
    area_anchors: dict[str, float]

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Anchor(_Entry):
    year: int
    population: float


class DemoPopulation(_Entry):
    growth: dict[str, float]
    anchors: dict[str, Anchor]


class DemoArea(_Entry):
    anchors: dict[str, float] = {}


class DemoFile(_Entry):
    """demo.yaml: the generator's years, seed, population growth and anchor figures."""

    years: list[int] = Field(min_length=2, max_length=2)
    seed: int
    population: DemoPopulation
    area: DemoArea = DemoArea()


def read_settings(name: str) -> DemoSettings:
    """The demo generator's settings of the named preset, checked against the schema."""
    raw, problems = read_part(folder=preset_dir(name), part=Part("demo.yaml", DemoFile, required=True))
    if problems:
        raise PresetError(problems)
    anchors = {teryt: (a["year"], float(a["population"])) for teryt, a in raw["population"]["anchors"].items()}
    return DemoSettings(first_year=raw["years"][0], last_year=raw["years"][1], seed=raw["seed"],
                        growth=raw["population"]["growth"], anchors=anchors,
                        area_anchors={t: float(a) for t, a in raw.get("area", {}).get("anchors", {}).items()})


def population_series(*, anchor: tuple[int, float], growth: float, years: range) -> dict[int, float]:
    """Compound growth from an anchor figure, backwards and forwards."""
    year0, value0 = anchor
    return {y: round(value0 * (1 + growth) ** (y - year0)) for y in years}


def indicator_series(
    *, spec: dict[str, Any], key: str, years: range, population: dict[int, float],
    bounds: tuple[float | None, float | None] = (None, None), base_value: float | None = None,
) -> dict[int, float]:
    """One unit's plausible yearly values from the catalogue's demo parameters; same key, same values."""
    rng = random.Random(key)
    low = float(spec.get("low", 0))
    high = float(spec.get("high", low))
    base = base_value if base_value is not None else low + (high - low) * rng.random()
    trend, noise = float(spec.get("trend", 0.0)), float(spec.get("noise", 0.0))
    series = {}
    for offset, year in enumerate(years):
        value = base * (1 + trend) ** offset * (1 + noise * rng.gauss(0, 1))
        if spec.get("per_capita"):
            value *= population[year] / 1000
        lowest, highest = bounds
        value = max(value, lowest) if lowest is not None else value
        value = min(value, highest) if highest is not None else value
        series[year] = float(round(value)) if spec.get("integer") else round(value, 4)
    return series


def _population_anchor(unit: Unit, facts: dict[str, list[tuple[int, float]]], settings: DemoSettings,
                       ) -> tuple[int, float]:
    stated = facts.get(unit.teryt)
    if stated:
        middle = (settings.first_year + settings.last_year) / 2
        return min(stated, key=lambda fact: abs(fact[0] - middle))
    return settings.anchors[unit.teryt]


def generate_rows(*, indicators: list[Indicator], units: list[Unit], settings: DemoSettings,
                  facts: dict[str, list[tuple[int, float]]]) -> Iterator[ObservationRow]:
    """All demo rows for the given indicators and units, ratios computed from their own terms."""
    years = settings.years
    populations = {
        unit.pk: population_series(anchor=_population_anchor(unit, facts, settings),
                                   growth=settings.growth[unit.gmina_type], years=years)
        for unit in units
    }
    values: dict[tuple[int, int], dict[int, float]] = {}
    ordered = sorted(indicators, key=lambda i: bool(i.demo.get("from_ratio")))
    for indicator in ordered:
        for unit in units:
            if indicator.code == "population":
                series = populations[unit.pk]
            elif indicator.demo.get("from_ratio") and (numerator := indicator.numerator_id) is not None \
                    and (denominator := indicator.denominator_id) is not None \
                    and (numerator, unit.pk) in values and (denominator, unit.pk) in values:
                num, den = values[(numerator, unit.pk)], values[(denominator, unit.pk)]
                series = {y: round(num[y] / den[y] * indicator.scale, 4) for y in years if den[y]}
            else:
                series = indicator_series(
                    spec=indicator.demo, key=f"{settings.seed}:{indicator.code}:{unit.teryt}", years=years,
                    population=populations[unit.pk], bounds=(indicator.min_value, indicator.max_value),
                    base_value=(unit.area_km2 or settings.area_anchors.get(unit.teryt))
                    if indicator.code == "area" else None,
                )
            values[(indicator.pk, unit.pk)] = series
            for year, value in series.items():
                yield ObservationRow(indicator.pk, unit.pk, str(year), value, Flag.DEMO)


def demo_indicators() -> list[Indicator]:
    """Catalogue indicators that declare demo parameters; derived ones are computed from their inputs instead."""
    candidates = Indicator.objects.filter(derivation__isnull=True).order_by("pk")
    return [indicator for indicator in candidates if indicator.demo]


def protected_keys(*, indicators: list[Indicator], units: list[Unit]) -> set[tuple[int, int, str]]:
    """Keys whose current value was written by anything but the demo generator: those the generator must skip."""
    return set(Observation.objects.filter(indicator__in=indicators, unit__in=units)
               .exclude(batch__kind=BatchKind.DEMO)
               .values_list("indicator_id", "unit_id", "period"))


def _population_facts() -> dict[str, list[tuple[int, float]]]:
    facts: dict[str, list[tuple[int, float]]] = {}
    stated = (Observation.objects.filter(indicator__code="population").exclude(flag=Flag.DEMO)
              .values_list("unit__teryt", "period", "value"))
    for teryt, period, value in stated:
        if period.isdigit() and value is not None:
            facts.setdefault(teryt, []).append((int(period), value))
    return facts


@transaction.atomic
def load_demo_data(*, name: str) -> WriteOutcome:
    """Generate demo values for the demo-declaring indicators x member gminy, leaving every written value untouched."""
    settings = read_settings(name)
    units = list(Unit.objects.members().current().order_by("teryt"))
    indicators = demo_indicators()
    skipped = protected_keys(indicators=indicators, units=units)
    rows = (row for row in generate_rows(indicators=indicators, units=units, settings=settings,
                                         facts=_population_facts())
            if (row.indicator_id, row.unit_id, row.period) not in skipped)
    batch = ImportBatch(kind=BatchKind.DEMO, source=f"Obserwatorium demo generator ({DEMO_NOTICE})",
                        licence="CC0-1.0", metadata={"preset": name, "seed": settings.seed})
    return write_observations(batch=batch, rows=rows)
