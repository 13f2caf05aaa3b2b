"""Pages, panels, downloads with metadata in every format, conditional GET and the export command."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import polars as pl
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from obserwatorium.indicators.models import Indicator, Observation
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1")


@pytest.mark.parametrize("url", [
    "/analytics/rankings/", "/analytics/rankings/?indicator=population&group=type:rural&ties=dense",
    "/analytics/comparison/?unit=1206012&domain=economy", "/analytics/aggregates/?indicator=population-growth",
    "/analytics/aggregates/?indicator=population&units=1261011&units=1206012",
    "/analytics/indices/index-overall/", "/analytics/indices/index-economy/?period=2020&group=powiat:1219",
    "/analytics/progress/", "/analytics/open-data/",
])
def test_pages_render_with_the_demo_notice(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "demo-notice" in response.content.decode()


def test_index_list_shows_no_values_and_so_no_demo_notice(client):
    response = client.get("/analytics/indices/")
    assert response.status_code == 200 and "demo-notice" not in response.content.decode()


def test_named_urls_of_the_navigation_resolve():
    assert reverse("insights:rankings") == "/analytics/rankings/"
    assert reverse("insights:open-data") == "/analytics/open-data/"


@pytest.mark.parametrize("url", ["/analytics/rankings/?indicator=nope", "/analytics/rankings/?period=20x0",
                                 "/analytics/rankings/?group=x" * 50, "/analytics/indices/nope/",
                                 "/analytics/download/ranking.exe", "/analytics/download/progress.geojson"])
def test_bad_parameters_are_not_found_not_errors(client, url):
    assert client.get(url).status_code == 404


def test_ranking_downloads_carry_their_metadata(client):
    base = "/analytics/download/ranking.{}?indicator=population&period=2020"
    csv = client.get(base.format("csv"))
    frame = pl.read_csv(io.BytesIO(csv.content))
    assert frame.height == 15 and frame.columns[:3] == ["rank", "unit", "name"]
    assert 'rel="describedby"' in csv["Link"]
    meta = json.loads(client.get(base.format("metadata.json")).content)
    assert meta["unit"] and meta["licence"] and meta["retrieved"] and meta["description"]
    book = openpyxl.load_workbook(io.BytesIO(client.get(base.format("xlsx")).content))
    assert book.sheetnames == ["data", "metadata"]
    assert {row[0].value for row in book["metadata"].iter_rows()} >= {"title", "unit", "source", "licence", "retrieved"}
    envelope = json.loads(client.get(base.format("json")).content)
    assert envelope["metadata"]["name"].startswith("ranking-population") and len(envelope["data"]) == 15
    parquet = client.get(base.format("parquet")).content
    assert "obserwatorium:metadata" in pl.read_parquet_metadata(io.BytesIO(parquet))
    assert pl.read_parquet(io.BytesIO(parquet)).height == 15
    geo = json.loads(client.get(base.format("geojson")).content)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 15 and geo["metadata"]["licence"]


def _stored(code: str, teryt: str | None = None, period: str | None = None) -> set[tuple]:
    query = Observation.objects.filter(indicator__code=code)
    if teryt:
        query = query.filter(unit__teryt=teryt)
    if period:
        query = query.filter(period=period)
    return set(query.values_list("indicator__code", "unit__teryt", "period", "value", "flag"))


def test_the_indicator_page_offers_its_table_and_its_map_in_every_format(client):
    html = client.get("/indicators/population/?year=2020").content.decode()
    assert "/analytics/download/values.xlsx?indicator=population&amp;group=members" in html
    assert "/analytics/download/values.geojson?indicator=population&amp;group=members&amp;period=2020" in html
    table = pl.read_csv(io.BytesIO(client.get("/analytics/download/values.csv?indicator=population&group=members")
                                   .content), schema_overrides={"unit": pl.Utf8, "period": pl.Utf8})
    members = set(Unit.objects.current().filter(membership="member").values_list("teryt", flat=True))
    stored = {row for row in _stored("population") if row[1] in members}
    assert {("population", u, p, v, f) for p, u, _n, v, f, _b in table.iter_rows()} == stored
    # Every row names its source batch.
    batches = dict(((u, p), b) for u, p, b in Observation.objects.filter(indicator__code="population")
                   .values_list("unit__teryt", "period", "batch_id"))
    assert {(u, p): b for p, u, _n, _v, _f, b in table.iter_rows()} == {k: v for k, v in batches.items()
                                                                          if k[0] in members}
    geo = json.loads(client.get("/analytics/download/values.geojson?indicator=population&group=members&period=2020")
                     .content)
    assert len(geo["features"]) == 15 and geo["metadata"]["unit"]


def test_the_municipality_page_offers_every_value_of_the_gmina(client):
    unit = Unit.objects.current().get(teryt="1206012")
    html = client.get(f"/units/{unit.slug}/").content.decode()
    assert "/analytics/download/profile.parquet?unit=1206012" in html
    frame = pl.read_parquet(io.BytesIO(client.get("/analytics/download/profile.parquet?unit=1206012").content))
    assert frame.columns == ["domain", "indicator", "indicator_name", "unit_of_measure", "period", "value", "flag",
                             "batch"]
    stored = set(Observation.objects.filter(unit=unit).values_list("indicator__code", "period", "value", "flag",
                                                                   "batch_id"))
    assert set(frame.select("indicator", "period", "value", "flag", "batch").iter_rows()) == stored
    meta = json.loads(client.get("/analytics/download/profile.metadata.json?unit=1206012").content)
    assert meta["licence"] and unit.name in meta["title"]
    assert client.get("/analytics/download/profile.csv?unit=9999999").status_code == 404


def test_downloads_support_conditional_get(client):
    url = "/analytics/download/progress.csv"
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_api_answers_have_validators_and_304(client):
    first = client.get("/api/analytics/rankings/population?period=2020")
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert client.get("/api/analytics/rankings/population?period=2020",
                      HTTP_IF_NONE_MATCH=f'W/{first["ETag"]}').status_code == 304
    assert client.get("/api/analytics/rankings/population?period=2021",
                      HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@pytest.mark.parametrize("query", ["period=99999", "units=" + ",".join(["1261011"] * 200), "group=" + "x" * 5000,
                                   "ties=random", "units=1261011;DROP"])
def test_api_refuses_out_of_bounds_parameters(client, query):
    assert client.get(f"/api/analytics/rankings/population?{query}").status_code == 422


@translation.override("en")
def test_panels_render_for_an_indicator_and_a_unit():
    indicator = Indicator.objects.get(code="separate-collection-share")
    html = Template('{% include "insights/_indicator_panel.html" %}').render(
        Context({"indicator": indicator, "year": 2020}))
    assert "sparkline" in html and "progress-badge" in html and "illustrative" in html
    unit = Unit.objects.get(teryt="1261011", valid_to=None)
    html = Template('{% include "insights/_unit_panel.html" %}').render(Context({"unit": unit}))
    assert html.count("<tr>") >= 5 and "progress-badge" in html


def test_bulk_data_package_is_a_valid_frictionless_zip(client):
    response = client.get("/analytics/open-data/datapackage.zip")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    for resource in package["resources"]:
        frame = pl.read_csv(io.BytesIO(archive.read(resource["path"])), infer_schema_length=0)
        assert frame.columns == [f["name"] for f in resource["schema"]["fields"]]


def test_export_command_writes_every_project_table(tmp_path):
    call_command("export", str(tmp_path / "dump.zip"))
    archive = zipfile.ZipFile(tmp_path / "dump.zip")
    names = {r["name"] for r in json.loads(archive.read("datapackage.json"))["resources"]}
    assert {"indicators-observation", "indicators-revision", "territory-unit", "insights-compositeindex",
            "strategy-target"} <= names
    assert not any(name.startswith("auth-") for name in names)
    call_command("export", str(tmp_path / "folder"))
    assert (tmp_path / "folder" / "datapackage.json").exists()


@pytest.mark.django_db
def test_the_comparison_without_a_gmina_shows_the_most_populous_member(client):
    """No TERYT is written into the view: the default follows the data (the core city of the preset)."""
    from obserwatorium.indicators.models import Observation
    from obserwatorium.indicators.selectors import home_gmina

    assert client.get("/analytics/comparison/").context["unit"].teryt == "1261011"
    largest = home_gmina()
    assert largest is not None and largest.teryt == "1261011"
    Observation.objects.filter(indicator__code="population", unit=largest).update(value=1)
    other = home_gmina()
    assert other is not None and other.teryt != "1261011"
    assert client.get("/analytics/comparison/").context["unit"] == other
