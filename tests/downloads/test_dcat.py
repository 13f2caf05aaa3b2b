"""The DCAT-AP catalogue graph: the same graph in every serialisation, valid against DCAT-AP 3 shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, RDF

from obserwatorium.downloads import dcat

SHAPES = Graph().parse(Path(__file__).with_name("dcat_ap_shapes.ttl"), format="turtle")
BASE = "https://obserwatorium.example.pl"


def catalogue(**changes) -> dcat.Catalogue:
    values = dict(
        uri=f"{BASE}/catalog", title={"pl": "Katalog", "en": "Catalogue"},
        description={"pl": "Dane", "en": "Data"}, homepage=f"{BASE}/",
        publisher=dcat.Agent(name={"pl": "Stowarzyszenie", "en": "Association"}, homepage=f"{BASE}/",
                             email="dane@example.pl", phone="+48 12 345 67 89"),
        licence="CC-BY-4.0", spatial={"pl": "Metropolia", "en": "Metropolis"}, spatial_uri=f"{BASE}/units/",
        modified=datetime(2024, 5, 1, 12, 0, 0, 123, tzinfo=UTC), api=f"{BASE}/api/",
        api_description=f"{BASE}/api/openapi.json")
    return dcat.Catalogue(**(values | changes))


def dataset(identifier: str = "indicator-population", **changes) -> dcat.Dataset:
    values = dict(
        identifier=identifier, title={"pl": "Ludność", "en": "Population"},
        description={"pl": "Liczba mieszkańców.", "en": "Number of residents."},
        landing_page=f"{BASE}/indicators/population/",
        distributions=tuple(dcat.Distribution(url=f"{BASE}/analytics/download/values.{fmt}?indicator=population",
                                              format=fmt, title={"pl": f"Ludność ({fmt})", "en": f"Population ({fmt})"})
                            for fmt in ("csv", "xlsx", "json", "parquet", "metadata.json")),
        keywords={"pl": ("kontekst",), "en": ("context",)}, frequency="ANNUAL", start=date(2015, 1, 1),
        end=date(2023, 12, 31), modified=datetime(2024, 4, 30, tzinfo=UTC))
    return dcat.Dataset(**(values | changes))


def graph() -> Graph:
    package = dataset("observatory", distributions=(
        dcat.Distribution(url=f"{BASE}/analytics/open-data/datapackage.zip", format="zip",
                          title={"pl": "Pakiet", "en": "Package"}),), frequency="IRREG", start=None, end=None)
    return dcat.catalogue_graph(catalogue(), [package, dataset()])


@pytest.mark.parametrize("name", sorted(dcat.SERIALISATIONS))
def test_every_serialisation_parses_back_to_the_same_graph(name):
    original = graph()
    text = dcat.serialise_graph(original, name)
    parsed = Graph().parse(data=text, format=dcat.SERIALISATIONS[name][0])
    assert len(parsed) == len(original) > 100
    assert isomorphic(parsed, original)


def test_the_three_serialisations_are_one_graph():
    original = graph()
    graphs = [Graph().parse(data=dcat.serialise_graph(original, name), format=dcat.SERIALISATIONS[name][0])
              for name in ("ttl", "rdf", "jsonld")]
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[1], graphs[2])


def test_the_graph_conforms_to_the_dcat_ap_shapes():
    conforms, _, report = validate(graph(), shacl_graph=SHAPES, inference="none")
    assert conforms, report


def test_the_shapes_catch_a_dataset_without_a_description_or_a_distribution():
    broken = dcat.catalogue_graph(catalogue(), [dataset(description={}, distributions=())])
    conforms, _, report = validate(broken, shacl_graph=SHAPES, inference="none")
    assert not conforms
    assert "description" in report and "distribution" in report


def test_each_format_is_a_distribution_with_its_eu_file_type_media_type_and_licence():
    found = graph()
    node = URIRef(f"{BASE}/catalog#dataset-indicator-population")
    distributions = list(found.objects(node, DCAT.distribution))
    assert len(distributions) == 5
    formats = {found.value(d, DCTERMS.format) for d in distributions}
    assert dcat.FILE_TYPE.CSV in formats and dcat.FILE_TYPE.PARQUET in formats and dcat.FILE_TYPE.XLSX in formats
    assert {found.value(d, DCTERMS.license) for d in distributions} == {dcat.LICENCE.CC_BY_4_0}
    assert found.value(distributions[0], DCAT.mediaType) is not None


def test_a_dataset_says_its_period_frequency_area_publisher_and_contact():
    found = graph()
    node = URIRef(f"{BASE}/catalog#dataset-indicator-population")
    period = found.value(node, DCTERMS.temporal)
    assert found.value(period, DCAT.startDate) == Literal(date(2015, 1, 1))
    assert found.value(period, DCAT.endDate) == Literal(date(2023, 12, 31))
    assert found.value(node, DCTERMS.accrualPeriodicity) == dcat.FREQUENCY.ANNUAL
    assert found.value(node, DCTERMS.spatial) == URIRef(f"{BASE}/units/")
    contact = found.value(node, DCAT.contactPoint)
    assert found.value(contact, dcat.VCARD.hasEmail) == URIRef("mailto:dane@example.pl")
    assert found.value(contact, dcat.VCARD.hasTelephone) == URIRef("tel:+48123456789")
    assert found.value(found.value(node, DCTERMS.publisher), RDF.type) is not None
    assert {t.language for t in found.objects(node, DCTERMS.title)} == {"pl", "en"}


def test_the_api_is_a_data_service_serving_every_dataset():
    found = graph()
    service = found.value(URIRef(f"{BASE}/catalog"), DCAT.service)
    assert found.value(service, DCAT.endpointURL) == URIRef(f"{BASE}/api/")
    assert len(list(found.objects(service, DCAT.servesDataset))) == 2


@pytest.mark.parametrize(("field", "value"), [("licence", "proprietary")])
def test_an_unknown_licence_is_refused_by_name(field, value):
    with pytest.raises(ValueError, match="proprietary"):
        dcat.catalogue_graph(catalogue(**{field: value}), [])


def test_an_unknown_format_or_frequency_is_refused_by_name():
    with pytest.raises(ValueError, match="docx"):
        dcat.catalogue_graph(catalogue(), [dataset(distributions=(
            dcat.Distribution(url=f"{BASE}/x.docx", format="docx", title={"en": "x"}),))])
    with pytest.raises(ValueError, match="HOURLY"):
        dcat.catalogue_graph(catalogue(), [dataset(frequency="HOURLY")])
