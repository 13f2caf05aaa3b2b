"""The site's DCAT-AP catalogue: stable addresses, content negotiation, every dataset, valid, in fixed queries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from obserwatorium.downloads import dcat
from obserwatorium.indicators.models import Indicator, Observation

pytestmark = pytest.mark.django_db

SHAPES = Graph().parse(Path(__file__).parents[1] / "downloads" / "dcat_ap_shapes.ttl", format="turtle")


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1")


def parsed(response, name: str) -> Graph:
    return Graph().parse(data=response.content, format=dcat.SERIALISATIONS[name][0])


def test_the_three_addresses_give_one_graph_that_validates(client):
    graphs = {}
    for name, (_, media) in dcat.SERIALISATIONS.items():
        response = client.get(f"/catalog.{name}")
        assert response.status_code == 200 and response["Content-Type"].startswith(media)
        graphs[name] = parsed(response, name)
    assert isomorphic(graphs["ttl"], graphs["rdf"]) and isomorphic(graphs["rdf"], graphs["jsonld"])
    conforms, _, report = validate(graphs["ttl"], shacl_graph=SHAPES, inference="none")
    assert conforms, report


def test_every_indicator_with_values_is_a_dataset_with_a_file_per_format(client):
    graph = parsed(client.get("/catalog.ttl"), "ttl")
    with_values = set(Observation.objects.values_list("indicator__code", flat=True).distinct())
    assert with_values
    identifiers = {str(graph.value(d, DCTERMS.identifier)) for d in graph.subjects(RDF.type, DCAT.Dataset)}
    assert {f"indicator-{code}" for code in with_values} <= identifiers
    assert {"observatory", "progress", "derived-definitions"} <= identifiers
    population = URIRef("http://127.0.0.1/catalog#dataset-indicator-population")
    urls = {str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(population, DCAT.distribution)}
    assert "http://127.0.0.1/analytics/download/values.csv?indicator=population" in urls
    assert len(urls) == 5  # CSV, XLSX, JSON, Parquet and the metadata file


def test_a_download_named_in_the_catalogue_answers(client):
    graph = parsed(client.get("/catalog.ttl"), "ttl")
    urls = sorted(str(u) for u in graph.objects(None, DCAT.downloadURL))
    for url in [u for u in urls if "values.csv" in u][:2] + [u for u in urls if u.endswith(".zip")]:
        assert client.get(url.removeprefix("http://127.0.0.1")).status_code == 200, url


def test_coverage_comes_from_the_observations(client):
    graph = parsed(client.get("/catalog.ttl"), "ttl")
    node = URIRef("http://127.0.0.1/catalog#dataset-indicator-population")
    periods = sorted(Observation.objects.filter(indicator__code="population").values_list("period", flat=True))
    period = graph.value(node, DCTERMS.temporal)
    assert str(graph.value(period, DCAT.startDate)) == f"{periods[0][:4]}-01-01"
    assert str(graph.value(period, DCAT.endDate)) == f"{periods[-1][:4]}-12-31"
    assert graph.value(node, DCTERMS.accrualPeriodicity) == dcat.FREQUENCY.ANNUAL
    descriptions = {d.language: str(d) for d in graph.objects(node, DCTERMS.description)}
    assert "demonstracyjne" in descriptions["pl"] and "demonstration" in descriptions["en"]


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"), ("application/rdf+xml", "application/rdf+xml"),
    ("application/ld+json", "application/ld+json"), ("*/*", "text/turtle"), ("", "text/turtle"),
    ("application/ld+json;q=0.5, text/turtle;q=0.9", "text/turtle"),
])
def test_catalog_negotiates_the_serialisation(client, accept, media):
    response = client.get("/catalog", HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response["Content-Type"].startswith(media)
    assert "Accept" in response["Vary"]


def test_a_browser_is_sent_to_the_open_data_page_and_an_unknown_type_is_refused(client):
    response = client.get("/catalog", HTTP_ACCEPT="text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
    assert response.status_code == 303 and response["Location"] == "/analytics/open-data/"
    assert client.get("/catalog", HTTP_ACCEPT="image/png").status_code == 406
    assert client.get("/catalog", HTTP_ACCEPT="text/turtle;q=zero").status_code == 406
    assert client.get("/catalog.txt").status_code == 404


def test_the_catalogue_answers_not_modified_to_a_current_copy(client):
    first = client.get("/catalog.ttl")
    again = client.get("/catalog.ttl", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_the_site_url_setting_makes_the_uris_stable(client, monkeypatch):
    monkeypatch.setenv("OBS_SITE_URL", "https://obserwatorium.example.pl/")
    graph = parsed(client.get("/catalog.ttl"), "ttl")
    assert (URIRef("https://obserwatorium.example.pl/catalog"), RDF.type, DCAT.Catalog) in graph


def test_the_catalogue_is_read_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    assert Indicator.objects.count() > 9  # so one query per indicator could not hide under the limit
    with django_assert_max_num_queries(9):
        client.get("/catalog.ttl")


def test_the_open_data_page_and_every_page_head_link_the_catalogue(client):
    page = client.get("/analytics/open-data/").content.decode()
    assert 'href="/catalog.ttl"' in page and 'href="/catalog.rdf"' in page and 'href="/catalog.jsonld"' in page
    home = client.get("/").content.decode()
    head = home.split("</head>")[0]
    assert 'rel="alternate" type="text/turtle" href="/catalog.ttl"' in head
