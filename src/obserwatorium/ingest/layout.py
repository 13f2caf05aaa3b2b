"""Which row is the header, what each column holds, and whether the table is long or wide."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl
from django.utils.translation import gettext as _

from obserwatorium.ingest.cells import header_units, normalize_header, parse_number, period_in_header, vocabulary
from obserwatorium.ingest.problems import Problem, notice
from obserwatorium.ingest.readers import Grid

ROLES = ("unit", "indicator", "period", "value", "flag")
HEADER_SEARCH_ROWS = 20
MAX_HEADER_ROWS = 6
LONG_COLUMNS = ("row", "unit", "indicator", "period", "value", "value_column", "flag")


@dataclass
class Layout:
    kind: str  # "long": one value per row; "wide": one column per period
    header_row: int  # as numbered in the file
    first_data_index: int  # frame index of the first row below the header block
    labels: list[str]  # what the user sees as each column's name
    roles: dict[str, int] = field(default_factory=dict)
    periods: dict[int, str] = field(default_factory=dict)  # wide: column index → period
    unnamed: list[int] = field(default_factory=list)  # columns without a header
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    units_of_measure: list[str] = field(default_factory=list)

    def label(self, role: str) -> str:
        return self.labels[self.roles[role]] if role in self.roles else ""

    def describe(self) -> dict:
        """The layout as stored with the batch."""
        return {"layout": self.kind, "header_row": self.header_row,
                "columns": {role: self.labels[index] for role, index in self.roles.items()},
                "periods": sorted(set(self.periods.values())), "units_of_measure": self.units_of_measure}


def _synonyms() -> dict[str, list[str]]:
    return vocabulary()["columns"]


def _role_ranks(headers: list[str]) -> dict[int, tuple[str, int]]:
    """Column index → (role, rank of the matching word) for every header the vocabulary knows."""
    ranks = {}
    for index, header in enumerate(headers):
        normalized = normalize_header(header)
        for role in ROLES:
            words = _synonyms()[role]
            if normalized in words:
                ranks[index] = (role, words.index(normalized))
                break
    return ranks


def _find_header(rows: list[list[str]]) -> int:
    """The first row naming a known column; else the first non-blank row."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if _role_ranks(row):
            return index
    return next((index for index, row in enumerate(rows) if any(cell.strip() for cell in row)), 0)


def _continues_header(row: list[str], unit_column: int) -> bool:
    """A row below the header that carries more header text: no unit code, some text, no data figures."""
    if unit_column >= len(row) or row[unit_column].strip() or not any(cell.strip() for cell in row):
        return False
    return all(period_in_header(cell) or parse_number(cell) is None for cell in row if cell.strip())


def _merge_header_rows(rows: list[list[str]], start: int) -> tuple[list[str], int]:
    """The header, joined with the rows below it while they continue it (multi-row headers of BDL XLSX).

    Only a header that names neither a value column nor any period may continue on the next rows.
    """
    headers = list(rows[start])
    ranks = _role_ranks(headers)
    unit_column = next((index for index, (role, _rank) in ranks.items() if role == "unit"), None)
    end = start + 1
    if (unit_column is None or any(role == "value" for role, _rank in ranks.values())
            or any(period_in_header(h) for i, h in enumerate(headers) if i not in ranks)):
        return headers, end
    while end < len(rows) and end - start < MAX_HEADER_ROWS and _continues_header(rows[end], unit_column):
        row = rows[end]
        headers = [";".join(part for part in (old.strip(), new.strip()) if part)
                   for old, new in zip(headers, row, strict=False)] + headers[len(row):]
        end += 1
    return headers, end


def detect_layout(grid: Grid, *, indicator_chosen: bool) -> Layout:
    """Find the header block and the role of every column; header-level problems go into the layout."""
    rows = grid.head(HEADER_SEARCH_ROWS + MAX_HEADER_ROWS)
    start = _find_header(rows)
    headers, end = _merge_header_rows(rows, start) if rows else ([], 0)
    width = grid.width
    headers += [""] * (width - len(headers))
    labels = [" ".join(h.split()) or _("column %(number)s") % {"number": i + 1} for i, h in enumerate(headers)]
    layout = Layout(kind="long", header_row=start + 1, first_data_index=end, labels=labels)

    ranks = _role_ranks(headers)
    for role in ROLES:
        candidates = sorted((rank, index) for index, (r, rank) in ranks.items() if r == role)
        if candidates:
            layout.roles[role] = candidates[0][1]
    used = set(layout.roles.values())
    known_unused = set(vocabulary()["known_unused"])
    for index, header in enumerate(headers):
        if index in used:
            continue
        period = period_in_header(header) if header.strip() else None
        if period and "value" not in layout.roles:
            layout.periods[index] = period
        elif not header.strip():
            layout.unnamed.append(index)
        elif normalize_header(header) not in known_unused:
            layout.notices.append(notice("columns_ignored", columns=labels[index]))
    if layout.periods:
        layout.kind = "wide"
        layout.units_of_measure = sorted({u for i in layout.periods for u in header_units(headers[i])})
    _check_columns(layout, indicator_chosen=indicator_chosen)
    if grid.height <= end:
        layout.problems.append(Problem(code="no_data", row=layout.header_row))
    _merge_ignored_notices(layout)
    return layout


def _check_columns(layout: Layout, *, indicator_chosen: bool) -> None:
    required = ["unit"] if layout.kind == "wide" else ["unit", "period", "value"]
    for role in required:
        if role not in layout.roles:
            expected = ", ".join(_synonyms()[role][:6])
            layout.problems.append(Problem(code="column_missing", row=layout.header_row,
                                           params={"role": role, "expected": expected}))
    if "indicator" not in layout.roles and not indicator_chosen:
        layout.problems.append(Problem(code="indicator_needed", row=layout.header_row))
    seen: dict[str, int] = {}
    for index, period in sorted(layout.periods.items()):
        if period in seen:
            layout.problems.append(Problem(
                code="period_column_twice", row=layout.header_row, column=layout.labels[index],
                params={"other": layout.labels[seen[period]], "period": period}))
        seen.setdefault(period, index)


def _merge_ignored_notices(layout: Layout) -> None:
    ignored = [n.params["columns"] for n in layout.notices if n.code == "columns_ignored"]
    layout.notices = [n for n in layout.notices if n.code != "columns_ignored"]
    if ignored:
        layout.notices.append(notice("columns_ignored", columns=", ".join(ignored)))


def data_slices(grid: Grid, layout: Layout, size: int) -> Iterator[pl.DataFrame]:
    """The rows below the header block, `size` grid rows at a time, each with its row number in the file."""
    for start in range(layout.first_data_index, grid.height, size):
        yield grid.rows(start, size).with_row_index("row", offset=start + 1)


def to_long(frame: pl.DataFrame, layout: Layout) -> pl.DataFrame:
    """One row per value of a slice of `data_slices`: row number, raw unit, indicator, period, value and flag
    text, the value's column."""
    if frame.width > 1:
        cells = [pl.col(c).fill_null("").str.strip_chars() != "" for c in frame.columns if c != "row"]
        frame = frame.filter(pl.any_horizontal(cells))

    def column(role: str) -> pl.Expr:
        return (pl.col(f"c{layout.roles[role]}") if role in layout.roles else pl.lit(None, pl.String)).alias(role)

    keys = [pl.col("row").cast(pl.Int64), column("unit"), column("indicator"), column("flag")]
    if layout.kind == "long":
        value_label = layout.label("value")
        return frame.select(*keys, column("period"), column("value"),
                            pl.lit(value_label, pl.String).alias("value_column")).select(LONG_COLUMNS)
    period_columns = {f"c{index}": period for index, period in layout.periods.items()}
    labels = {f"c{index}": layout.labels[index] for index in layout.periods}
    return (
        frame.select(*keys, *period_columns)
        .unpivot(on=list(period_columns), index=["row", "unit", "indicator", "flag"], variable_name="source",
                 value_name="value")
        .with_columns(pl.col("source").replace_strict(period_columns, return_dtype=pl.String).alias("period"),
                      pl.col("source").replace_strict(labels, return_dtype=pl.String).alias("value_column"))
        .sort("row", maintain_order=True)
        .select(LONG_COLUMNS)
    )


def unnamed_cells(frame: pl.DataFrame, layout: Layout) -> list[Problem]:
    """Every filled cell of a slice of `data_slices` in a column that has no header: its meaning is unknown."""
    problems = []
    for index in layout.unnamed:
        filled = frame.filter(pl.col(f"c{index}").fill_null("").str.strip_chars() != "")
        problems += [Problem(code="unnamed_column", row=int(row), column=layout.labels[index], value=value)
                     for row, value in filled.select("row", f"c{index}").rows()]
    return problems
