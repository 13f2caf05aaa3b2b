"""The browse pages: facet counts that are the rows a click gives, sort orders, downloads of exactly the filtered
rows with their metadata, nothing private ever shown, a fixed number of queries, and clean answers to bad
parameters."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import openpyxl
import polars as pl
import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from obserwatorium.browse import selectors
from obserwatorium.browse.catalogue import TABLES
from obserwatorium.browse.state import read_state
from obserwatorium.cooperation.models import Agreement, Document, Partner, Project
from obserwatorium.events.models import Event
from obserwatorium.indicators.models import Flag, Observation
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")
SECRET_MAIL = "tajny.kontakt@example.pl"


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="pl")


def state_of(name: str, query: str = ""):
    return read_state(TABLES[name], QueryDict(query))


def count_of(name: str, query: str) -> int:
    return selectors.page_of(state_of(name, query)).count


@pytest.fixture
def private_records():
    """A draft of every registry, an archived partner, unpublished events and a partner's private contact."""
    skawina = Unit.objects.get(teryt="1206113")
    draft_partner = Partner.objects.create(name="Szkic partnera XYZ", published=False, contact_email=SECRET_MAIL)
    Partner.objects.create(name="Zarchiwizowany partner XYZ", archived_at=datetime(2024, 1, 1, tzinfo=WARSAW))
    shown = Partner.objects.create(name="Jawny partner XYZ", contact_email=SECRET_MAIL, contact_name="Jan Tajny",
                                   contact_phone="+48 600 000 000")
    project = Project.objects.create(slug="szkic-projektu-xyz", name="Szkic projektu XYZ", published=False)
    project.units.add(skawina)
    agreement = Agreement.objects.create(title="Jawne porozumienie XYZ", signed_on=date(2024, 5, 1))
    agreement.parties.add(draft_partner, shown)
    Agreement.objects.create(title="Szkic porozumienia XYZ", published=False)
    Document.objects.create(slug="szkic-dokumentu-xyz", kind="report", title_pl="Szkic dokumentu XYZ", published=False)
    for status in ("draft", "submitted", "rejected", "withdrawn"):
        Event.objects.create(title=f"Wydarzenie {status} XYZ", starts_at=datetime(2024, 6, 1, 18, tzinfo=WARSAW),
                             unit=skawina, status=status)
    return shown


# --- the index ----------------------------------------------------------------------------------------------------

def test_the_index_lists_every_table_with_its_public_rows(client):
    html = client.get("/browse/").content.decode()
    for name in TABLES:
        assert f'href="/browse/{name}/"' in html
    assert "Przeglądaj dane" in html and f"{Observation.objects.count():,}".replace(",", "\xa0") in html


def test_the_navigation_and_the_footer_link_the_section(client):
    html = client.get("/").content.decode()
    assert html.count('href="/browse/"') == 2


# --- facets -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(TABLES))
def test_each_facet_value_counts_the_rows_its_link_shows(name):
    """Unchosen values are counted over the other filters: the count is the number of rows once it is chosen."""
    state = state_of(name)
    for facet in state.table.facets:
        counts = selectors.facet_counts(state, facet)
        for value in counts.values:
            chosen = state.toggled(facet.key, value.param)
            assert selectors.page_of(chosen).count == value.count, (facet.key, value.param)


def test_facet_counts_follow_the_other_filters_and_single_valued_ones_add_up():
    query = "domain=economy&year=2021"
    state = state_of("observations", query)
    total = selectors.page_of(state).count
    flag = next(f for f in state.table.facets if f.key == "flag")
    assert sum(v.count for v in selectors.facet_counts(state, flag).values) == total
    domain = next(f for f in state.table.facets if f.key == "domain")
    values = selectors.facet_counts(state, domain).values
    assert values[0].param == "economy" and values[0].chosen and values[0].count == total
    other = values[1]
    assert count_of("observations", f"domain={other.param}&year=2021") == other.count
    # Two values of one facet: either of them.
    assert count_of("observations", f"domain=economy&domain={other.param}&year=2021") == total + other.count


def test_a_facet_shows_its_most_frequent_values_then_more_on_request(client):
    state = state_of("observations")
    unit = next(f for f in state.table.facets if f.key == "unit")
    first = selectors.facet_counts(state, unit)
    assert len(first.values) == selectors.FACET_VALUES and first.more
    assert [v.count for v in first.values] == sorted((v.count for v in first.values), reverse=True)
    expanded = selectors.facet_counts(state_of("observations", "more=unit"), unit)
    assert len(expanded.values) > selectors.FACET_VALUES and not expanded.more
    html = client.get("/browse/observations/").content.decode()
    assert 'href="?more=unit"' in html


def test_a_chosen_value_is_a_removable_chip_and_its_link_removes_it(client):
    html = client.get("/browse/observations/?domain=economy&year=2021").content.decode()
    assert 'class="chip" href="?year=2021"' in html  # removes the domain
    assert 'class="chip" href="?domain=economy"' in html  # removes the year
    assert 'class="chosen"' in html and "Obszar: Gospodarka" in html


def test_the_free_text_filter_keeps_the_facets(client):
    state = state_of("projects", "q=comanage")
    rows = selectors.page_of(state).records
    assert [p.slug for p in rows] == ["comanage"]
    html = client.get("/browse/projects/?status=ongoing&q=xyz").content.decode()
    assert '<input type="hidden" name="status" value="ongoing">' in html


# --- sorting ------------------------------------------------------------------------------------------------------

def test_the_rows_sort_by_a_column_both_ways_with_empty_values_last():
    down = [o.value for o in selectors.page_of(state_of("observations", "sort=-value&size=200")).records]
    assert down == sorted(down, reverse=True) and None not in down
    up = [o.period for o in selectors.page_of(state_of("observations", "sort=period&size=200")).records]
    assert up == sorted(up)
    names = [p.name for p in selectors.page_of(state_of("partners", "sort=name&size=200")).records]
    assert names == sorted(names)
    budgets = [p.budget for p in selectors.page_of(state_of("projects", "sort=-budget")).records]
    given = [b for b in budgets if b is not None]
    assert given == sorted(given, reverse=True) and budgets[:len(given)] == given


def test_the_sorted_header_says_so_and_links_the_other_way(client):
    html = client.get("/browse/observations/?sort=value").content.decode()
    assert 'aria-sort="ascending"><a href="?sort=-value">' in html
    assert html.count("aria-sort=") == 1
    html = client.get("/browse/observations/?sort=-value&page=2").content.decode()
    assert 'aria-sort="descending"><a href="?sort=value">' in html  # a new sort starts on the first page


def test_pages_do_not_overlap():
    first = selectors.page_of(state_of("observations", "sort=flag&size=25")).records
    second = selectors.page_of(state_of("observations", "sort=flag&size=25&page=2")).records
    assert not {o.pk for o in first} & {o.pk for o in second}


# --- downloads ----------------------------------------------------------------------------------------------------

def expected_observations(**filters) -> set[tuple]:
    return set(Observation.objects.filter(**filters).values_list("indicator__code", "unit__teryt", "period"))


def test_the_csv_holds_exactly_the_filtered_rows_and_the_metadata_beside_it(client):
    query = "?domain=economy&year=2021&unit=1206113&sort=-value"
    response = client.get("/browse/observations.csv" + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "observations-filtered.csv" in response["Content-Disposition"]
    frame = pl.read_csv(io.BytesIO(response.content), infer_schema_length=0)
    wanted = expected_observations(indicator__domain__code="economy", period__startswith="2021",
                                   unit__teryt="1206113")
    assert set(zip(frame["indicator"], frame["unit"], frame["period"], strict=True)) == wanted
    assert frame.height == len(wanted) and set(frame["flag"]) == {Flag.DEMO}
    assert response["Link"].startswith("</browse/observations.metadata.json?")
    meta = client.get("/browse/observations.metadata.json" + query).json()
    assert meta["notes"]["rows"] == len(wanted) and meta["notes"]["filters"]["unit"] == ["1206113"]
    assert meta["notes"]["flags"] == {"demo": len(wanted)}
    assert meta["source"].startswith("Dane demonstracyjne") and meta["retrieved"] and meta["sources"]
    assert meta["title"].startswith("Obserwacje — ")


def test_every_format_carries_the_rows_and_the_metadata(client):
    query = "?kind=report&sort=title"
    wanted = set(Document.objects.public().filter(kind="report").values_list("title_pl", flat=True))
    envelope = client.get("/browse/documents.json" + query).json()
    assert {row["title"] for row in envelope["data"]} == wanted
    assert envelope["metadata"]["licence"] == "CC-BY-4.0" and envelope["metadata"]["retrieved"]
    assert envelope["metadata"]["notes"]["filters"] == {"kind": ["report"]}
    book = openpyxl.load_workbook(io.BytesIO(client.get("/browse/documents.xlsx" + query).content))
    assert len(list(book.worksheets[0].iter_rows())) == len(wanted) + 1
    assert any("CC-BY-4.0" in str(cell.value) for row in book.worksheets[-1].iter_rows() for cell in row)
    parquet = client.get("/browse/documents.parquet" + query)
    frame = pl.read_parquet(io.BytesIO(parquet.content))
    assert set(frame["title"]) == wanted
    assert "obserwatorium:metadata" in pl.read_parquet_metadata(io.BytesIO(parquet.content))


def test_geojson_only_for_a_table_of_units(client):
    features = client.get("/browse/units.geojson?level=gmina").json()["features"]
    assert len(features) == Unit.objects.current().gminy().count()
    assert client.get("/browse/projects.geojson").status_code == 404
    html = client.get("/browse/projects/").content.decode()
    assert "/browse/projects.geojson" not in html and "/browse/units.geojson" in client.get(
        "/browse/units/").content.decode()


def test_the_page_links_the_downloads_of_its_filters(client):
    html = client.get("/browse/observations/?flag=demo&sort=period&page=2").content.decode()
    for fmt in ("csv", "xlsx", "json", "parquet", "metadata.json"):
        assert f'href="/browse/observations.{fmt}?flag=demo&amp;sort=period"' in html


# --- nothing private --------------------------------------------------------------------------------------------

def test_drafts_archived_and_unpublished_records_never_appear(client, private_records):
    pages = "".join(client.get(f"/browse/{name}/?size=200").content.decode() for name in TABLES)
    downloads = "".join(client.get(f"/browse/{name}.json").content.decode() for name in TABLES if name !=
                        "observations")
    for text in (pages, downloads):
        assert "Jawny partner XYZ" in text and "Jawne porozumienie XYZ" in text
        for hidden in ("Szkic partnera XYZ", "Zarchiwizowany partner XYZ", "Szkic projektu XYZ",
                       "Szkic porozumienia XYZ", "Szkic dokumentu XYZ", "Wydarzenie draft XYZ",
                       "Wydarzenie submitted XYZ", "Wydarzenie rejected XYZ", "Wydarzenie withdrawn XYZ",
                       SECRET_MAIL, "Jan Tajny", "+48 600 000 000"):
            assert hidden not in text, hidden


def test_a_draft_counts_in_no_facet(private_records):
    state = state_of("projects")
    gmina = next(f for f in state.table.facets if f.key == "gmina")
    counts = {v.param: v.count for v in selectors.facet_counts(state, gmina).values}
    assert counts.get("1206113", 0) == Project.objects.public().filter(units__teryt="1206113").count()


# --- queries ------------------------------------------------------------------------------------------------------

def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_observations_page_takes_the_same_queries_whatever_the_page_size(client):
    small = queries(client, "/browse/observations/?size=25")
    assert small == queries(client, "/browse/observations/?size=200")
    assert small == queries(client, "/browse/observations/?size=200&domain=economy&year=2020&q=a")
    assert small <= 2 + len(TABLES["observations"].facets)  # count, one page, one grouped count per facet


def test_a_registry_page_takes_the_same_queries_with_more_rows(client):
    before = queries(client, "/browse/projects/?size=200")
    skawina = Unit.objects.get(teryt="1206113")
    for number in range(30):
        project = Project.objects.create(slug=f"dodatkowy-{number}", name=f"Dodatkowy {number}", status="ongoing")
        project.units.add(skawina)
    assert queries(client, "/browse/projects/?size=200") == before


def test_facets_read_grouped_counts_not_the_rows(client):
    with CaptureQueriesContext(connection) as captured:
        client.get("/browse/observations/")
    grouped = [q["sql"] for q in captured if "GROUP BY" in q["sql"]]
    assert len(grouped) == len(TABLES["observations"].facets)
    assert all("LIMIT" in sql for sql in grouped)


# --- bad parameters -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "status"), [
    ("/browse/observations/?sort=nosuch", 400), ("/browse/observations/?sort=-", 400),
    ("/browse/observations/?page=abc", 400), ("/browse/observations/?page=0", 400),
    ("/browse/observations/?page=-1", 400), ("/browse/observations/?page=99999999999", 400),
    ("/browse/observations/?page=999999", 404), ("/browse/observations/?size=7", 400),
    ("/browse/observations/?size=abc", 400), ("/browse/observations/?year=abc", 400),
    ("/browse/observations/?year=20201", 400), ("/browse/meetings/?online=maybe", 400),
    ("/browse/observations/?domain=" + "x" * 200, 400), ("/browse/observations.csv?page=abc", 400),
    ("/browse/nosuch/", 404), ("/browse/nosuch.csv", 404), ("/browse/observations.exe", 404),
    ("/browse/observations/?domain=nosuch", 200), ("/browse/observations/?more=nosuch", 200),
    ("/browse/observations/?unknown=1", 200), ("/browse/documents/?year=-", 200),
    ("/browse/projects/?gmina=-&domain=-", 200), ("/browse/observations/?q=" + "ą" * 500, 200),
])
def test_a_bad_parameter_is_a_clean_answer(client, url, status):
    response = client.get(url)
    assert response.status_code == status


def test_a_value_not_stated_is_a_facet_value_of_its_own():
    state = state_of("projects")
    domain = next(f for f in state.table.facets if f.key == "domain")
    values = {v.param: v.count for v in selectors.facet_counts(state_of("projects", "more=domain"), domain).values}
    assert values.get("-", 0) == Project.objects.public().filter(domain__isnull=True).count()


def test_links_keep_the_whole_state_in_the_address(client):
    html = client.get("/browse/observations/?domain=economy&sort=-value&size=25").content.decode()
    pages = [href for href in _hrefs(html) if "page=2" in href]
    assert pages and dict(parse_qsl(urlsplit(pages[0]).query)) == {
        "domain": "economy", "sort": "-value", "size": "25", "page": "2"}


def _hrefs(html: str) -> list[str]:
    import re

    return [h.replace("&amp;", "&") for h in re.findall(r'href="(\?[^"]*)"', html)]


def test_the_json_download_names_every_field(client):
    fields = client.get("/browse/observations.metadata.json?flag=demo&indicator=population").json()["fields"]
    assert [f["name"] for f in fields] == [c.key for c in TABLES["observations"].columns]
    assert json.dumps(fields, ensure_ascii=False).count("źródł") >= 1
