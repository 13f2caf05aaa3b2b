"""Helpers for the observation API tests: the preset's stated facts, and writes through the one write path."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator
from obserwatorium.indicators.services import write_observations
from obserwatorium.territory.models import Unit

PRESET = Path(__file__).resolve().parents[2] / "src" / "obserwatorium" / "presets" / "krakow"


@pytest.fixture(scope="session")
def population_facts() -> list[dict[str, str]]:
    """Rows of the preset's population.csv: teryt, year, population, source."""
    with (PRESET / "population.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def write():
    """Write observations (indicator code, TERYT, period, value, flag) in one new batch; returns the batch."""

    def store(rows: list[tuple[str, str, str, float | None, str]], *, source: str = "test upload",
              kind: str = BatchKind.UPLOAD, user=None) -> ImportBatch:
        indicators = {i.code: i.pk for i in Indicator.objects.all()}
        units = {u.teryt: u.pk for u in Unit.objects.current()}
        batch = ImportBatch(kind=kind, source=source, source_url="https://example.org/data.csv",
                            licence="CC-BY-4.0")
        outcome = write_observations(
            batch=batch, user=user,
            rows=[ObservationRow(indicators[code], units[teryt], period, value, flag or Flag.FINAL)
                  for code, teryt, period, value, flag in rows])
        return outcome.batch

    return store
