"""JSON API of the analytics (mounted at /api/analytics/): every answer supports conditional GET."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Path, Query, Router

from obserwatorium.downloads.jsonfile import records
from obserwatorium.indicators.models import Indicator
from obserwatorium.insights import datasets, selectors
from obserwatorium.insights.conditional import conditional_json
from obserwatorium.insights.groups import MAX_CUSTOM_UNITS, Group, available_groups, resolve_group
from obserwatorium.insights.models import CompositeIndex
from obserwatorium.insights.presenters import comparison_indicators, index_definition
from obserwatorium.insights.schemas import (
    AggregateOut,
    ComparisonOut,
    DerivedOut,
    GroupsOut,
    IndexOut,
    IndicesOut,
    Message,
    ProgressOut,
    RankingOut,
    TrendsOut,
    ValidationErrors,
)
from obserwatorium.territory.models import Unit
from obserwatorium.vocabulary import DOMAIN_CODE, GROUP_KEY, INDEX_CODE, INDICATOR_CODE, TERYT, YEAR, Term, list_term

router = Router()



def _form(term: Term) -> dict[str, Any]:
    """The pattern and length limit of a parameter, from the vocabulary."""
    return {"pattern": term.pattern, "max_length": term.max_length}


INDICATOR = _form(INDICATOR_CODE)
INDEX = _form(INDEX_CODE)
UNIT = _form(TERYT)
UNITS = _form(list_term(TERYT, MAX_CUSTOM_UNITS))
GROUP = _form(GROUP_KEY)
PERIOD = _form(YEAR)
DOMAIN = _form(DOMAIN_CODE)
ERRORS = {304: None, 404: Message, 422: ValidationErrors}


def _indicator(code: str) -> Indicator:
    indicator = selectors.Indicator.objects.select_related("numerator", "denominator", "domain").filter(
        code=code).first()
    if indicator is None:
        raise Http404("no such indicator")
    return indicator


def _group(group: str | None, units: str | None) -> Group:
    found = resolve_group(group, units.split(",") if units else ())
    if found is None:
        raise Http404("no such group, or a unit that does not exist")
    return found


def _answer(request: HttpRequest, payload) -> HttpResponse:
    return conditional_json(request, payload, selectors.data_version())


def _meta(dataset: datasets.Dataset) -> dict:
    return dataset.meta.as_dict()


@router.get("/groups", response={200: GroupsOut, **ERRORS}, summary="Groups of units to aggregate and compare")
def groups(request: HttpRequest):
    return _answer(request, {"groups": [{"key": g.key, "label": str(g.label), "units": g.teryts}
                                        for g in available_groups()]})


@router.get("/derived", response={200: DerivedOut, **ERRORS}, summary="Derived indicators and their formulas")
def derived(request: HttpRequest):
    dataset = datasets.derived_definitions()
    return _answer(request, {"metadata": _meta(dataset), "data": records(dataset.frame)})


@router.get("/aggregates/{indicator}", response={200: AggregateOut, **ERRORS},
            summary="Group value per period by the indicator's aggregation rule, with coverage")
def aggregates(request: HttpRequest, indicator: str = Path(..., **INDICATOR),
               group: str | None = Query(None, **GROUP),
               units: str | None = Query(None, **UNITS)):
    dataset = datasets.aggregate(_indicator(indicator), _group(group, units))
    return _answer(request, {"metadata": _meta(dataset), "data": records(dataset.frame)})


@router.get("/rankings/{indicator}", response={200: RankingOut, **ERRORS},
            summary="Units ranked on an indicator (polarity respected, ties shared) with the group quartiles")
def rankings(request: HttpRequest, indicator: str = Path(..., **INDICATOR),
             period: str | None = Query(None, **PERIOD),
             group: str | None = Query(None, **GROUP),
             units: str | None = Query(None, **UNITS),
             ties: Literal["competition", "dense"] = "competition"):
    found = _indicator(indicator)
    period = period or (selectors.periods(found) or ["2000"])[-1]
    dataset = datasets.ranking(found, period, _group(group, units), ties)
    return _answer(request, {"metadata": _meta(dataset), "summary": dataset.extra["summary"],
                             "data": records(dataset.frame)})


@router.get("/comparison/{teryt}", response={200: ComparisonOut, **ERRORS},
            summary="One unit against its peer group: value, rank, quartiles and position per indicator")
def comparison(request: HttpRequest, teryt: str = Path(..., **UNIT),
               period: str | None = Query(None, **PERIOD),
               group: str | None = Query(None, **GROUP),
               units: str | None = Query(None, **UNITS),
               domain: str | None = Query(None, **DOMAIN)):
    unit = Unit.objects.current().gminy().filter(teryt=teryt).first()
    if unit is None:
        raise Http404("no such gmina")
    chosen, latest = comparison_indicators(domain)
    dataset = datasets.comparison(unit, _group(group, units), period or latest, chosen)
    return _answer(request, {"metadata": _meta(dataset), "data": records(dataset.frame)})


@router.get("/indices", response={200: IndicesOut, **ERRORS}, summary="Composite indices and their definitions")
def index_list(request: HttpRequest):
    return _answer(request, {"indices": [index_definition(i) for i in CompositeIndex.objects.all()]})


@router.get("/indices/{code}", response={200: IndexOut, **ERRORS},
            summary="Composite index values with each component's contribution")
def index_detail(request: HttpRequest, code: str = Path(..., **INDEX),
                 period: str | None = Query(None, **PERIOD),
                 group: str | None = Query(None, **GROUP),
                 units: str | None = Query(None, **UNITS)):
    index = CompositeIndex.objects.filter(code=code).first()
    if index is None:
        raise Http404("no such index")
    chosen = _group(group, units)
    values, parts = datasets.index_values(index, chosen, period), datasets.index_contributions(index, chosen, period)
    return _answer(request, {"definition": index_definition(index), "metadata": _meta(values),
                             "data": records(values.frame), "contributions": records(parts.frame)})


@router.get("/trends/{indicator}", response={200: TrendsOut, **ERRORS},
            summary="Recent trend (5-year CAGR, Theil–Sen slope) of the group aggregate and each unit")
def trends(request: HttpRequest, indicator: str = Path(..., **INDICATOR),
           group: str | None = Query(None, **GROUP),
           units: str | None = Query(None, **UNITS)):
    dataset = datasets.trends(_indicator(indicator), _group(group, units))
    return _answer(request, {"metadata": _meta(dataset), "data": records(dataset.frame)})


@router.get("/progress", response={200: ProgressOut, **ERRORS},
            summary="Progress towards targets (Eurostat SDG method); the targets are illustrative")
def progress(request: HttpRequest):
    dataset = datasets.progress()
    return _answer(request, {"metadata": _meta(dataset), "data": records(dataset.frame)})
