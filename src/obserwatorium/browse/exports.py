"""The filtered rows of a browse page as a dataset: every row in the page's order, the columns as the page reads
them, and the metadata every observatory download carries (title, source, licence, retrieval date, flags)."""

from __future__ import annotations

from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from obserwatorium.browse import selectors
from obserwatorium.browse.state import State
from obserwatorium.downloads.meta import Field, TableMeta
from obserwatorium.insights.datasets import DEMO_SOURCE, Dataset

EXPORT_LIMIT = 200_000  # rows; a larger selection is refused (the API streams any number as CSV)
CHUNK = 2_000


class TooManyRows(Exception):
    """The selection is larger than one download holds."""


def _frame(state: State, rows) -> pl.DataFrame:
    columns = state.table.columns
    data: dict[str, list[Any]] = {column.key: [] for column in columns}
    for record in rows.iterator(chunk_size=CHUNK):
        for column in columns:
            data[column.key].append(column.read(record))
    frame = pl.DataFrame(data, strict=False)
    empty = [name for name, dtype in frame.schema.items() if dtype == pl.Null]
    return frame.with_columns([pl.col(name).cast(pl.Utf8) for name in empty]) if empty else frame


def _filters(state: State) -> dict[str, list[str]]:
    return {key: list(values) for key, values in state.chosen}


def _title(state: State) -> str:
    """The table's name and, when filtered, what it was filtered by (the facets' names and values as given)."""
    parts = [f"{facet.label}: {', '.join(state.values(facet.key))}" for facet, _values in state.parsed()]
    if state.question:
        parts.append(f"„{state.question}”")
    return f"{state.table.title} — {'; '.join(parts)}" if parts else str(state.table.title)


def dataset(state: State, page_url: str) -> Dataset:
    """Every filtered row (none cut) with its metadata; more than EXPORT_LIMIT rows is TooManyRows."""
    table = state.table
    rows = selectors.filtered(state)
    count, demo = table.summary(rows)
    if count > EXPORT_LIMIT:
        raise TooManyRows(count)
    frame = _frame(state, selectors.with_related(state, selectors.ordered(state, rows)))
    found = table.provenance(rows) if table.provenance is not None else None
    notes: dict[str, Any] = {"table": table.name, "filters": _filters(state), "search": state.question,
                             "sort": state.sort or table.default_sort, "rows": count, "page": page_url}
    if "flag" in frame.columns:
        notes["flags"] = dict(sorted(frame["flag"].value_counts().iter_rows()))
    source = found.source if found else ""
    if demo:
        notes["notice"] = str(DEMO_SOURCE)
        if notes.get("flags", {}).keys() == {"demo"} and not source.startswith(str(DEMO_SOURCE)):
            # Every row is demonstration data (derived ones too): no official source may be credited first.
            source = "; ".join(s for s in (str(DEMO_SOURCE), source) if s)
    meta = TableMeta(
        name=f"{table.name}" + ("-filtered" if state.filtered else ""), title=_title(state),
        description=str(table.description), source=source,
        licence=found.licence if found else "", retrieved=found.retrieved if found else "",
        fields=tuple(Field(c.key, str(c.label), str(c.description)) for c in table.columns),
        notes=notes, sources=found.sources if found else (),
    )
    return Dataset(frame, meta, mappable=table.mappable)


def too_many_message(count: int) -> str:
    return _("The selection holds %(count)s rows; a download holds at most %(limit)s. Narrow the filters, or "
             "take every observation from the API as CSV.") % {"count": count, "limit": EXPORT_LIMIT}
