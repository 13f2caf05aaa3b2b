"""Reads of a browse page: the filtered rows in their order, one page of them, and each facet's values with their
counts — grouped COUNT queries, a fixed number of them whatever the size of the table or the page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from obserwatorium.browse.state import State
from obserwatorium.browse.tables import Facet

FACET_VALUES = 10  # values of a facet shown at first
FACET_VALUES_EXPANDED = 100  # shown once the facet is expanded


def filtered(state: State, *, but: Facet | None = None) -> QuerySet:
    """The table's public rows matching every chosen filter (but those of the facet `but`) and the question."""
    table = state.table
    rows = table.public()
    model = rows.model
    for facet, values in state.parsed():
        if facet is not but:
            rows = rows.filter(facet.condition(values, model))
    if state.question and table.searched:
        words = Q()
        for name in table.searched:
            words |= Q(**{f"{name}__icontains": state.question})
        rows = rows.filter(words)
    return rows


def ordered(state: State, rows: QuerySet) -> QuerySet:
    """The rows in the chosen column's order (empty values last), then by id so that pages never overlap."""
    column = state.sort_column
    terms = [F(path).desc(nulls_last=True) if state.descending else F(path).asc(nulls_last=True)
             for path in column.sort]
    return rows.order_by(*terms, "pk")


def with_related(state: State, rows: QuerySet) -> QuerySet:
    table = state.table
    return rows.select_related(*table.related).prefetch_related(*table.prefetch)


@dataclass(frozen=True)
class Page:
    records: list[Any]
    count: int
    demo: bool
    first: int  # the number of the first row shown (1-based; 0 when none)
    last_page: int


def page_of(state: State) -> Page:
    """One page of the filtered rows, the number of them all and whether any is demonstration data; a page past
    the last is a LookupError (the view answers 404)."""
    rows = filtered(state)
    count, demo = state.table.summary(rows)
    last_page = max(1, -(-count // state.size))
    if state.page > last_page:
        raise LookupError("no such page")
    start = (state.page - 1) * state.size
    records = list(with_related(state, ordered(state, rows))[start:start + state.size])
    return Page(records, count, demo, start + 1 if records else 0, last_page)


@dataclass(frozen=True)
class FacetValue:
    param: str
    name: str
    count: int
    chosen: bool


@dataclass(frozen=True)
class FacetCounts:
    facet: Facet
    values: list[FacetValue]
    more: bool  # more values than shown
    expanded: bool


def facet_counts(state: State, facet: Facet) -> FacetCounts:
    """The facet's values over the rows matching every other filter, most frequent first (chosen ones always),
    in one grouped query limited to the values shown."""
    expanded = facet.key in state.expanded
    limit = FACET_VALUES_EXPANDED if expanded else FACET_VALUES
    rows = filtered(state, but=facet).order_by()
    chosen_values = [facet.parse(text) for text in state.values(facet.key)]
    named = [v for v in chosen_values if v is not None]
    chosen_rank: Any = Value(0)
    if named:
        chosen_rank = Case(When(facet_value__in=named, then=Value(1)), default=Value(0), output_field=IntegerField())
    grouped = (rows.annotate(facet_value=facet.expression()).values("facet_value", *facet.labels)
               .annotate(count=Count("pk", distinct=facet.many), chosen=chosen_rank)
               .order_by("-chosen", "-count", F("facet_value").asc(nulls_last=True))[:limit + 1])
    found = list(grouped)
    merged: dict[str, FacetValue] = {}
    chosen_params = set(state.values(facet.key))
    for row in found[:limit]:
        param = facet.param(row["facet_value"])
        if param in merged:  # a blank and a missing value are both "not stated"
            previous = merged[param]
            merged[param] = FacetValue(param, previous.name, previous.count + row["count"], previous.chosen)
            continue
        merged[param] = FacetValue(param, facet.name(row["facet_value"], row), row["count"], param in chosen_params)
    return FacetCounts(facet, list(merged.values()), more=len(found) > limit, expanded=expanded)
