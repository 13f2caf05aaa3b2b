"""The comparison page: chosen gminy side by side, one shareable address, errors that name the field, a fixed
number of queries, and downloads with the observatory's metadata."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

KRAKOW, WIELICZKA, SKAWINA = "1261011", "1219053", "1206113"
SIX = [KRAKOW, WIELICZKA, SKAWINA, "1206012", "1206022", "1206052"]


def compare(client, language="pl", **params):
    return client.get(reverse("web:compare"), params, HTTP_ACCEPT_LANGUAGE=language)


def test_two_gminy_and_the_metropolis_side_by_side(client):
    response = compare(client, units=f"{KRAKOW},{WIELICZKA}", domain="economy")
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert [unit.teryt for unit in comparison.units] == [KRAKOW, WIELICZKA]
    assert comparison.group.key == "members" and comparison.domain.code == "economy"
    assert comparison.year == comparison.periods[-1]
    html = response.content.decode()
    assert "Metropolia (wszyscy członkowie)" in html and "Porównanie gmin" in html
    # One chart per indicator with values, each named for its export and crediting the source and the site.
    charted = [row for row in comparison.rows if row.spec]
    assert charted and html.count('class="chart compare-chart"') == len(charted)
    spec = charted[0].spec
    assert any("Obserwatorium Metropolii Krakowskiej" in line for line in spec["title"]["subtitle"])
    assert spec["encoding"]["color"]["scale"]["domain"][:2] == ["Kraków", "Wieliczka"]
    assert f'data-filename="{charted[0].indicator.code}-{KRAKOW}-{WIELICZKA}"' in html
    assert response.context["has_demo_data"]


def test_the_group_value_follows_the_aggregation_rule_of_the_indicator_page(client):
    """The metropolis column is the value the indicator page's metropolis row shows for the same year."""
    comparison = compare(client, units=f"{KRAKOW},{WIELICZKA}", domain="economy").context["comparison"]
    row = next(r for r in comparison.rows if r.group is not None and r.group.value is not None)
    page = client.get(reverse("web:indicator", args=[row.indicator.code])).context
    metropolis = dict(zip(page["periods"], page["metropolis_row"], strict=True))[comparison.year]
    assert row.group.value == pytest.approx(metropolis.value)


def test_a_peer_group_or_no_group(client):
    peer = compare(client, units=f"{KRAKOW},{SKAWINA}", domain="economy", group="group:members-outside-krakow")
    assert peer.context["comparison"].group.key == "group:members-outside-krakow"
    alone = compare(client, units=f"{KRAKOW},{SKAWINA}", domain="economy", group="none")
    assert alone.context["comparison"].group is None
    assert all(row.group is None for row in alone.context["comparison"].rows)


def test_the_form_s_repeated_parameter_becomes_one_shareable_address(client):
    response = client.get(reverse("web:compare"), {"units": [KRAKOW, WIELICZKA], "domain": "economy",
                                                    "year": "2020"})
    assert response.status_code == 302
    assert response["Location"] == f"/compare/?units={KRAKOW},{WIELICZKA}&domain=economy&year=2020"
    again = client.get(response["Location"])
    assert again.context["comparison"].year == "2020"
    assert 'value="2020" selected' in again.content.decode()


def test_the_same_number_of_queries_for_two_gminy_or_six_and_any_domain(client):
    counts = []
    for units, domain in ((SIX[:2], "economy"), (SIX, "economy"), (SIX, "context"), (SIX[:3], "mobility")):
        with CaptureQueriesContext(connection) as queries:
            response = compare(client, units=",".join(units), domain=domain)
        assert response.status_code == 200 and response.context["comparison"].rows
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts
    assert counts[0] <= 12


def test_one_gmina_asks_for_another_without_an_error(client):
    response = compare(client, units=KRAKOW)
    assert response.status_code == 200 and response.context["comparison"] is None
    assert not response.context["form"].errors
    assert f'value="{KRAKOW}"' in response.content.decode() and "checked" in response.content.decode()


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"units": ",".join([*SIX, "1206072"])}, "units", "najwyżej 6 gmin (wybrano 7)"),
    ({"units": f"{KRAKOW},9999999"}, "units", "9999999"),
    ({"units": ""}, "units", "od 2 do 6 gmin"),
    ({"units": f"{KRAKOW},{WIELICZKA}", "domain": "no-such-domain"}, "domain", "no-such-domain"),
    ({"units": f"{KRAKOW},{WIELICZKA}", "group": "group:nope"}, "group", "group:nope"),
    ({"units": f"{KRAKOW},{WIELICZKA}", "year": "20x0<script>"}, "year", ""),
])
def test_a_wrong_choice_is_named_next_to_its_field_and_summarised(client, params, field, words):
    response = compare(client, **params)
    assert response.status_code == 200 and response.context["comparison"] is None
    errors = response.context["form"].errors
    assert list(errors) == [field]
    html = response.content.decode()
    assert 'class="error-summary"' in html and words in html and "<script>" not in html.split("<main")[1]


def test_in_english(client):
    html = compare(client, "en", units=f"{KRAKOW},{WIELICZKA}", domain="economy").content.decode()
    assert "Compare gminy" in html and "Metropolis (all members)" in html and "Values by year" in html


def _download(client, fmt, **params):
    return client.get(reverse("web:compare-download", args=[fmt]), params)


def test_the_csv_download_has_every_year_and_the_group_and_its_metadata_beside(client):
    params = {"units": f"{KRAKOW},{WIELICZKA}", "domain": "economy", "group": "members"}
    response = _download(client, "csv", **params)
    assert response.status_code == 200
    assert 'filename="compare-economy-1261011-1219053.csv"' in response["Content-Disposition"]
    assert "/compare/download.metadata.json?" in response["Link"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()
                                           if response.streaming else response.content.decode())))
    assert {row["unit"] for row in rows} == {KRAKOW, WIELICZKA, "members"}
    assert {row["flag"] for row in rows if row["unit"] != "members"} == {"demo"}
    assert all(row["batch"] for row in rows if row["unit"] != "members")
    meta = json.loads(_download(client, "metadata.json", **params).content)
    assert meta["retrieved"] and meta["sources"] and "demonstration data" in meta["source"]
    assert meta["notes"]["units"] == [KRAKOW, WIELICZKA] and meta["notes"]["group"] == "members"


def test_the_xlsx_download_carries_the_metadata_sheet(client):
    response = _download(client, "xlsx", units=f"{KRAKOW},{SKAWINA}", domain="mobility")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) >= 2
    text = " ".join(str(cell.value) for sheet in book.worksheets[1:] for row in sheet.iter_rows() for cell in row)
    assert "retrieved" in text.lower() or "pobrano" in text.lower()


def test_a_download_of_no_comparison_is_not_found(client):
    assert _download(client, "csv", units=KRAKOW).status_code == 404
    assert _download(client, "csv", units=f"{KRAKOW},bad").status_code == 404


def test_the_page_links_its_downloads(client):
    html = compare(client, units=f"{KRAKOW},{WIELICZKA}", domain="economy").content.decode()
    assert f"/compare/download.xlsx?units={KRAKOW}%2C{WIELICZKA}&amp;domain=economy&amp;group=members" in html


def test_municipality_and_indicator_pages_link_the_comparison(client):
    unit = client.get(reverse("web:unit", args=["skawina"])).content.decode()
    assert f'href="/compare/?units={SKAWINA}"' in unit and "Porównaj gminę Skawina z innymi" in unit
    indicator = client.get(reverse("web:indicator", args=["own-revenues-per-capita"])).content.decode()
    assert 'href="/compare/?domain=' in indicator and "Porównaj gminy" in indicator


def test_the_highlighted_gmina_is_in_the_indicator_page_s_address(client):
    url = reverse("web:indicator", args=["own-revenues-per-capita"])
    context = client.get(url, {"highlight": "Wieliczka", "year": "2020"}).context
    assert context["line_spec"]["params"][0]["value"] == "Wieliczka"
    assert context["highlight"] == "Wieliczka" and context["map_filename"] == "own-revenues-per-capita-2020"
    assert 'name="highlight" value="Wieliczka"' in client.get(url, {"highlight": "Wieliczka"}).content.decode()
    unknown = client.get(url, {"highlight": "<b>Atlantyda</b>"}).context
    assert unknown["line_spec"]["params"][0]["value"] == "" and unknown["highlight"] == ""
    credit = unknown["map_spec"]["title"]["subtitle"]
    assert any(line.startswith("Źródło: ") and "Obserwatorium" in line for line in credit)
