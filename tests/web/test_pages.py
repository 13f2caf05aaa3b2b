"""Public pages on the preset and its demo data: content in Polish and English, demo notices, few queries."""

from __future__ import annotations

import json

import pytest
from django.template import Context, Template
from django.urls import reverse

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator, Observation
from obserwatorium.indicators.services import write_observations
from obserwatorium.numbers import format_number
from obserwatorium.territory.models import Unit
from obserwatorium.web.geo import is_clockwise

pytestmark = pytest.mark.django_db

NOTICE_PL = "Dane demonstracyjne, a nie oficjalne statystyki."
NOTICE_EN = "Demonstration data, not official statistics."


def english(client, url, **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")


def test_home_in_polish_shows_the_seven_domains_and_the_demo_notice(client):
    response = client.get(reverse("web:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Obserwatorium rozwoju Metropolii Krakowskiej" in html
    assert html.count('<li class="card domain-') == 7
    assert "Inteligentne zarządzanie" in html and "Usługi społeczne" in html
    assert NOTICE_PL in html and response.context["has_demo_data"]
    assert reverse("web:indicator", args=["own-revenues-per-capita"]) in html


def test_home_in_english(client):
    html = english(client, reverse("web:home")).content.decode()
    assert "Development observatory of the Kraków Metropolis" in html
    assert "Smart governance" in html and NOTICE_EN in html


def test_the_language_switch_sets_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert "Development observatory of the Kraków Metropolis" in response.content.decode()


def test_headline_figure_is_the_latest_metropolis_value(client):
    cards = client.get(reverse("web:home")).context["cards"]
    figures = {figure.indicator.code: figure for _, items in cards for figure in items}
    figure = figures["own-revenues-per-capita"]
    assert figure.period == "2023" and figure.complete and figure.demo
    assert figure.change is not None and figure.change.start_period == "2022"


def test_indicator_list_groups_by_domain_and_searches_without_diacritics(client):
    response = client.get(reverse("web:indicators"))
    assert response.context["count"] == Indicator.objects.count()
    assert len(response.context["groups"]) == 8
    found = client.get(reverse("web:indicators"), {"q": "ludnosc ogolem"}).context["groups"]
    assert [i.code for _, items in found for i in items] == ["population"]
    mobility = client.get(reverse("web:indicators"), {"domain": "mobility"}).context["groups"]
    assert [domain.code for domain, _ in mobility] == ["mobility"]
    assert "Żaden wskaźnik nie pasuje" in client.get(reverse("web:indicators"), {"q": "zzzz"}).content.decode()
    assert english(client, reverse("web:indicators"), q="bike").context["count"] >= 2


def _value(code: str, teryt: str, period: str) -> float:
    return Observation.objects.get(indicator__code=code, unit__teryt=teryt, unit__valid_to=None, period=period).value


def test_the_indicator_pages_map_is_kept_until_a_write_of_its_values(client):
    """The map of every gmina and its ranking are built once per version of the indicator's values (#15): the
    next request reads no gmina's boundary and no value of the map's year; a write of that year shows at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("web:indicator", args=["own-revenues-per-capita"])
    first = client.get(url)
    year = first.context["year"]
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert second.context["map_spec"] == first.context["map_spec"] and second.context["ranked"] == first.context[
        "ranked"]
    sql = [query["sql"] for query in again.captured_queries]
    assert not [q for q in sql if ' FROM "territory_unit"' in q and '"boundary"' in q], "every gmina built again"
    assert not [q for q in sql if f"'{year}'" in q or f'"period" = {year}' in q], "the map's year read again"
    indicator = Indicator.objects.get(code="own-revenues-per-capita")
    krakow = Unit.objects.get(teryt="1261011", valid_to=None)
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="a test's import"),
                       rows=[ObservationRow(indicator.pk, krakow.pk, year, 987654.25, Flag.FINAL)])
    third = client.get(url)
    assert "987654.25" in json.dumps(third.context["map_spec"]) and "987654.25" not in json.dumps(
        first.context["map_spec"])
    assert third.context["ranked"][0].unit.name == "Kraków" and third.context["ranked"][0].cell.value == 987654.25


def test_indicator_page_in_polish(client, django_assert_max_num_queries):
    url = reverse("web:indicator", args=["own-revenues-per-capita"])
    # fixed, not one per cell: page 10 on its first request (its summary from counts and sums, two queries; its
    # map from the year's values and every gmina's boundary, two queries, then kept), analytics panel 6 (its
    # series from the sums the summary kept, one query for the values of the year it shows)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Dochody własne na 1 mieszkańca</h1>" in html
    assert len(response.context["rows"]) == 15 and response.context["periods"][0] == "2012"
    assert format_number(_value("own-revenues-per-capita", "1261011", "2023"), language="pl") in html
    assert NOTICE_PL in html and "wszystkie wartości: demonstracyjne" in html
    assert "/api/observations.csv?indicator=own-revenues-per-capita" in html
    assert 'id="line-spec" type="application/json"' in html and 'id="map-spec"' in html
    assert "<script>" not in html  # no inline script: the CSP forbids it
    assert response.context["line_spec"]["title"]["subtitle"][-1] == NOTICE_PL
    assert response.context["map_spec"]["title"]["subtitle"][-1] == NOTICE_PL
    assert "76976" in html and "iloraz sum" in html and "Obserwatorium demo generator" in html


def test_indicator_page_in_english_formats_numbers_the_english_way(client):
    response = english(client, reverse("web:indicator", args=["own-revenues-per-capita"]))
    html = response.content.decode()
    assert "<h1>Own revenues per capita</h1>" in html and NOTICE_EN in html
    value = _value("own-revenues-per-capita", "1261011", "2023")
    assert format_number(value, language="en") in html
    assert response.context["line_spec"]["config"]["locale"]["number"]["decimal"] == "."


def test_the_bdl_caveat_is_in_the_language_of_the_page(client):
    url = reverse("web:indicator", args=["own-revenues-per-capita"])
    assert "Identyfikator 76976 ma jedno źródło" in client.get(url).content.decode()
    assert "Id 76976 has a single source" in english(client, url).content.decode()


def test_the_licence_of_stated_facts_is_in_the_language_of_the_page(client):
    # The preset's population facts carry a licence the software writes itself: named, not shown as stored.
    assert ImportBatch.objects.filter(kind=BatchKind.PRESET, licence="facts stated in the cited source").exists()
    url = reverse("web:indicator", args=["population"])
    polish = client.get(url).content.decode()
    assert "fakty podane w cytowanym źródle" in polish and "facts stated in the cited source" not in polish
    assert "facts stated in the cited source" in english(client, url).content.decode()


def test_line_chart_has_every_member_and_the_metropolis_line_for_a_ratio(client):
    context = client.get(reverse("web:indicator", args=["own-revenues-per-capita"])).context
    members, metropolis = context["line_spec"]["layer"]
    assert len({row["unit"] for row in members["data"]["values"]}) == 15
    assert [row["period"] for row in metropolis["data"]["values"]][-1] == "2023"
    assert context["aggregate_on_chart"]


def test_a_sum_is_not_drawn_but_its_coverage_is_shown(client):
    # A stated 2006 population exists for a few members only: the metropolis total must not pretend.
    population = Indicator.objects.get(code="population")
    members = list(Unit.objects.members().current().order_by("teryt")[:2])
    write_observations(batch=ImportBatch(kind=BatchKind.UPLOAD, source="two stated figures"),
                       rows=[ObservationRow(population.pk, unit.pk, "2006", 10000.0, Flag.FINAL) for unit in members])
    response = client.get(reverse("web:indicator", args=["population"]))
    context = response.context
    assert len(context["line_spec"]["layer"]) == 1 and not context["aggregate_on_chart"]
    first = context["metropolis_row"][context["periods"].index("2006")]
    assert first.text == "—" and not first.complete and first.coverage.endswith("z 15 gmin")
    assert context["metropolis_row"][-1].complete
    assert not context["uniform_flag"]  # stated (final) and demo values mixed: each cell shows its own mark
    assert '<abbr class="flag flag-demo"' in response.content.decode()


def test_a_missing_value_lowers_the_coverage_of_a_weighted_mean(client):
    Observation.objects.filter(indicator__code="sewage-coverage", unit__slug="liszki", period="2023").delete()
    context = client.get(reverse("web:indicator", args=["sewage-coverage"])).context
    last = context["metropolis_row"][-1]
    assert last.text != "—" and not last.complete and last.coverage == "14 z 15 gmin"
    assert "14 z 15 gmin" in context["map_spec"]["title"]["subtitle"][0]
    liszki = next(row for row in context["rows"] if row.unit.slug == "liszki")
    assert liszki.cells[-1].text == "—"


def test_the_map_year_is_chosen_and_an_unknown_year_falls_back_to_the_latest(client):
    url = reverse("web:indicator", args=["sewage-coverage"])
    assert client.get(url, {"year": "2015"}).context["year"] == "2015"
    assert client.get(url, {"year": "1999"}).context["year"] == "2023"
    assert "2015" in client.get(url, {"year": "2015"}).context["map_spec"]["title"]["subtitle"][0]


def test_without_boundaries_the_map_is_a_tile_grid(client):
    context = client.get(reverse("web:indicator", args=["sewage-coverage"])).context
    assert context["map_kind"] == "tile-grid" and "projection" not in context["map_spec"]
    tiles = context["map_spec"]["data"]["values"]
    assert sum(tile["member"] for tile in tiles) == 15


def test_with_boundaries_the_map_is_a_clockwise_geoshape(client, shared_data):
    features = json.loads(shared_data("gminy_krakow_metro.geojson").read_text(encoding="utf-8"))["features"]
    for feature in features:
        geometry = feature["geometry"]
        # Stored the RFC 7946 way (outer rings counter-clockwise): the page must turn them round.
        rfc = {**geometry, "coordinates": [[ring[::-1] for ring in polygon] for polygon in geometry["coordinates"]]}
        Unit.objects.filter(teryt=feature["properties"]["teryt"], valid_to=None).update(boundary=rfc)
    context = client.get(reverse("web:indicator", args=["sewage-coverage"])).context
    assert context["map_kind"] == "boundaries" and context["map_spec"]["projection"]["type"] == "mercator"
    context_layer, members_layer = context["map_spec"]["layer"][:2]
    assert len(members_layer["data"]["values"]) == 15 and len(context_layer["data"]["values"]) == 8
    for feature in members_layer["data"]["values"] + context_layer["data"]["values"]:
        for polygon in feature["geometry"]["coordinates"]:
            assert is_clockwise(polygon[0])


def test_unknown_indicator_and_unit_are_404(client):
    assert client.get(reverse("web:indicator", args=["no-such-thing"])).status_code == 404
    assert client.get(reverse("web:unit", args=["no-such-gmina"])).status_code == 404


def test_unit_list(client):
    # The preset states no area (none found has a named publisher and date): an area entered with its source.
    Unit.objects.filter(slug="liszki").update(area_km2=72.03, area_source="GUS, area at 1 Jan 2020")
    response = client.get(reverse("web:units"))
    html = response.content.decode()
    assert response.status_code == 200 and len(response.context["rows"]) == 15
    assert reverse("web:unit", args=["krakow"]) in html and "Iwanowice" not in html
    assert "72,03" in html  # Liszki's stated area, Polish decimal comma


def test_unit_page_compares_every_indicator_with_the_metropolis(client, django_assert_max_num_queries):
    Unit.objects.filter(slug="liszki").update(area_km2=72.03, area_source="GUS, area at 1 Jan 2020")
    # Fixed (page, analytics panel, the gmina in the cooperation), not per row; computing the group figures kept
    # per data version (dataversion.memo) adds one read of the version and one of the members' values in order.
    with django_assert_max_num_queries(20):
        response = client.get(reverse("web:unit", args=["liszki"]))
    html = response.content.decode()
    assert response.status_code == 200 and "<h1>Liszki</h1>" in html
    profiles = response.context["profiles"]
    assert sum(len(p.rows) for p in profiles) == Indicator.objects.count()
    row = next(r for p in profiles for r in p.rows if r.indicator.code == "sewage-coverage")
    assert row.period == "2023" and row.position[1] == 15 and 1 <= row.position[0] <= 15
    assert row.sparkline.startswith("M") and row.change.start_period == "2012"
    assert "GUS, area at 1 Jan 2020" in html and "72,03 km²" in html  # area with its source
    assert "gmina wiejska" in html and NOTICE_PL in html
    assert response.context["has_demo_data"]


def test_unit_page_in_english_and_for_a_non_member(client):
    html = english(client, reverse("web:unit", args=["krakow"])).content.decode()
    assert "Kraków against the metropolis" in html and "urban gmina" in html
    outside = client.get(reverse("web:unit", args=["iwanowice"]))
    assert outside.status_code == 200
    assert all(row.position is None for p in outside.context["profiles"] for row in p.rows)


def test_optional_panel_renders_only_an_existing_template(tmp_path, settings, client):
    template = Template('{% load observatory %}[{% optional_panel "insights/_missing_panel.html" %}]')
    assert template.render(Context({})) == "[]"
    panel = tmp_path / "insights" / "_indicator_panel.html"
    panel.parent.mkdir()
    panel.write_text('<aside id="panel">{{ indicator.code }} / {{ year }}</aside>', encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    html = client.get(reverse("web:indicator", args=["population"])).content.decode()
    assert '<aside id="panel">population / 2023</aside>' in html


def test_an_indicator_without_values_says_so(client):
    domain = Indicator.objects.get(code="population").domain
    Indicator.objects.create(code="not-loaded-yet", domain=domain, name_pl="Jeszcze bez danych",
                             name_en="Not loaded yet")
    response = client.get(reverse("web:indicator", args=["not-loaded-yet"]))
    html = response.content.decode()
    assert response.status_code == 200 and "nie wczytano jeszcze żadnych wartości" in html
    assert response.context["line_spec"] is None and response.context["map_spec"] is None
    assert not response.context["has_demo_data"] and NOTICE_PL not in html
    assert "vega-bundle.js" not in html


def test_gminy_are_listed_alphabetically_with_polish_letters_in_place(client):
    names = [unit.name for unit, _ in client.get(reverse("web:units")).context["rows"]]
    assert names.index("Świątniki Górne") == names.index("Skawina") + 1
    assert names[-1] == "Zielonki"
