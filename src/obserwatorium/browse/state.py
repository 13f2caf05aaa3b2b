"""What a browse page shows, read from its query string and written back into links: the chosen facet values,
the free-text filter, the sort, the page and its size, the facets shown in full. The whole state is in the
address, so a page can be shared, reloaded and gone back to; a malformed parameter is a 400, never a guess."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

from obserwatorium.browse.tables import Column, Facet, Table

PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
MAX_QUESTION = 100
MAX_VALUES = 30  # chosen values of one facet
MAX_PAGE = 10**6


@dataclass(frozen=True)
class State:
    table: Table
    chosen: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (facet key, query-string values), in the table's order
    question: str = ""
    sort: str = ""  # a column key, "-" in front for descending; "" the table's default
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE
    expanded: tuple[str, ...] = ()  # facets shown with all their values (up to the limit)

    # --- reading -------------------------------------------------------------------------------------------------

    def values(self, key: str) -> tuple[str, ...]:
        return dict(self.chosen).get(key, ())

    def parsed(self) -> list[tuple[Facet, list[Any]]]:
        """Each facet with chosen values, the values as stored (validated when the state was read)."""
        found = []
        for key, texts in self.chosen:
            facet = self.table.facet(key)
            if facet is not None:
                found.append((facet, [facet.parse(text) for text in texts]))
        return found

    @property
    def sort_column(self) -> Column:
        key = (self.sort or self.table.default_sort).lstrip("-")
        column = self.table.column(key)
        assert column is not None and column.sort, f"{self.table.name}: default sort {key!r} is not a sort column"
        return column

    @property
    def descending(self) -> bool:
        return (self.sort or self.table.default_sort).startswith("-")

    @property
    def filtered(self) -> bool:
        return bool(self.chosen or self.question)

    # --- writing -------------------------------------------------------------------------------------------------

    def params(self) -> list[tuple[str, str]]:
        pairs = [(key, value) for key, values in self.chosen for value in values]
        if self.question:
            pairs.append(("q", self.question))
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.size != DEFAULT_PAGE_SIZE:
            pairs.append(("size", str(self.size)))
        pairs += [("more", key) for key in self.expanded]
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def query(self) -> str:
        """The state as a query string ("?…", or "" for the table's first page unfiltered)."""
        pairs = self.params()
        return "?" + urlencode(pairs) if pairs else "?"

    def toggled(self, key: str, value: str) -> State:
        """The state with the facet value added, or removed if it was chosen; back to the first page."""
        chosen = dict(self.chosen)
        values = chosen.get(key, ())
        values = tuple(v for v in values if v != value) if value in values else (*values, value)
        chosen[key] = values
        order = [f.key for f in self.table.facets]
        ordered = tuple((k, chosen[k]) for k in order if chosen.get(k))
        return replace(self, chosen=ordered, page=1)

    def without_facet(self, key: str) -> State:
        return replace(self, chosen=tuple(pair for pair in self.chosen if pair[0] != key), page=1)

    def sorted_by(self, column: Column) -> State:
        """Sorted by the column: ascending first, descending when it already sorts ascending."""
        ascending = self.sort_column.key == column.key and not self.descending
        return replace(self, sort=("-" if ascending else "") + column.key, page=1)

    def expanding(self, key: str, shown: bool) -> State:
        expanded = tuple(k for k in self.expanded if k != key) + ((key,) if shown else ())
        return replace(self, expanded=expanded)

    def at_page(self, page: int) -> State:
        return replace(self, page=page)


def _integer(text: str, name: str) -> int:
    if not text.isdigit() or len(text) > 7:
        raise ValidationError(_("%(name)s must be a whole number.") % {"name": name})
    return int(text)


def read_state(table: Table, query: QueryDict) -> State:
    """The state a query string asks for; an unknown sort column, a page that is no number or a malformed facet
    value is a ValidationError (the page answers 400)."""
    chosen = []
    for facet in table.facets:
        values = tuple(dict.fromkeys(v for v in query.getlist(facet.key) if v != ""))
        if len(values) > MAX_VALUES:
            raise ValidationError(_("Too many values of one filter."))
        for value in values:
            facet.parse(value)
        if values:
            chosen.append((facet.key, values))
    sort = query.get("sort", "")
    if sort:
        column = table.column(sort.removeprefix("-"))
        if column is None or not column.sort:
            raise ValidationError(_("The table cannot be sorted by “%(column)s”.") % {"column": sort[:40]})
    page = _integer(query.get("page", "1"), "page")
    if not 1 <= page <= MAX_PAGE:
        raise ValidationError(_("There is no such page."))
    size = _integer(query.get("size", str(DEFAULT_PAGE_SIZE)), "size")
    if size not in PAGE_SIZES:
        raise ValidationError(_("Rows per page: one of 25, 50, 100 or 200."))
    expanded = tuple(dict.fromkeys(k for k in query.getlist("more") if table.facet(k) is not None))
    question = " ".join(query.get("q", "").split())[:MAX_QUESTION]
    return State(table, tuple(chosen), question=question, sort=sort, page=page, size=size, expanded=expanded)
