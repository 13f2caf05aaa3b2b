"""recompute_derived: values, weakest flag, provenance of inputs, propagation of a change, no rewrite when unchanged."""

from __future__ import annotations

import pytest

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import write_observations
from obserwatorium.insights.models import DerivedIndicator
from obserwatorium.insights.services import recompute_derived
from obserwatorium.presets.files import preset_dir
from obserwatorium.presets.pipeline import load_preset
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


def value(code: str, teryt: str, period: str) -> Observation:
    return Observation.objects.select_related("batch").get(indicator__code=code, unit__teryt=teryt, period=period)


def write(code: str, teryt: str, period: str, number: float, flag: str = Flag.FINAL) -> ImportBatch:
    indicator, unit = Indicator.objects.get(code=code), Unit.objects.get(teryt=teryt, valid_to=None)
    batch = ImportBatch(kind=BatchKind.UPLOAD, source="test upload", licence="CC-BY-4.0")
    write_observations(batch=batch, rows=[ObservationRow(indicator.pk, unit.pk, period, number, flag)])
    return batch


def test_derived_catalogue_entries_exist_with_ratio_rule():
    per_1000 = Indicator.objects.get(code="registered-unemployed-per-1000")
    assert per_1000.derivation.formula == "per_1000"
    assert (per_1000.aggregation, per_1000.numerator.code, per_1000.denominator.code, per_1000.scale) == (
        "ratio_of_sums", "registered-unemployed", "population", 1000.0)
    assert Indicator.objects.get(code="population-growth").aggregation == "none"


def test_per_1000_value_equals_its_inputs_and_batch_lists_them():
    derived = value("registered-unemployed-per-1000", "1206012", "2020")
    unemployed = value("registered-unemployed", "1206012", "2020")
    population = value("population", "1206012", "2020")
    assert derived.value == pytest.approx(unemployed.value / population.value * 1000)
    assert derived.flag == Flag.DEMO  # the weakest input is demo
    assert derived.batch.kind == BatchKind.DERIVED
    assert {unemployed.batch_id, population.batch_id} <= set(derived.batch.metadata["input_batches"])
    assert derived.batch.metadata["formula"] == "per_1000"


def test_a_changed_input_propagates_through_a_chain_and_takes_its_flag():
    write("registered-unemployed", "1206012", "2021", 120.0, Flag.PROVISIONAL)
    write("population", "1206012", "2021", 12000.0)
    write("registered-unemployed", "1206012", "2020", 100.0)
    write("population", "1206012", "2020", 10000.0)
    outcome = recompute_derived(indicators=["registered-unemployed", "population"])
    assert {"registered-unemployed-per-1000", "registered-unemployed-per-1000-growth",
            "population-growth"} <= set(outcome)
    assert "pit-revenue-share" not in outcome
    assert value("registered-unemployed-per-1000", "1206012", "2021").value == pytest.approx(10.0)
    assert value("registered-unemployed-per-1000", "1206012", "2020").flag == Flag.FINAL
    growth = value("registered-unemployed-per-1000-growth", "1206012", "2021")
    assert growth.value == pytest.approx(0.0)  # 10 per 1,000 in both years
    assert growth.flag == Flag.PROVISIONAL
    assert value("population-growth", "1206012", "2021").value == pytest.approx(20.0)


def test_recompute_without_changes_writes_nothing():
    recompute_derived()
    batches = ImportBatch.objects.filter(kind=BatchKind.DERIVED).count()
    outcome = recompute_derived()
    assert all(counts == {"inserted": 0, "updated": 0} for counts in outcome.values())
    assert ImportBatch.objects.filter(kind=BatchKind.DERIVED).count() == batches


def test_a_value_that_no_longer_computes_is_cleared_with_a_revision():
    write("population", "1206012", "2019", 0.0)
    recompute_derived(indicators=["population"])
    cleared = value("registered-unemployed-per-1000", "1206012", "2019")
    assert cleared.value is None
    assert cleared.indicator.revisions.filter(unit__teryt="1206012", period="2019").exists()


def test_loading_the_definitions_again_changes_nothing():
    before = (DerivedIndicator.objects.count(), Indicator.objects.count())
    counts = load_preset(path=preset_dir("krakow"), only=("insights",))
    assert counts["derived"] == before[0] == 7
    assert (DerivedIndicator.objects.count(), Indicator.objects.count()) == before
