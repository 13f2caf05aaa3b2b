"""The list of member gminy: in pages with a filter when the members are many, unchanged for a metropolis (#15).

The threshold is lowered so that the preset's 15 members are "many": 4 pages of 4 rows (the last of 3).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Observation
from obserwatorium.indicators.selectors import comparison_units, latest_cells, observation_cells, population_indicator
from obserwatorium.territory.selectors import ListedGmina
from obserwatorium.vocabulary import fold
from obserwatorium.web import units_page
from obserwatorium.web.figures import latest_shown

pytestmark = pytest.mark.django_db

URL = reverse("web:units")


@pytest.fixture
def paged(monkeypatch):
    monkeypatch.setattr(units_page, "PAGED_ABOVE", 10)
    monkeypatch.setattr(units_page, "ROWS_PER_PAGE", 4)


def _names(response) -> list[str]:
    return [unit.name for unit, _ in response.context["rows"]]


def _main(html: bytes) -> str:
    """The page's own content (the header's sign-in link carries the address asked for)."""
    text = html.decode()
    return text[text.index("<main"):text.index("</main>")]


def test_a_page_of_the_list_holds_its_rows_in_name_order(client, paged):
    members = [unit.name for unit in comparison_units()]
    response = client.get(URL, {"page": "2"})
    html = response.content.decode()
    assert response.status_code == 200
    assert _names(response) == members[4:8]
    assert response.context["members_count"] == 15 and "ma 15 gmin członkowskich" in html
    assert '<nav class="table-pages" aria-label="Strony tabeli">' in html
    assert '<li aria-current="page">Strona 2 z 4</li>' in html
    assert '<a href="?page=1" rel="prev">Poprzednia strona</a>' in html
    assert '<a href="?page=3" rel="next">Następna strona</a>' in html
    assert '<p role="status" class="result-count">Wiersze 5–8 z 15 gmin członkowskich.</p>' in html
    assert '<form class="filters" method="get" role="search" aria-label="Filtruj gminy">' in html
    assert 'Cała lista: <a href="/api/units?level=gmina&amp;membership=member">wszystkie gminy w API (JSON)</a>' \
        in html
    assert '<a href="/api/observations.csv?indicator=population" download>ludność każdej gminy w każdym roku (CSV)' \
        in html


def test_the_last_page_and_the_first(client, paged):
    members = [unit.name for unit in comparison_units()]
    last = client.get(URL, {"page": "4"})
    assert _names(last) == members[12:]
    html = last.content.decode()
    assert 'rel="next"' not in html and '<a href="?page=3" rel="prev">' in html
    first = client.get(URL).content.decode()
    assert 'rel="prev"' not in first and '<a href="?page=2" rel="next">' in first


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("", 1), ("0", 4), ("-3", 4), ("999", 4), ("1.5", 1),
                                              ("9" * 40, 4)])
def test_a_page_number_that_is_not_one_or_out_of_range_is_the_first_or_the_last(client, paged, asked, shown):
    response = client.get(URL, {"page": asked})
    assert response.status_code == 200
    assert response.context["table_page"].number == shown
    assert len(response.context["rows"]) == (3 if shown == 4 else 4)


def test_the_name_filter_ignores_case_and_polish_letters(client, paged):
    for query in ("swiatniki", "ŚWIĄTNIKI górne", "  gorne  "):
        response = client.get(URL, {"q": query})
        assert _names(response) == ["Świątniki Górne"], query
        html = response.content.decode()
        assert "Filtrowi odpowiada 1 gmina członkowska." in html and 'rel="next"' not in html
        assert f'<a href="{URL}">Wyczyść</a>' in html  # the way back to the whole list


def test_the_powiat_and_type_filters_and_the_links_that_keep_them(client, paged):
    members = comparison_units()
    powiat = max({m.parent for m in members if m.parent}, key=lambda p: sum(m.parent == p for m in members))
    in_powiat = [m.name for m in members if m.parent == powiat]
    assert len(in_powiat) > 4  # more than a page: the links keep the filter
    response = client.get(URL, {"powiat": powiat.teryt})
    assert response.context["table_page"].total == len(in_powiat) and _names(response) == in_powiat[:4]
    html = response.content.decode()
    assert f'<option value="{powiat.teryt}" selected>{powiat.name}</option>' in html
    assert f'<a href="?powiat={powiat.teryt}&amp;page=2" rel="next">' in html
    assert f"Filtrowi odpowiada {len(in_powiat)} gmin członkowskich. Wiersze 1–4." in html \
        or f"Filtrowi odpowiadają {len(in_powiat)} gminy członkowskie. Wiersze 1–4." in html
    rural = [m.name for m in members if m.parent == powiat and m.gmina_type == "rural"]
    both = client.get(URL, {"powiat": powiat.teryt, "type": "rural", "q": "a"})
    expected = [name for name in rural if "a" in fold(name)]
    assert expected and _names(both) == expected[:4]
    assert '<option value="rural" selected>' in both.content.decode()


def test_a_filter_that_matches_nothing_says_so_and_an_unknown_one_is_ignored(client, paged):
    html = client.get(URL, {"q": "no such gmina"}).content.decode()
    assert "Żadna gmina członkowska nie odpowiada filtrowi." in html and "<table" not in html
    ignored = client.get(URL, {"powiat": "9999", "type": "castle"})
    assert ignored.context["table_page"].total == 15 and not ignored.context["unit_filter"].active


def test_the_english_list_in_pages(client, paged):
    html = client.get(URL, {"page": "2"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<li aria-current="page">Page 2 of 4</li>' in html and 'aria-label="Pages of the table"' in html
    assert "Rows 5–8 of 15 member gminy." in html and 'aria-label="Filter the gminy"' in html
    assert "The whole list:" in html and "population of every gmina and year (CSV)" in html
    assert "All powiaty" in html and "All types" in html
    assert "1 member gmina matches the filter." in client.get(
        URL, {"q": "swiatniki"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_metropolis_of_15_gminy_keeps_its_whole_list(client):
    """Below the threshold nothing is added and the parameters change nothing: the page of every member."""
    response = client.get(URL)
    assert response.context["table_page"] is None and len(response.context["rows"]) == 15
    html = response.content.decode()
    assert "table-pages" not in html and 'role="search"' not in html and "Cała lista" not in html
    for params in ({"page": "2"}, {"q": "swiatniki", "powiat": "1206", "type": "rural"}):
        assert _main(client.get(URL, params).content) == _main(response.content), params


def test_the_latest_population_read_equals_the_latest_of_every_period():
    """One query for the shown units: the same value, flag, period and batch as the latest of every period
    (`latest_shown` over `observation_cells`), also where the latest stored period has no value, where a newer
    value was replaced, for a provisional value and for a unit without population."""
    members = comparison_units()
    population = population_indicator()
    batch = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="later.csv")
    applying = ImportBatch.objects.create(kind=BatchKind.UPLOAD, file_name="landing.csv", status="applying")
    first, second, third, fourth, fifth = members[:5]
    Observation.objects.create(indicator=population, unit=first, period="2099", value=None, batch=batch)
    Observation.objects.create(indicator=population, unit=second, period="2098", value=1.0, batch=batch,
                               replaced_by=batch)  # replaced: no longer current
    Observation.objects.create(indicator=population, unit=fifth, period="2097", value=2.0, batch=applying)
    Observation.objects.filter(pk=Observation.objects.filter(indicator=population, unit=third)
                               .order_by("-period").values("pk")[:1]).update(flag=Flag.PROVISIONAL)
    Observation.objects.filter(indicator=population, unit=fourth).delete()
    ids = [member.pk for member in members]
    every = observation_cells(indicator_ids=[population.pk], unit_ids=ids)
    latest = latest_cells(indicator_id=population.pk, unit_ids=ids)
    assert sum(len(by_period) for by_period in latest[population.pk].values()) == len(members) - 1
    for member in members:
        expected = latest_shown(every, population, member, "pl")
        assert latest_shown(latest, population, member, "pl") == expected, member.name
        if expected.period:
            assert latest[population.pk][member.pk][expected.period] == every[population.pk][member.pk][
                expected.period]
    assert latest_shown(latest, population, third, "pl").flag == Flag.PROVISIONAL
    assert {latest_shown(latest, population, unit, "pl").period for unit in (first, second, fifth)} \
        <= {str(year) for year in range(2000, 2030)}
    assert latest_shown(latest, population, fourth, "pl").value is None


def test_the_demo_notice_follows_the_values_shown(client, paged):
    """A page of the list says "demonstration data" only when a value it shows is one."""
    members = comparison_units()
    population = population_indicator()
    Observation.objects.filter(indicator=population).update(flag=Flag.FINAL)
    Observation.objects.filter(indicator=population, unit=members[-1]).update(flag=Flag.DEMO)
    assert not client.get(URL, {"page": "1"}).context["has_demo_data"]
    last = client.get(URL, {"page": "4"})
    assert last.context["has_demo_data"] and "Dane demonstracyjne, a nie oficjalne statystyki." in \
        last.content.decode()


def test_powiaty_that_share_a_name_are_told_apart_by_their_code():
    listed = [ListedGmina(1, "A", "rural", "0201", "powiat średzki"), ListedGmina(2, "B", "rural", "3002",
                                                                                   "powiat średzki"),
              ListedGmina(3, "C", "urban", "1206", "powiat krakowski"), ListedGmina(4, "D", "urban", "", "")]
    assert units_page.powiat_choices(listed) == [
        ("1206", "powiat krakowski"), ("0201", "powiat średzki (0201)"), ("3002", "powiat średzki (3002)")]
