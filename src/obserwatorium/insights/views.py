"""Analytics pages: rankings, comparison, group aggregates, composite indices, progress, open data, downloads."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from obserwatorium.downloads import dcat
from obserwatorium.downloads.formats import FORMATS
from obserwatorium.indicators.models import Domain, Flag, Indicator, Observation
from obserwatorium.indicators.selectors import home_gmina
from obserwatorium.insights import bulk, catalogue, datasets, selectors
from obserwatorium.insights.conditional import conditional_response
from obserwatorium.insights.delivery import dataset_response
from obserwatorium.insights.forms import AnalyticsQuery
from obserwatorium.insights.links import download_links
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.insights.presenters import (
    comparison_indicators,
    index_definition,
    index_rows,
    ranking_bars,
    ranking_body,
)
from obserwatorium.territory.models import Unit

DATASETS = ("ranking", "aggregate", "index", "contributions", "trends", "comparison", "progress", "derived",
            "values", "profile")


def _common(query: AnalyticsQuery, **extra) -> dict:
    return {"query": query, "groups": query.groups(), "formats": FORMATS,
            "indicators": selectors.Indicator.objects.select_related("domain").order_by("domain__order", "order"),
            **extra}


def _chosen_gmina(query: AnalyticsQuery) -> Unit:
    """The gmina asked for, else the preset's most populous member (the metropolis's core city)."""
    teryt = query.valid()["unit"]
    unit = home_gmina() if not teryt else Unit.objects.current().gminy().filter(teryt=teryt).first()
    if unit is None:
        raise Http404("no such gmina")
    return unit


def _dataset(name: str, request: HttpRequest) -> datasets.Dataset:
    query = AnalyticsQuery(request.GET)
    if name == "ranking":
        indicator = query.indicator_or_default()
        return datasets.ranking(indicator, query.period_for(indicator) or "2000", query.chosen_group(),
                                query.valid()["ties"] or "competition")
    if name == "aggregate":
        return datasets.aggregate(query.indicator_or_default(), query.chosen_group())
    if name in ("index", "contributions"):
        builder = datasets.index_values if name == "index" else datasets.index_contributions
        return builder(query.index_or_default(), query.chosen_group(), query.valid()["period"] or None)
    if name == "trends":
        return datasets.trends(query.indicator_or_default(), query.chosen_group())
    if name == "comparison":
        unit = _chosen_gmina(query)
        chosen, latest = comparison_indicators(query.valid()["domain"] or None)
        return datasets.comparison(unit, query.chosen_group(), query.valid()["period"] or latest, chosen)
    if name == "values":
        return datasets.indicator_values(query.indicator_or_default(), query.chosen_group(),
                                         query.valid()["period"] or None)
    if name == "profile":
        unit = get_object_or_404(Unit.objects.current(), teryt=query.valid()["unit"] or "")
        return datasets.unit_profile(unit)
    if name == "progress":
        return datasets.progress()
    if name == "derived":
        return datasets.derived_definitions()
    raise Http404("no such dataset")


@require_GET
def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """One dataset in one format, its metadata inside (XLSX sheet, JSON envelope, Parquet keys) or beside (CSV)."""
    if name not in DATASETS or (fmt not in FORMATS and fmt != "metadata.json"):
        raise Http404("no such download")
    return dataset_response(request, _dataset(name, request), fmt)


def _shows_demo(frame) -> bool:
    """Whether a group-value frame shows a demonstration value (a withheld value shows nothing)."""
    return bool(frame.height) and bool(frame.filter(selectors.pl.col("value").is_not_null()
                                                    & (selectors.pl.col("flag") == "demo")).height)


def rankings(request: HttpRequest) -> HttpResponse:
    query = AnalyticsQuery(request.GET)
    indicator = query.indicator_or_default()
    group = query.chosen_group()
    period = query.period_for(indicator)
    dataset = datasets.ranking(indicator, period or "2000", group, query.valid()["ties"] or "competition")
    rows = ranking_bars(dataset.frame.to_dicts())
    body = ranking_body(rows, group=group.key, decimals=indicator.decimals, language=(get_language() or "pl")[:2])
    # The group value's frame alone: its dataset's metadata (every batch of the indicator) is the download's.
    aggregate = selectors.aggregate_series(indicator, group, [period] if period else [])
    return render(request, "insights/rankings.html", _common(
        query, indicator=indicator, group=group, period=period, rows=rows, body=body,
        summary=dataset.extra["summary"],
        years=[p for p in selectors.periods(indicator) if p.isdigit()],
        # The banner covers every value shown: real rows beside a demo group value still show demo data.
        has_demo_data=dataset.has_demo or _shows_demo(aggregate),
        aggregate=aggregate.to_dicts()[0] if aggregate.height else None, meta=dataset.meta,
        downloads=download_links(request, "ranking", mappable=True)))


def aggregates(request: HttpRequest) -> HttpResponse:
    query = AnalyticsQuery(request.GET)
    indicator = query.indicator_or_default()
    group = query.chosen_group()
    dataset = datasets.aggregate(indicator, group)
    rows = dataset.frame.to_dicts()
    names = {u.teryt: u.name for u in Unit.objects.current().gminy()}
    for row in rows:
        row["missing_names"] = [names.get(t, t) for t in row["missing"]]
    series = {int(r["period"]): r["value"] for r in rows if r["period"].isdigit()}
    trends = datasets.trends(indicator, group)
    return render(request, "insights/aggregates.html", _common(
        query, indicator=indicator, group=group, rows=rows, series=series, meta=dataset.meta,
        trend=trends.frame.row(0, named=True), has_demo_data=dataset.has_demo,
        units=Unit.objects.current().gminy().order_by("name"),
        downloads=download_links(request, "aggregate"), trend_downloads=download_links(request, "trends")))


def comparison(request: HttpRequest) -> HttpResponse:
    query = AnalyticsQuery(request.GET)
    data = query.valid()
    unit = _chosen_gmina(query)
    group = query.chosen_group()
    chosen, latest = comparison_indicators(data["domain"] or None)
    dataset = datasets.comparison(unit, group, data["period"] or latest, chosen)
    return render(request, "insights/comparison.html", _common(
        query, unit=unit, group=group, period=data["period"] or latest, rows=dataset.frame.to_dicts(),
        domains=Domain.objects.all(), units=Unit.objects.current().gminy().order_by("name"),
        has_demo_data=dataset.has_demo, meta=dataset.meta, downloads=download_links(request, "comparison")))


def index_list(request: HttpRequest) -> HttpResponse:
    indices = [{**index_definition(i), "normalisation_name": i.get_normalisation_display()}
               for i in CompositeIndex.objects.all()]
    return render(request, "insights/indices.html", {"indices": indices})


def index_detail(request: HttpRequest, code: str) -> HttpResponse:
    index = get_object_or_404(CompositeIndex, code=code)
    query = AnalyticsQuery(request.GET)
    group = query.chosen_group()
    everything = datasets.index_values(index, group, None)
    years = sorted(set(everything.frame["period"].to_list()))
    period = query.valid()["period"] or (years[-1] if years else None)
    values = datasets.index_values(index, group, period)
    parts = datasets.index_contributions(index, group, period).frame
    definition = index_definition(index)
    rows = index_rows(values.frame.to_dicts(), parts.to_dicts(), definition)
    return render(request, "insights/index_detail.html", _common(
        query, index=index, definition=definition, group=group, period=period, years=years, rows=rows,
        has_demo_data=values.has_demo, meta=values.meta,
        downloads=download_links(request, "index", mappable=True) if request.GET.get("period") else
        download_links(request, "index"),
        contribution_downloads=download_links(request, "contributions")))


def progress(request: HttpRequest) -> HttpResponse:
    dataset = datasets.progress()
    return render(request, "insights/progress.html", {
        "rows": dataset.frame.to_dicts(), "meta": dataset.meta, "has_demo_data": selectors.targets_use_demo_values(),
        "downloads": download_links(request, "progress")})


def open_data(request: HttpRequest) -> HttpResponse:
    headline = Indicator.objects.filter(headline=True).select_related("domain")
    return render(request, "insights/open_data.html", {
        "headline": headline, "indices": CompositeIndex.objects.all(), "formats": FORMATS,
        "has_demo_data": Observation.objects.filter(flag=Flag.DEMO).exists(),
        "package": bulk.describe(), "derived": download_links(request, "derived"),
        "progress": download_links(request, "progress")})


@require_GET
def datapackage(request: HttpRequest) -> FileResponse:
    """The whole observatory as a zipped Frictionless Data Package, built once per data version."""
    path = bulk.cached_package()
    response = FileResponse(path.open("rb"), as_attachment=True, filename="obserwatorium-datapackage.zip",
                            content_type="application/zip")
    response["Last-Modified"] = http_date(selectors.data_version().timestamp())
    return response


# Accept media type → serialisation of the catalogue; the first the client names (by q) wins.
CATALOGUE_MEDIA = {media: name for name, (_, media) in dcat.SERIALISATIONS.items()} | {
    "application/x-turtle": "ttl", "application/xml": "rdf", "text/xml": "rdf", "application/json": "jsonld"}


def _negotiated(accept: str) -> str | None:
    """The serialisation the Accept header prefers; 'html' for a browser; None when it accepts none of them."""
    choices = []
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        choices.append((-quality, position, media.strip().lower()))
    for quality, _position, media in sorted(choices):
        if quality == 0:
            continue
        if media in CATALOGUE_MEDIA:
            return CATALOGUE_MEDIA[media]
        if media in ("text/html", "application/xhtml+xml"):
            return "html"
        if media in ("*/*", "text/*", "application/*"):
            return "ttl"
    return None if accept.strip() else "ttl"


@require_GET
def catalog(request: HttpRequest, fmt: str = "") -> HttpResponse:
    """The DCAT-AP catalogue of the open data, as Turtle, RDF/XML or JSON-LD (by suffix, or by Accept)."""
    if not fmt:
        chosen = _negotiated(request.headers.get("Accept", ""))
        if chosen == "html":
            response: HttpResponse = HttpResponseRedirect(reverse("insights:open-data"), status=303)
            response["Vary"] = "Accept"
            return response
        if chosen is None:
            response = HttpResponse(
                "406 Not Acceptable: the catalogue is text/turtle, application/rdf+xml or application/ld+json.\n",
                status=406, content_type="text/plain; charset=utf-8")
            response["Vary"] = "Accept"
            return response
        fmt = chosen
    version = selectors.data_version()
    about, entries = catalogue.catalogue(request, version=version)
    body = dcat.serialise_graph(dcat.catalogue_graph(about, entries), fmt)
    media = dcat.SERIALISATIONS[fmt][1]
    response = conditional_response(request, body, f"{media}; charset=utf-8", version)
    response["Vary"] = "Accept, Accept-Language, Cookie"
    response["Link"] = f'<{request.build_absolute_uri(reverse("insights:open-data"))}>; rel="describedby"'
    return response
