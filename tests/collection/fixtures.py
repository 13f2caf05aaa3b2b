"""A data request to Skawina (the editor's gmina) and Wieliczka: two indicators of the gminy's own records, 2024
and 2025, with Skawina's 2023 values stored (last year's values beside the cells)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from obserwatorium.collection import services
from obserwatorium.collection.models import DataRequest, Submission
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import Domain, ImportBatch, Indicator
from obserwatorium.indicators.services import write_observations
from tests.registry_fixtures import World


@dataclass
class Asked:
    request: DataRequest
    stoves: Indicator  # 0–10 000, whole numbers; Skawina had 100 in 2023
    green: Indicator  # a share 0–100 with one decimal; Skawina had 40 in 2023
    skawina: Submission
    wieliczka: Submission


def make_indicators() -> tuple[Indicator, Indicator]:
    domain = Domain.objects.get(code="environment-space")
    stoves, _ = Indicator.objects.get_or_create(code="coal-stoves-replaced", defaults=dict(
        domain=domain, name_pl="Wymienione piece węglowe", name_en="Coal stoves replaced", unit_pl="szt.",
        unit_en="units", definition_pl="Liczba pieców na paliwo stałe wymienionych w roku.",
        definition_en="Solid-fuel stoves replaced in the year.", decimals=0, min_value=0, max_value=10000,
        measure="count"))
    green, _ = Indicator.objects.get_or_create(code="green-area-share-local", defaults=dict(
        domain=domain, name_pl="Udział terenów zielonych", name_en="Green area share", unit_pl="%", unit_en="%",
        decimals=1, min_value=0, max_value=100))
    return stoves, green


@pytest.fixture
def asked(world: World) -> Asked:
    stoves, green = make_indicators()
    write_observations(batch=ImportBatch(kind="upload", source="test: last year"), rows=[
        ObservationRow(stoves.pk, world.skawina.pk, "2023", 100.0, "final"),
        ObservationRow(green.pk, world.skawina.pk, "2023", 40.0, "final")])
    request = services.open_request(title="Piece i zieleń 2024–2025", note="Prosimy o dane.",
                                    indicators=[stoves, green], periods=[2024, 2025],
                                    gminy=[world.skawina, world.wieliczka], deadline=datetime.date(2025, 3, 31),
                                    user=world.users["office"])
    return Asked(request=request, stoves=stoves, green=green,
                 skawina=request.submissions.get(unit=world.skawina),
                 wieliczka=request.submissions.get(unit=world.wieliczka))
