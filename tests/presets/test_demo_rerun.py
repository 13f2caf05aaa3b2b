"""Running the set-up again (every `make run` does) never overwrites what the office wrote."""

from __future__ import annotations

import pytest

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Domain, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import write_observations
from obserwatorium.presets.demo import load_demo_data
from obserwatorium.presets.files import preset_dir
from obserwatorium.presets.pipeline import load_preset
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


def test_second_demo_run_leaves_office_indicator_and_hand_edit_alone(django_user_model):
    office = Indicator.objects.create(code="office-made", domain=Domain.objects.first(), name_pl="Wskaźnik biura",
                                      name_en="Office indicator")
    edited = Observation.objects.filter(indicator__code="own-revenues", flag=Flag.DEMO).order_by("pk").first()
    editor = django_user_model.objects.create_user("editor", password="x" * 16)
    # A hand edit that keeps the demo flag: still a value a user wrote, not the generator's.
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, file_name="edit.csv"), user=editor,
                       rows=[ObservationRow(edited.indicator_id, edited.unit_id, edited.period, 123.0, Flag.DEMO)])

    outcome = load_demo_data(name="krakow")

    assert (outcome.counts.inserted, outcome.counts.updated) == (0, 0)
    assert not Observation.objects.filter(indicator=office).exists()
    after = Observation.objects.get(pk=edited.pk)
    assert after.value == 123.0
    assert after.batch.file_name == "edit.csv"


def test_demo_fills_a_key_only_while_nothing_but_demo_wrote_it():
    indicator = Indicator.objects.get(code="own-revenues")
    unit = Unit.objects.members().order_by("teryt").first()
    Observation.objects.filter(indicator=indicator, unit=unit, period="2015").delete()

    outcome = load_demo_data(name="krakow")

    assert (outcome.counts.inserted, outcome.counts.updated) == (1, 0)
    assert Observation.objects.get(indicator=indicator, unit=unit, period="2015").flag == Flag.DEMO


def test_reloading_the_preset_keeps_a_corrected_fact(django_user_model):
    fact = Observation.objects.filter(batch__kind=BatchKind.PRESET).order_by("pk").first()
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, file_name="correction.csv"),
                       rows=[ObservationRow(fact.indicator_id, fact.unit_id, fact.period, 4321.0, Flag.FINAL)])

    load_preset(path=preset_dir("krakow"))

    assert Observation.objects.get(pk=fact.pk).value == 4321.0
