"""Every download names all the sources of its rows, row by row, and never credits demo values to an official one."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from django.test import Client
from django.utils import translation

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import write_observations
from obserwatorium.insights import datasets
from obserwatorium.insights.groups import resolve_group
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db

OFFICIAL = "GUS, Bank Danych Lokalnych"


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1")


def _twelve_sources(code: str = "own-revenues") -> list[ImportBatch]:
    indicator = Indicator.objects.get(code=code)
    units = list(Unit.objects.members().order_by("teryt"))[:12]
    batches = []
    for number, unit in enumerate(units, start=1):
        batch = ImportBatch(kind=BatchKind.UPLOAD, source=f"Source number {number}", licence="CC-BY-4.0",
                            source_url=f"https://example.org/{number}")
        write_observations(batch=batch, rows=[ObservationRow(indicator.pk, unit.pk, "2020", 1000.0 + number,
                                                             Flag.FINAL)])
        batches.append(batch)
    return batches


def test_indicator_values_list_every_source_and_a_batch_per_row():
    batches = _twelve_sources()
    dataset = datasets.indicator_values(Indicator.objects.get(code="own-revenues"), resolve_group("members"))
    listed = {entry["batch"] for entry in dataset.meta.sources}
    assert {b.pk for b in batches} <= listed
    assert set(dataset.frame["batch"].to_list()) == listed
    for number in range(1, 13):
        assert f"Source number {number}" in dataset.meta.source
    entry = next(e for e in dataset.meta.sources if e["batch"] == batches[11].pk)
    assert (entry["path"], entry["licence"], entry["kind"]) == ("https://example.org/12", "CC-BY-4.0", "upload")


def test_a_series_of_demo_values_is_not_credited_to_the_official_source(client):
    indicator = Indicator.objects.get(code="own-revenues")
    assert indicator.source == OFFICIAL
    assert not Observation.objects.filter(indicator=indicator).exclude(flag=Flag.DEMO).exists()
    with translation.override("en"):
        dataset = datasets.indicator_values(indicator, resolve_group("members"))
    assert OFFICIAL not in dataset.meta.source and "Demonstration data" in dataset.meta.source
    meta = json.loads(client.get("/analytics/download/values.metadata.json?indicator=own-revenues&group=members")
                      .content)
    assert OFFICIAL not in meta["source"] and meta["sources"] and {s["kind"] for s in meta["sources"]} == {"demo"}
    page = client.get("/indicators/own-revenues/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    about = page[page.index('id="about-heading"'):]
    assert OFFICIAL not in about.split("BDL variable")[0]
    assert "Demonstration data, not official statistics." in about
    ranking = client.get("/analytics/rankings/?indicator=own-revenues", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Source: {OFFICIAL}" not in ranking


def test_real_values_keep_the_catalogue_source_beside_their_batches():
    _twelve_sources()
    with translation.override("pl"):
        dataset = datasets.indicator_values(Indicator.objects.get(code="own-revenues"), resolve_group("members"))
    assert dataset.meta.source.startswith(OFFICIAL) and "Source number 1" in dataset.meta.source


def test_profile_ranking_and_comparison_downloads_carry_a_batch_column(client):
    for url in ("/analytics/download/profile.csv?unit=1206012",
                "/analytics/download/ranking.csv?indicator=own-revenues-per-capita&period=2020",
                "/analytics/download/comparison.csv?unit=1206012&domain=economy"):
        response = client.get(url)
        assert response.status_code == 200, url
        frame = pl.read_csv(io.BytesIO(response.content), infer_schema_length=None)
        assert "batch" in frame.columns, url
        meta = json.loads(client.get(url.replace(".csv", ".metadata.json")).content)
        listed = {entry["batch"] for entry in meta["sources"]}
        assert set(frame["batch"].drop_nulls().to_list()) <= listed, url


def test_the_xlsx_metadata_sheet_and_the_package_list_each_source():
    import openpyxl

    from obserwatorium.downloads.datapackage import Resource, descriptor
    from obserwatorium.downloads.xlsxfile import XlsxWriter

    batches = _twelve_sources()
    dataset = datasets.indicator_values(Indicator.objects.get(code="own-revenues"), resolve_group("members"))
    book = openpyxl.load_workbook(io.BytesIO(XlsxWriter().write(dataset.frame, dataset.meta)))
    keys = [row[0].value for row in book["metadata"].iter_rows()]
    assert all(f"source: batch {b.pk}" in keys for b in batches)
    package = descriptor(name="x", title="x", licence="CC-BY-4.0", created="2026-01-01",
                         resources=[Resource(dataset.frame, dataset.meta)])
    paths = {s.get("path") for s in package["resources"][0]["sources"]}
    assert {f"https://example.org/{n}" for n in range(1, 13)} <= paths
