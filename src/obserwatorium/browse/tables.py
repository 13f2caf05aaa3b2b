"""What a browsable table is: its public records, its columns (read for the page and the export), the facets it is
counted by and the words it is searched in. The tables themselves are declared in `catalogue.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Expression, F, Model, Q, QuerySet
from django.db.models.functions import ExtractYear, Substr
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from obserwatorium.insights.datasets import Provenance

NONE = "-"  # the query-string value of a facet's "not stated" bucket
MAX_VALUE_LENGTH = 64


def localised(row: Mapping[str, Any], pl: str, en: str) -> str:
    """The English variant of a grouped label when the page is in English and it has one, else the Polish."""
    language = (get_language() or "pl")[:2]
    return str((row.get(en) if language == "en" else None) or row.get(pl) or "")


@dataclass(frozen=True)
class Column:
    """One column: its value for the export (`read`), its text on the page (`show`, default the value) and the
    fields it sorts by (none: not sortable)."""

    key: str
    label: Any
    read: Callable[[Any], Any]
    sort: tuple[str, ...] = ()
    show: Callable[[Any], Any] | None = None
    link: Callable[[Any], str] | None = None  # the record's own page, when the column names it
    numeric: bool = False
    description: Any = ""
    flag: Callable[[Any], str] | None = None  # the flag whose mark is shown beside the value
    listed: bool = True  # shown on the page (every column is in the downloads)
    wide: bool = False  # long text: given room on the page rather than wrapped word by word

    def text(self, record: Any) -> Any:
        return (self.show or self.read)(record)


@dataclass(frozen=True)
class Facet:
    """A column the rows are counted by: each value with its count, a link that filters by it.

    `path` is the field grouped on; `labels` the fields (Polish, English) grouped along for the value's name, or
    `choices` its names (a blank value then counts as not stated); `many` when the path runs through a
    many-to-many relation; `year` when the value is a year: of a date (`year="date"`), the first four characters of
    a period (`year="period"`) or a number field itself (`year="number"`)."""

    key: str
    label: Any
    path: str
    labels: tuple[str, ...] = ()  # none, one (the same in both languages) or two (Polish, English)
    choices: Mapping[Any, Any] | None = None
    many: bool = False
    year: str = ""
    boolean: bool = False

    def expression(self) -> Expression | F:
        if self.year == "date":
            return ExtractYear(self.path)
        if self.year == "period":
            return Substr(self.path, 1, 4)
        return F(self.path)

    def parse(self, text: str) -> Any:
        """The stored value a query-string value stands for; a malformed one is a ValidationError (400)."""
        if text == NONE:
            return None
        if len(text) > MAX_VALUE_LENGTH:
            raise ValidationError(_("A filter value is too long."))
        if self.boolean:
            if text not in ("0", "1"):
                raise ValidationError(_("A yes-or-no filter takes 1 or 0."))
            return text == "1"
        if self.year:
            if not (text.isdigit() and len(text) == 4):
                raise ValidationError(_("A year is four digits."))
            return text if self.year == "period" else int(text)
        return text

    def param(self, value: Any) -> str:
        if value is None or value == "":
            return NONE
        if self.boolean:
            return "1" if value else "0"
        return str(value)

    def name(self, value: Any, row: Mapping[str, Any]) -> str:
        if value is None or value == "":
            return str(_("not stated"))
        if self.boolean:
            return str(_("yes") if value else _("no"))
        if self.choices is not None:
            return str(self.choices.get(value, value))
        if len(self.labels) == 2:
            return localised(row, *self.labels) or str(value)
        if len(self.labels) == 1:
            return str(row.get(self.labels[0]) or value)
        return str(value)

    def condition(self, values: Sequence[Any], model: type[Model]) -> Q:
        """The rows having any of the values (one of them may be None: the value is not stated)."""
        wanted = [v for v in values if v is not None]
        condition = Q()
        if wanted:
            if self.year == "date":
                condition |= Q(**{f"{self.path}__year__in": wanted})
            elif self.year == "period":
                for year in wanted:
                    condition |= Q(**{f"{self.path}__startswith": year})
            else:
                condition |= Q(**{f"{self.path}__in": wanted})
        if None in values:
            condition |= Q(**{f"{self.path}__isnull": True})
            if self.choices is not None:
                condition |= Q(**{self.path: ""})
        if self.many:  # through a subquery, so that the main query never joins (and repeats) the related rows
            return Q(pk__in=model._default_manager.filter(condition).values("pk"))
        return condition


@dataclass(frozen=True)
class Table:
    """A browsable table: its address, names, public records, columns, facets and searched fields."""

    name: str
    title: Any
    description: Any
    public: Callable[[], QuerySet]  # the public records only (the registry's own public queryset or selector)
    columns: tuple[Column, ...]
    facets: tuple[Facet, ...] = ()
    searched: tuple[str, ...] = ()  # fields the free-text filter looks in (any of them, case-insensitive)
    default_sort: str = ""
    related: tuple[str, ...] = ()  # select_related of a page of rows
    prefetch: tuple[Any, ...] = ()  # prefetch_related of a page of rows (public related records only)
    provenance: Callable[[QuerySet], Provenance] | None = None  # source, licence, retrieval date of the rows
    mappable: bool = False  # one row per territorial unit, with its TERYT in the `unit` column (GeoJSON)
    # How many rows match and whether any is demonstration data (one query).
    summary: Callable[[QuerySet], tuple[int, bool]] = lambda rows: (rows.count(), False)

    @property
    def listed(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.listed)

    def column(self, key: str) -> Column | None:
        return next((c for c in self.columns if c.key == key), None)

    def facet(self, key: str) -> Facet | None:
        return next((f for f in self.facets if f.key == key), None)


def local(moment: datetime | None) -> datetime | None:
    """A stored moment in the site's time zone, without the zone (as spreadsheets and Parquet take it)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment is not None else None

