"""The indicator page's members × years table in pages when the members are many (#15).

The threshold is lowered so that the preset's 15 members are "many": 4 pages of 4 rows (the last of 3).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from obserwatorium.indicators.selectors import comparison_units
from obserwatorium.web import indicator_page

pytestmark = pytest.mark.django_db

URL = reverse("web:indicator", args=["own-revenues-per-capita"])


@pytest.fixture
def paged(monkeypatch):
    monkeypatch.setattr(indicator_page, "PAGED_ABOVE", 10)
    monkeypatch.setattr(indicator_page, "ROWS_PER_PAGE", 4)


def _names(response) -> list[str]:
    return [row.unit.name for row in response.context["rows"]]


def test_a_page_of_the_table_holds_its_rows_in_order_and_the_metropolis_row(client, paged):
    members = [unit.name for unit in comparison_units()]
    response = client.get(URL, {"page": "2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _names(response) == members[4:8]
    assert response.context["metropolis_row"] and '<tr class="metropolis">' in html
    assert '<nav class="table-pages" aria-label="Strony tabeli">' in html
    assert '<li aria-current="page">Strona 2 z 4</li>' in html
    assert '<a href="?page=1#values-caption" rel="prev">Poprzednia strona</a>' in html
    assert '<a href="?page=3#values-caption" rel="next">Następna strona</a>' in html
    assert "Wiersze 5–8 z 15 gmin członkowskich." in html
    assert 'Cała tabela: <a href="/api/observations.csv?indicator=own-revenues-per-capita" download>pobierz CSV</a>' \
        in html
    assert '<input type="hidden" name="page" value="2">' in html  # the year form keeps the page


def test_the_last_page_and_the_first(client, paged):
    members = [unit.name for unit in comparison_units()]
    last = client.get(URL, {"page": "4"})
    assert _names(last) == members[12:]
    html = last.content.decode()
    assert 'rel="next"' not in html and 'rel="prev"' in html
    first = client.get(URL).content.decode()
    assert 'rel="prev"' not in first and '<a href="?page=2#values-caption" rel="next">' in first


def test_the_chart_draws_the_page_members_and_the_metropolis(client, paged):
    response = client.get(URL, {"page": "3"})
    spec = response.context["line_spec"]
    assert {row["unit"] for row in spec["layer"][0]["data"]["values"]} == set(_names(response))
    assert len(spec["layer"]) == 2  # the metropolis line (a ratio of sums) on every page
    assert "4 gminach członkowskich z tej strony tabeli (z 15)" in spec["description"]


def test_the_ranking_beside_the_map_holds_the_first_positions_of_every_member(client, paged):
    response = client.get(URL, {"page": "3"})
    ranked = response.context["ranked"]
    assert [row.position for row in ranked] == [1, 2, 3, 4]
    assert response.context["ranking_cut"] and response.context["ranked_total"] == 15
    assert "Pierwsze 4 pozycji z 15 gmin członkowskich" in response.content.decode()


def test_the_page_links_keep_the_year_and_the_highlight(client, paged):
    highlight = comparison_units()[5].name
    html = client.get(URL, {"page": "2", "year": "2020", "highlight": highlight}).content.decode()
    assert "?year=2020&amp;highlight=" in html and "&amp;page=3#values-caption" in html


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("", 1), ("0", 4), ("-3", 4), ("999", 4), ("1.5", 1),
                                              ("9" * 40, 4)])
def test_a_page_number_that_is_not_one_or_out_of_range_is_the_first_or_the_last(client, paged, asked, shown):
    response = client.get(URL, {"page": asked})
    assert response.status_code == 200
    assert response.context["table_page"].number == shown


def test_the_english_page_of_the_table(client, paged):
    html = client.get(URL, {"page": "2"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<li aria-current="page">Page 2 of 4</li>' in html
    assert 'The whole table: <a href="/api/observations.csv?indicator=own-revenues-per-capita" download>' \
           'download CSV</a>' in html
    assert "Rows 5–8 of 15 member gminy." in html and 'aria-label="Pages of the table"' in html


def test_a_metropolis_of_15_gminy_keeps_its_whole_table_chart_and_ranking(client):
    response = client.get(URL, {"page": "2"})
    html = response.content.decode()
    assert response.context["table_page"] is None and len(response.context["rows"]) == 15
    assert len(response.context["ranked"]) == 15 and not response.context["ranking_cut"]
    assert len({row["unit"] for row in response.context["line_spec"]["layer"][0]["data"]["values"]}) == 15
    assert "table-pages" not in html and 'name="page"' not in html and "Cała tabela" not in html
