"""API of the indicators: domains, the catalogue, observations (JSON and CSV) and revisions."""

from __future__ import annotations

from enum import StrEnum

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext
from ninja import Query, Router
from ninja.errors import HttpError

from obserwatorium.api.errors import ErrorOut
from obserwatorium.api.json_body import json_response
from obserwatorium.api.pagination import offset, page_fields
from obserwatorium.api.params import Paging, check_path_code, unknown_codes
from obserwatorium.downloads.csvfile import RFC4180, stream_csv
from obserwatorium.indicators import observation_json, selectors
from obserwatorium.indicators.models import Indicator
from obserwatorium.indicators.params import IndicatorFilters, ObservationFilters, RevisionFilters
from obserwatorium.indicators.schemas import (
    DomainOut,
    IndicatorOut,
    IndicatorSummaryOut,
    ObservationColumnsOut,
    ObservationPageOut,
    RevisionPageOut,
)
from obserwatorium.territory.selectors import unit_ids_by_teryt
from obserwatorium.vocabulary import INDICATOR_CODE

router = Router()

ERRORS = {422: ErrorOut}
SHAPE_HELP = ("rows: `items`, one object per value (the default); columns: `columns`, one array per field "
              "(indicator, teryt, unit, period, value, flag, batch), the compact shape for tables and charts.")
CSV_HEADER = (*observation_json.OBSERVATION_KEYS, "source")
# The operation ids clients know, from when these endpoints lived in api/observatory.py.
OPERATION_ID = "obserwatorium_api_observatory_{}".format
SUMMARY_KEYS = tuple(IndicatorSummaryOut.model_fields)
CSV_RESPONSE = {"responses": {200: {"description": "CSV with a header row, UTF-8 (with a BOM when bom=1).",
                                    "content": {"text/csv": {"schema": {"type": "string"}}}}}}


def _indicators(codes: list[str]) -> list[Indicator] | None:
    """The requested indicators (None: no filter); unknown codes are a 422 that names them."""
    if not codes:
        return None
    found = selectors.indicators_by_code(codes)
    missing = [code for code in codes if code not in found]
    if missing:
        raise unknown_codes(name="indicator", what="indicator", codes=missing)
    return [found[code] for code in codes]


def _unit_ids(codes: list[str]) -> list[int] | None:
    """Ids of every version of the requested units (None: no filter); unknown codes are a 422 that names them."""
    if not codes:
        return None
    found = unit_ids_by_teryt(codes)
    missing = [code for code in codes if code not in found]
    if missing:
        raise unknown_codes(name="unit", what="TERYT code", codes=missing)
    return [pk for code in codes for pk in found[code]]


def observation_query(filters: ObservationFilters) -> QuerySet:
    """The observations a filter set asks for, in a total order; unknown or inconsistent filters are a 422."""
    filters.check_range()
    query = selectors.observations(
        indicators=_indicators(filters.indicator), unit_ids=_unit_ids(filters.unit),
        period_from=filters.period_from, period_to=filters.period_to,
    )
    if filters.flag:
        query = query.filter(flag__in=filters.flag)
    # Two versions of a unit share a TERYT code: the id keeps the order total, so pages never overlap.
    return query.order_by(*query.query.order_by, "pk")


@router.get("/domains", response=list[DomainOut], summary="Domains",
            operation_id=OPERATION_ID("list_domains"))
def list_domains(request: HttpRequest):
    """The domains of the catalogue (the strategy's cooperation domains and context)."""
    return selectors.domain_rows()


@router.get("/indicators", response={200: list[IndicatorSummaryOut], **ERRORS}, summary="Indicator catalogue",
            operation_id=OPERATION_ID("list_indicators"))
def list_indicators(request: HttpRequest, filters: Query[IndicatorFilters]):
    """Catalogue entries in catalogue order, filtered by domain, headline status and words of the name."""
    if filters.domain and not selectors.domain_exists(filters.domain):
        raise unknown_codes(name="domain", what="domain", codes=[filters.domain])
    rows = selectors.indicator_summaries(domain=filters.domain, headline=filters.headline, search=filters.q)
    # Encoded here, not through the response model: the model per row and its encoder were most of the request.
    return json_response([{key: row[key] for key in SUMMARY_KEYS} for row in rows])


@router.get("/indicators/{code}", response={200: IndicatorOut, 404: ErrorOut, **ERRORS}, summary="One indicator",
            operation_id=OPERATION_ID("get_indicator"))
def get_indicator(request: HttpRequest, code: str):
    """Full metadata of an indicator and the coverage of its stored values."""
    row = selectors.indicator_metadata(check_path_code(code, name="code", term=INDICATOR_CODE))
    if row is None:
        raise HttpError(404, f"unknown indicator code: {code}")
    return row


class ObservationShape(StrEnum):
    ROWS = "rows"
    COLUMNS = "columns"


SHAPE_PARAMETER = Query(ObservationShape.ROWS, description=SHAPE_HELP)


@router.get("/observations", response={200: ObservationPageOut | ObservationColumnsOut, **ERRORS},
            summary="Observations", operation_id=OPERATION_ID("list_observations"))
def list_observations(request: HttpRequest, filters: Query[ObservationFilters], paging: Query[Paging],
                      shape: ObservationShape = SHAPE_PARAMETER):
    """Values by indicator, unit and period range, a page at a time, with the provenance of every value."""
    query = observation_query(filters)
    count, demo = selectors.observation_summary(query)
    start = offset(paging)
    rows = list(query.values_list(*selectors.OBSERVATION_COLUMNS)[start:start + paging.page_size])
    head = {
        **page_fields(request, paging=paging, count=count),
        "sources": selectors.sources({row[-1] for row in rows}),
        "demo": demo,
        "notice": gettext("Demonstration data, not official statistics.") if demo else None,
    }
    # Encoded here, not through the response model: a pydantic model per row cost most of the request.
    return observation_json.page_response(head=head, rows=rows, columns=shape == ObservationShape.COLUMNS)


@router.get("/observations.csv", response=ERRORS, openapi_extra=CSV_RESPONSE, summary="Observations as CSV",
            operation_id=OPERATION_ID("observations_csv"))
def observations_csv(request: HttpRequest, filters: Query[ObservationFilters],
                     bom: bool = Query(False, description="Start with a byte-order mark (for Excel).")):
    """The same query as /observations, every matching row streamed as CSV (the `flag` column marks demo values)."""
    query = observation_query(filters)
    rows = query.values_list(*selectors.OBSERVATION_COLUMNS, "batch__source").iterator(chunk_size=5000)
    response = StreamingHttpResponse(stream_csv(header=CSV_HEADER, rows=rows, dialect=RFC4180, bom=bom),
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


@router.get("/revisions", response={200: RevisionPageOut, **ERRORS}, summary="Revision history",
            operation_id=OPERATION_ID("list_revisions"))
def list_revisions(request: HttpRequest, filters: Query[RevisionFilters], paging: Query[Paging]):
    """Every overwritten value: old and new value and flag, the batches, who and when; newest first."""
    indicators = _indicators(filters.indicator)
    query = selectors.revisions(indicator_ids=[i.pk for i in indicators] if indicators is not None else None,
                                unit_ids=_unit_ids(filters.unit), period=filters.period)
    count = query.count()
    start = offset(paging)
    items = [selectors.revision_row(row)
             for row in query.values_list(*selectors.REVISION_COLUMNS)[start:start + paging.page_size]]
    batches = {item["batch"] for item in items} | {item["old_batch"] for item in items}
    return {**page_fields(request, paging=paging, count=count), "items": items, "sources": selectors.sources(batches)}
