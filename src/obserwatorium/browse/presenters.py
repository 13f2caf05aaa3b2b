"""What a browse page shows, ready for the template: the header's sort links, each row's cells as text, the
facets' links, the chips of the chosen filters and the pages' links."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from obserwatorium.browse.selectors import FacetCounts, Page
from obserwatorium.browse.state import State
from obserwatorium.numbers import format_number


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    url: str  # "" when the column does not sort
    sort: str  # aria-sort: "ascending", "descending" or "" (not sorted by it)
    numeric: bool


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    numeric: bool = False
    flag: str = ""  # a flag whose mark is shown beside the value
    wide: bool = False


def headers(state: State) -> list[Header]:
    current = state.sort_column.key
    found = []
    for column in state.table.listed:
        sort = ("descending" if state.descending else "ascending") if column.key == current else ""
        url = state.sorted_by(column).query() if column.sort else ""
        found.append(Header(column.key, str(column.label), url, sort, column.numeric))
    return found


def text_of(value: Any) -> str:
    """A cell's value as the page writes it: numbers and dates in the page's language, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        return format_number(value, decimals=2, trim=True, language=(get_language() or "pl")[:2])
    if isinstance(value, datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def rows(state: State, page: Page) -> list[list[Cell]]:
    found = []
    for record in page.records:
        cells = []
        for column in state.table.listed:
            value = column.text(record)
            cells.append(Cell(value if isinstance(value, str) and value else text_of(value),
                              column.link(record) if column.link else "", column.numeric,
                              column.flag(record) if column.flag else "", column.wide))
        found.append(cells)
    return found


@dataclass(frozen=True)
class FacetLink:
    name: str
    count: int
    chosen: bool
    url: str


@dataclass(frozen=True)
class FacetView:
    key: str
    label: str
    links: list[FacetLink]
    more_url: str  # "" when every value is shown
    fewer_url: str  # "" unless expanded
    clear_url: str  # "" when nothing of it is chosen


def facet_view(state: State, counts: FacetCounts) -> FacetView:
    facet = counts.facet
    links = [FacetLink(v.name, v.count, v.chosen, state.toggled(facet.key, v.param).query()) for v in counts.values]
    return FacetView(
        facet.key, str(facet.label), links,
        more_url=state.expanding(facet.key, True).query() if counts.more and not counts.expanded else "",
        fewer_url=state.expanding(facet.key, False).query() if counts.expanded else "",
        clear_url=state.without_facet(facet.key).query() if state.values(facet.key) else "")


@dataclass(frozen=True)
class Chip:
    label: str
    value: str
    url: str  # the page without this filter


def chips(state: State, facets: list[FacetView]) -> list[Chip]:
    """Each chosen filter, named as its facet names it, with the link that removes it."""
    names = {(view.key, link.url): link.name for view in facets for link in view.links}
    found = []
    for facet, _values in state.parsed():
        for text in state.values(facet.key):
            removing = state.toggled(facet.key, text).query()
            found.append(Chip(str(facet.label), names.get((facet.key, removing), text), removing))
    if state.question:
        found.append(Chip(_("Text"), f"„{state.question}”", replace(state, question="", page=1).query()))
    return found


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


def pages(state: State, page: Page) -> list[PageLink | None]:
    """Links to the first, the last and the pages around the current one (None: a gap)."""
    numbers = sorted({1, page.last_page, *range(max(1, state.page - 2), min(page.last_page, state.page + 2) + 1)})
    found: list[PageLink | None] = []
    for number in numbers:
        if found and found[-1] is not None and number - found[-1].number > 1:
            found.append(None)
        found.append(PageLink(number, state.at_page(number).query(), number == state.page))
    return found
