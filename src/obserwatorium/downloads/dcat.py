"""The open-data catalogue as a DCAT-AP 3 graph (rdflib), for the national and the EU portals to harvest.

Plain inputs only (no Django): the site describes its datasets with the dataclasses below and gets a graph,
serialised as Turtle, RDF/XML or JSON-LD. Controlled values come from the EU Publications Office's
authority tables (file types, frequencies, languages, licences, data themes, access rights), as DCAT-AP asks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPE = Namespace(EU + "file-type/")
FREQUENCY = Namespace(EU + "frequency/")
LANGUAGE = Namespace(EU + "language/")
LICENCE = Namespace(EU + "licence/")
DATA_THEME = Namespace(EU + "data-theme/")
COUNTRY = Namespace(EU + "country/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
DCAT_AP = URIRef("http://data.europa.eu/r5r/")  # the DCAT-AP 3 profile, named by dct:conformsTo of the catalogue

# serialisation (the URL's suffix): (rdflib format, media type)
SERIALISATIONS: dict[str, tuple[str, str]] = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}
# Download format → (EU file type, IANA media type)
FILE_TYPES: dict[str, tuple[str, str]] = {
    "csv": ("CSV", "text/csv"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "json": ("JSON", "application/json"),
    "parquet": ("PARQUET", "application/vnd.apache.parquet"),
    "geojson": ("GEOJSON", "application/geo+json"),
    "zip": ("ZIP", "application/zip"),
    "metadata.json": ("JSON", "application/json"),
}
LICENCES = {"CC-BY-4.0": "CC_BY_4_0", "CC0-1.0": "CC0", "CC-BY-SA-4.0": "CC_BYSA_4_0"}
FREQUENCIES = ("ANNUAL", "QUARTERLY", "MONTHLY", "IRREG", "UNKNOWN")

Texts = Mapping[str, str]  # language code → text


@dataclass(frozen=True)
class Agent:
    """The publisher (a foaf:Agent) and, with an e-mail or phone, the contact point (a vcard:Organization)."""

    name: Texts
    homepage: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Distribution:
    """One file of a dataset, in one format."""

    url: str
    format: str  # a key of FILE_TYPES
    title: Texts


@dataclass(frozen=True)
class Dataset:
    identifier: str
    title: Texts
    description: Texts
    landing_page: str
    distributions: tuple[Distribution, ...]
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    themes: tuple[str, ...] = ("REGI",)
    frequency: str = "UNKNOWN"
    start: date | None = None
    end: date | None = None
    modified: datetime | None = None


@dataclass(frozen=True)
class Catalogue:
    uri: str  # the catalogue's own address, also the base of the datasets' URIs
    title: Texts
    description: Texts
    homepage: str
    publisher: Agent
    licence: str  # a key of LICENCES
    spatial: Texts  # the area covered, named in each language
    spatial_uri: str
    modified: datetime
    languages: tuple[str, ...] = ("pl", "en")
    api: str = ""  # the JSON API's endpoint (a dcat:DataService), if any
    api_description: str = ""


LANGUAGE_CODES = {"pl": "POL", "en": "ENG"}


def _texts(graph: Graph, subject: URIRef | BNode, predicate: URIRef, texts: Texts) -> None:
    for language, text in texts.items():
        if text:
            graph.add((subject, predicate, Literal(text, lang=language)))


def _typed(graph: Graph, uri: URIRef, kind: URIRef) -> URIRef:
    """A controlled value, typed as the class DCAT-AP gives the property's range."""
    graph.add((uri, RDF.type, kind))
    return uri


def _licence(graph: Graph, name: str) -> URIRef:
    if name not in LICENCES:
        raise ValueError(f"licence {name!r} has no EU licence code; known: {', '.join(LICENCES)}")
    return _typed(graph, LICENCE[LICENCES[name]], DCTERMS.LicenseDocument)


def _document(graph: Graph, url: str) -> URIRef:
    return _typed(graph, URIRef(url), FOAF.Document)


def _agent(graph: Graph, agent: Agent) -> URIRef:
    node = URIRef(agent.homepage.rstrip("/") + "/#publisher")
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, RDF.type, FOAF.Organization))
    _texts(graph, node, FOAF.name, agent.name)
    graph.add((node, FOAF.homepage, _document(graph, agent.homepage)))
    return node


def _contact(graph: Graph, agent: Agent) -> URIRef:
    node = URIRef(agent.homepage.rstrip("/") + "/#contact")
    graph.add((node, RDF.type, VCARD.Kind))
    graph.add((node, RDF.type, VCARD.Organization))
    _texts(graph, node, VCARD.fn, agent.name)
    if agent.email:
        graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{agent.email}")))
    if agent.phone:
        graph.add((node, VCARD.hasTelephone, URIRef("tel:" + "".join(c for c in agent.phone if c in "+0123456789"))))
    graph.add((node, VCARD.hasURL, URIRef(agent.homepage)))
    return node


def _period(graph: Graph, start: date | None, end: date | None) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, DCTERMS.PeriodOfTime))
    if start:
        graph.add((node, DCAT.startDate, Literal(start.isoformat(), datatype=XSD.date)))
    if end:
        graph.add((node, DCAT.endDate, Literal(end.isoformat(), datatype=XSD.date)))
    return node


def _distribution(graph: Graph, node: URIRef, item: Distribution, licence: URIRef) -> None:
    if item.format not in FILE_TYPES:
        raise ValueError(f"format {item.format!r} has no EU file type; known: {', '.join(FILE_TYPES)}")
    file_type, media_type = FILE_TYPES[item.format]
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCAT.accessURL, URIRef(item.url)))
    graph.add((node, DCAT.downloadURL, URIRef(item.url)))
    graph.add((node, DCTERMS.format, _typed(graph, FILE_TYPE[file_type], DCTERMS.MediaTypeOrExtent)))
    graph.add((node, DCAT.mediaType, _typed(graph, IANA[media_type], DCTERMS.MediaType)))
    graph.add((node, DCTERMS.license, licence))
    _texts(graph, node, DCTERMS.title, item.title)


def _dataset(graph: Graph, catalogue: Catalogue, item: Dataset, nodes: dict[str, URIRef]) -> URIRef:
    node = URIRef(f"{catalogue.uri}#dataset-{item.identifier}")
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(item.identifier)))
    _texts(graph, node, DCTERMS.title, item.title)
    _texts(graph, node, DCTERMS.description, item.description)
    for language, words in item.keywords.items():
        for word in words:
            graph.add((node, DCAT.keyword, Literal(word, lang=language)))
    for theme in item.themes:
        graph.add((node, DCAT.theme, _typed(graph, DATA_THEME[theme], SKOS.Concept)))
    graph.add((node, DCTERMS.publisher, nodes["publisher"]))
    graph.add((node, DCAT.contactPoint, nodes["contact"]))
    graph.add((node, DCTERMS.spatial, nodes["spatial"]))
    graph.add((node, DCTERMS.accessRights, _typed(graph, ACCESS_RIGHT.PUBLIC, DCTERMS.RightsStatement)))
    if item.frequency not in FREQUENCIES:
        raise ValueError(f"frequency {item.frequency!r} is none of {', '.join(FREQUENCIES)}")
    graph.add((node, DCTERMS.accrualPeriodicity, _typed(graph, FREQUENCY[item.frequency], DCTERMS.Frequency)))
    if item.start or item.end:
        graph.add((node, DCTERMS.temporal, _period(graph, item.start, item.end)))
    graph.add((node, DCAT.landingPage, _document(graph, item.landing_page)))
    for language in catalogue.languages:
        graph.add((node, DCTERMS.language, _typed(graph, LANGUAGE[LANGUAGE_CODES[language]],
                                                  DCTERMS.LinguisticSystem)))
    if item.modified:
        graph.add((node, DCTERMS.modified, Literal(item.modified.replace(microsecond=0).isoformat(),
                                                   datatype=XSD.dateTime)))
    for position, distribution in enumerate(item.distributions, start=1):
        part = URIRef(f"{catalogue.uri}#dataset-{item.identifier}-{position}")
        _distribution(graph, part, distribution, nodes["licence"])
        graph.add((node, DCAT.distribution, part))
    return node


def _api(graph: Graph, catalogue: Catalogue, nodes: dict[str, URIRef], served: list[URIRef]) -> URIRef:
    node = URIRef(f"{catalogue.uri}#api")
    graph.add((node, RDF.type, DCAT.DataService))
    graph.add((node, DCTERMS.title, Literal("API", lang="en")))
    graph.add((node, DCAT.endpointURL, URIRef(catalogue.api)))
    if catalogue.api_description:
        graph.add((node, DCAT.endpointDescription, URIRef(catalogue.api_description)))
    graph.add((node, DCTERMS.publisher, nodes["publisher"]))
    graph.add((node, DCAT.contactPoint, nodes["contact"]))
    graph.add((node, DCTERMS.license, nodes["licence"]))
    for dataset in served:
        graph.add((node, DCAT.servesDataset, dataset))
    return node


def catalogue_graph(catalogue: Catalogue, datasets: Iterable[Dataset]) -> Graph:
    """The DCAT-AP graph of the catalogue and its datasets, each with a distribution per format."""
    graph = Graph()
    for prefix, namespace in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD), ("skos", SKOS)):
        graph.bind(prefix, namespace)
    node = URIRef(catalogue.uri)
    graph.add((node, RDF.type, DCAT.Catalog))
    _texts(graph, node, DCTERMS.title, catalogue.title)
    _texts(graph, node, DCTERMS.description, catalogue.description)
    spatial = _typed(graph, URIRef(catalogue.spatial_uri), DCTERMS.Location)
    _texts(graph, spatial, SKOS.prefLabel, catalogue.spatial)
    nodes = {"publisher": _agent(graph, catalogue.publisher), "contact": _contact(graph, catalogue.publisher),
             "licence": _licence(graph, catalogue.licence), "spatial": spatial}
    graph.add((node, DCTERMS.publisher, nodes["publisher"]))
    graph.add((node, FOAF.homepage, _document(graph, catalogue.homepage)))
    graph.add((node, DCTERMS.license, nodes["licence"]))
    graph.add((node, DCTERMS.spatial, spatial))
    graph.add((node, DCTERMS.spatial, _typed(graph, COUNTRY.POL, DCTERMS.Location)))
    graph.add((node, DCTERMS.conformsTo, _typed(graph, DCAT_AP, DCTERMS.Standard)))
    graph.add((node, DCAT.themeTaxonomy, _typed(graph, URIRef(EU + "data-theme"), SKOS.ConceptScheme)))
    graph.add((node, DCTERMS.modified, Literal(catalogue.modified.replace(microsecond=0).isoformat(),
                                               datatype=XSD.dateTime)))
    for language in catalogue.languages:
        graph.add((node, DCTERMS.language, _typed(graph, LANGUAGE[LANGUAGE_CODES[language]],
                                                  DCTERMS.LinguisticSystem)))
    served = []
    for item in datasets:
        dataset = _dataset(graph, catalogue, item, nodes)
        graph.add((node, DCAT.dataset, dataset))
        served.append(dataset)
    if catalogue.api:
        graph.add((node, DCAT.service, _api(graph, catalogue, nodes, served)))
    return graph


def serialise_graph(graph: Graph, name: str) -> bytes:
    """The graph as one of SERIALISATIONS (ttl, rdf, jsonld), UTF-8."""
    if name not in SERIALISATIONS:
        raise ValueError(f"unknown serialisation {name!r}")
    data = graph.serialize(format=SERIALISATIONS[name][0], encoding="utf-8")
    return data if isinstance(data, bytes) else data.encode("utf-8")
