"""A long table in pages of rows: the page asked for (`?page=`), the rows it holds, links to its neighbours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

from django.core.paginator import Paginator

Row = TypeVar("Row")


@dataclass(frozen=True)
class TablePage:
    """The page of a table shown: its number, the rows it holds, links to its neighbours."""

    number: int
    pages: int
    first_row: int
    last_row: int
    total: int
    previous: str  # "?page=N…" of the previous page, "" on the first
    next: str


def page_of(rows: Sequence[Row], page: str | None, *, per_page: int,
            kept: Mapping[str, str]) -> tuple[TablePage, list[Row]]:
    """The page `page` of `rows` and its rows; a page that is not a number or is out of range is the first or the
    last (as Django's `Paginator.get_page`). The links keep the other parameters `kept` (those with a value)."""
    found = Paginator(rows, per_page).get_page(page)
    kept = {key: value for key, value in kept.items() if value}

    def link(number: int) -> str:
        return "?" + urlencode({**kept, "page": number})

    return TablePage(
        number=found.number, pages=found.paginator.num_pages, first_row=found.start_index(),
        last_row=found.end_index(), total=len(rows),
        previous=link(found.previous_page_number()) if found.has_previous() else "",
        next=link(found.next_page_number()) if found.has_next() else "",
    ), list(found.object_list)
