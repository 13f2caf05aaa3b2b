"""The CSV download: the same rows as the JSON, Excel-friendly, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from obserwatorium.downloads.cells import FORMULA_START, PLAIN_NUMBER, neutralise, trimmed_number
from obserwatorium.territory.models import Level, Membership, Unit


def _download(client, params: dict, **headers) -> tuple[object, str]:
    response = client.get("/api/observations.csv", params, **headers)
    assert response.status_code == 200 and response.streaming
    return response, b"".join(response.streaming_content).decode("utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_csv_matches_the_json(client):
    params = {"indicator": "population,area", "unit": "1261011,1206052,1219053", "period_from": "2006"}
    items = client.get("/api/observations", {**params, "page_size": 10_000}).json()
    response, text = _download(client, params)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="observations.csv"' in response["Content-Disposition"]
    assert text.splitlines()[0] == "indicator,teryt,unit,period,value,flag,batch,source"
    rows = _rows(text)
    assert len(rows) == items["count"] == len(items["items"]) > 0
    sources = {s["batch"]: s["source"] for s in items["sources"]}
    for row, item in zip(rows, items["items"], strict=True):
        assert (row["indicator"], row["teryt"], row["unit"], row["period"], row["flag"]) == (
            item["indicator"], item["teryt"], item["unit"], item["period"], item["flag"])
        assert float(row["value"]) == item["value"] and int(row["batch"]) == item["batch"]
        assert row["source"] == sources[item["batch"]]
    assert any(row["flag"] == "demo" for row in rows)


@pytest.mark.django_db
def test_stated_facts_in_the_csv(client, population_facts):
    _, text = _download(client, {"indicator": "population", "flag": "final"})
    served = {(r["teryt"], r["period"]): (r["value"], r["source"]) for r in _rows(text)}
    assert served == {(f["teryt"], f["year"]): (f["population"], f["source"][:500]) for f in population_facts}


@pytest.mark.django_db
def test_bom_only_on_request_and_links_to_the_metadata(client):
    plain, text = _download(client, {"indicator": "population", "unit": "1261011"})
    assert not text.startswith("\ufeff")
    _, with_bom = _download(client, {"indicator": "population", "unit": "1261011", "bom": "1"})
    assert with_bom == "\ufeff" + text
    assert 'filename="observations-population.csv"' in plain["Content-Disposition"]
    link = plain["Link"]
    assert '<http://testserver/api/indicators/population>; rel="describedby"' in link
    assert '<http://testserver/api/observations?indicator=population&unit=1261011>; rel="alternate"' in link


@pytest.mark.django_db
def test_formulas_are_neutralised_and_negative_numbers_stay_numbers(client, write):
    Unit.objects.create(teryt="1206999", name='=HYPERLINK("http://x","y")', slug="formula-gmina",
                        level=Level.GMINA, gmina_type="rural", membership=Membership.NONE)
    Unit.objects.create(teryt="1206998", name="@SUM(A1)", slug="at-gmina", level=Level.GMINA, gmina_type="rural")
    write([("population", "1206999", "2020", -12.5, "final"), ("population", "1206998", "2020", -3e-7, "final")],
          source="-2+3 +cmd|' /C calc'!A0")
    _, text = _download(client, {"indicator": "population", "unit": "1206999,1206998"})
    rows = {row["teryt"]: row for row in _rows(text)}
    assert rows["1206999"]["unit"] == "'=HYPERLINK(\"http://x\",\"y\")"
    assert rows["1206998"]["unit"] == "'@SUM(A1)"
    assert rows["1206999"]["value"] == "-12.5" and float(rows["1206998"]["value"]) == -3e-7
    assert rows["1206999"]["source"] == "'-2+3 +cmd|' /C calc'!A0"


@pytest.mark.django_db
def test_an_empty_result_is_a_header_alone(client):
    _, text = _download(client, {"indicator": "population", "period_from": "2099"})
    assert text == "indicator,teryt,unit,period,value,flag,batch,source\r\n"


@pytest.mark.django_db
def test_csv_refuses_malformed_parameters_before_streaming(client):
    response = client.get("/api/observations.csv", {"indicator": "no-such-indicator"})
    assert response.status_code == 422 and not response.streaming
    assert "no-such-indicator" in response.json()["detail"][0]["msg"]


@given(st.text(max_size=30))
def test_no_cell_starts_a_formula_unless_it_is_a_plain_number(text):
    cell = neutralise(text)
    if PLAIN_NUMBER.fullmatch(text):
        assert cell == text
    else:
        assert not cell.startswith(FORMULA_START)
        assert cell in (text, "'" + text)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_are_exact_with_a_dot_and_never_neutralised(value):
    text = trimmed_number(value)
    assert float(text) == value and "," not in text
    assert neutralise(text) == text
