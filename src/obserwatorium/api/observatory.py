"""Observatory API: units, domains, the indicator catalogue, observations (JSON and CSV) and revisions."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext
from ninja import Query, Router
from ninja.errors import HttpError

from obserwatorium.api import csv_export, selectors
from obserwatorium.api.params import (
    IndicatorFilters,
    ObservationFilters,
    Paging,
    RevisionFilters,
    UnitFilters,
    check_path_code,
    unknown_codes,
)
from obserwatorium.api.schemas import (
    DomainOut,
    ErrorOut,
    IndicatorOut,
    IndicatorSummaryOut,
    ObservationPageOut,
    RevisionPageOut,
    UnitDetailOut,
    UnitOut,
)
from obserwatorium.indicators import selectors as indicator_selectors
from obserwatorium.indicators.models import Flag, Indicator
from obserwatorium.vocabulary import INDICATOR_CODE, TERYT

router = Router()

ERRORS = {422: ErrorOut}
OBSERVATION_KEYS = ("indicator", "teryt", "unit", "period", "value", "flag", "batch")
CSV_HEADER = (*OBSERVATION_KEYS, "source")
CSV_RESPONSE = {"responses": {200: {"description": "CSV with a header row, UTF-8 (with a BOM when bom=1).",
                                    "content": {"text/csv": {"schema": {"type": "string"}}}}}}


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _page(request: HttpRequest, *, paging: Paging, count: int) -> dict[str, Any]:
    pages = math.ceil(count / paging.page_size)
    previous = min(paging.page - 1, pages) if paging.page > 1 and pages else None
    return {
        "count": count, "page": paging.page, "page_size": paging.page_size, "pages": pages,
        "next": _page_url(request, paging.page + 1) if paging.page < pages else None,
        "previous": _page_url(request, previous) if previous else None,
    }


def _indicators(codes: list[str]) -> list[Indicator] | None:
    """The requested indicators (None: no filter); unknown codes are a 422 that names them."""
    if not codes:
        return None
    found = selectors.indicator_objects(codes)
    missing = [code for code in codes if code not in found]
    if missing:
        raise unknown_codes(name="indicator", what="indicator", codes=missing)
    return [found[code] for code in codes]


def _unit_ids(codes: list[str]) -> list[int] | None:
    """Ids of every version of the requested units (None: no filter); unknown codes are a 422 that names them."""
    if not codes:
        return None
    found = selectors.unit_ids_by_teryt(codes)
    missing = [code for code in codes if code not in found]
    if missing:
        raise unknown_codes(name="unit", what="TERYT code", codes=missing)
    return [pk for code in codes for pk in found[code]]


def observation_query(filters: ObservationFilters) -> QuerySet:
    """The observations a filter set asks for, in a total order; unknown or inconsistent filters are a 422."""
    filters.check_range()
    query = indicator_selectors.observations(
        indicators=_indicators(filters.indicator), unit_ids=_unit_ids(filters.unit),
        period_from=filters.period_from, period_to=filters.period_to,
    )
    if filters.flag:
        query = query.filter(flag__in=filters.flag)
    # Two versions of a unit share a TERYT code: the id keeps the order total, so pages never overlap.
    return query.order_by(*query.query.order_by, "pk")


@router.get("/units", response={200: list[UnitOut], **ERRORS}, summary="Territorial units")
def list_units(request: HttpRequest, filters: Query[UnitFilters]):
    """Gminy, powiaty, voivodeships and the metropolis, with membership, validity dates and area."""
    if filters.parent and not selectors.unit_ids_by_teryt([filters.parent]):
        raise unknown_codes(name="parent", what="TERYT code", codes=[filters.parent])
    return selectors.units(level=filters.level, membership=filters.membership, parent_teryt=filters.parent)


@router.get("/units/{teryt}", response={200: UnitDetailOut, 404: ErrorOut, **ERRORS}, summary="One unit")
def get_unit(request: HttpRequest, teryt: str,
             geometry: bool = Query(False, description="Include the GeoJSON boundary.")):
    """The current version of a unit; with geometry=true also its GeoJSON boundary."""
    row = selectors.unit(check_path_code(teryt, name="teryt", term=TERYT), geometry=geometry)
    if row is None:
        raise HttpError(404, f"unknown TERYT code: {teryt}")
    return row


@router.get("/domains", response=list[DomainOut], summary="Domains")
def list_domains(request: HttpRequest):
    """The domains of the catalogue (the strategy's cooperation domains and context)."""
    return selectors.domains()


@router.get("/indicators", response={200: list[IndicatorSummaryOut], **ERRORS}, summary="Indicator catalogue")
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters]):
    """Catalogue entries in catalogue order, filtered by domain, headline status and words of the name."""
    if filters.domain and not selectors.domain_exists(filters.domain):
        raise unknown_codes(name="domain", what="domain", codes=[filters.domain])
    return selectors.indicators(domain=filters.domain, headline=filters.headline, search=filters.q)


@router.get("/indicators/{code}", response={200: IndicatorOut, 404: ErrorOut, **ERRORS}, summary="One indicator")
def get_indicator(request: HttpRequest, code: str):
    """Full metadata of an indicator and the coverage of its stored values."""
    row = selectors.indicator(check_path_code(code, name="code", term=INDICATOR_CODE))
    if row is None:
        raise HttpError(404, f"unknown indicator code: {code}")
    return row


@router.get("/observations", response={200: ObservationPageOut, **ERRORS}, summary="Observations")
def list_observations(request: HttpRequest, filters: Query[ObservationFilters], paging: Query[Paging]):
    """Values by indicator, unit and period range, a page at a time, with the provenance of every value."""
    query = observation_query(filters)
    count = query.count()
    offset = (paging.page - 1) * paging.page_size
    rows = query.values_list(*selectors.OBSERVATION_COLUMNS)[offset:offset + paging.page_size]
    items = [dict(zip(OBSERVATION_KEYS, row, strict=True)) for row in rows]
    demo = query.filter(flag=Flag.DEMO).exists()
    return {
        **_page(request, paging=paging, count=count),
        "demo": demo,
        "notice": gettext("Demonstration data, not official statistics.") if demo else None,
        "items": items,
        "sources": selectors.sources(item["batch"] for item in items),
    }


@router.get("/observations.csv", response=ERRORS, openapi_extra=CSV_RESPONSE, summary="Observations as CSV")
def observations_csv(request: HttpRequest, filters: Query[ObservationFilters],
                     bom: bool = Query(False, description="Start with a byte-order mark (for Excel).")):
    """The same query as /observations, every matching row streamed as CSV (the `flag` column marks demo values)."""
    query = observation_query(filters)
    rows = query.values_list(*selectors.OBSERVATION_COLUMNS, "batch__source").iterator(chunk_size=5000)
    response = StreamingHttpResponse(csv_export.lines(header=CSV_HEADER, rows=rows, bom=bom),
                                     content_type="text/csv; charset=utf-8")
    name = f"observations-{filters.indicator[0]}" if len(filters.indicator) == 1 else "observations"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    json_query = request.GET.copy()
    json_query.pop("bom", None)
    links = [f'<{request.build_absolute_uri("/api/observations?" + json_query.urlencode())}>; rel="alternate"; '
             'type="application/json"']
    links += [f'<{request.build_absolute_uri("/api/indicators/" + code)}>; rel="describedby"; '
              'type="application/json"' for code in filters.indicator]
    response["Link"] = ", ".join(links)
    return response


@router.get("/revisions", response={200: RevisionPageOut, **ERRORS}, summary="Revision history")
def list_revisions(request: HttpRequest, filters: Query[RevisionFilters], paging: Query[Paging]):
    """Every overwritten value: old and new value and flag, the batches, who and when; newest first."""
    indicators = _indicators(filters.indicator)
    query = selectors.revisions(indicator_ids=[i.pk for i in indicators] if indicators is not None else None,
                                unit_ids=_unit_ids(filters.unit), period=filters.period)
    count = query.count()
    offset = (paging.page - 1) * paging.page_size
    items = [selectors.revision_row(row)
             for row in query.values_list(*selectors.REVISION_COLUMNS)[offset:offset + paging.page_size]]
    batches = {item["batch"] for item in items} | {item["old_batch"] for item in items}
    return {**_page(request, paging=paging, count=count), "items": items, "sources": selectors.sources(batches)}
