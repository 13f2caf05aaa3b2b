"""Every value of a file checked against the territory and the catalogue; each failure named by row and column."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import Flag
from obserwatorium.ingest.cells import (
    number_expression,
    parse_flag,
    parse_period,
    parse_unit_code,
    teryt_from_bdl_id,
    vocabulary,
)
from obserwatorium.ingest.layout import Layout, to_long, unnamed_cells
from obserwatorium.ingest.problems import Problem
from obserwatorium.ingest.selectors import IndicatorRef, Reference

ROWS_PER_SLICE = 50_000
# Grid rows checked at a time: the per-row objects of one such slice live at once, whatever the file's length.
GRID_ROWS_PER_CHECK = 200_000
# Each of unit, indicator and period gets a dense number below 2**KEY_BITS (a territory, a catalogue and the
# periods of the years allowed have far fewer), so one int64 names a row's (unit, indicator, period).
KEY_BITS = 21
KEY_COLUMNS = ("unit_id", "indicator_id", "period")
PART_COLUMNS = ("row", "key", "indicator_id", "unit_id", "period", "number", "flag_code", "value_column", "value")
SHOWN_CHARS = 200
# A lookup result: the id it names (or None) and the problem with its parameters (or None).
Resolution = tuple[int | str | None, str | None, dict]  # (id or period, problem code, its parameters)


@dataclass
class Checked:
    """The checked values of one slice: `frame` holds the rows to write (meaningful only without problems);
    duplicates across slices are found by `FileCheck`."""

    frame: pl.DataFrame
    problems: list[Problem]
    skipped: int


@dataclass
class FileCheck:
    """The checks of a whole file, fed a slice of the grid at a time (`data_slices`): the problems, counts and
    rows are those of checking the file at once. Each slice's rows to write go to an Arrow IPC file in `folder`
    and the slice is freed; only one int64 key per row stays in memory, for the duplicates."""

    layout: Layout
    reference: Reference
    chosen: IndicatorRef | None
    default_flag: str
    folder: Path
    skip_empty: bool = False
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0
    values: int = 0
    parts: list[Path] = field(default_factory=list)
    _codes: dict[str, dict] = field(default_factory=lambda: {column: {} for column in KEY_COLUMNS})
    _keys: list[np.ndarray] = field(default_factory=list)

    def add(self, frame: pl.DataFrame) -> None:
        """Check one slice of grid rows (with their row numbers)."""
        self.problems += unnamed_cells(frame, self.layout)
        checked = check_values(to_long(frame, self.layout), layout=self.layout, reference=self.reference,
                               chosen=self.chosen, default_flag=self.default_flag, skip_empty=self.skip_empty)
        self.problems += checked.problems
        self.skipped += checked.skipped
        self.values += checked.frame.height
        self.register(checked.frame)
        part = checked.frame.with_columns(self._key()).select(PART_COLUMNS)
        self._keys.append(part["key"].drop_nulls().to_numpy())
        path = self.folder / f"checked-{len(self.parts):06d}.arrow"
        part.write_ipc(path, compression="lz4")
        self.parts.append(path)

    def _key(self) -> pl.Expr:
        """The one integer of a row's (unit, indicator, period): null when any of them is unknown."""
        key: pl.Expr | None = None
        for column in KEY_COLUMNS:
            code = pl.col(column).replace_strict(self._codes[column], default=None, return_dtype=pl.Int64)
            key = code if key is None else key * (1 << KEY_BITS) + code
        return key.alias("key") if key is not None else pl.lit(None, pl.Int64).alias("key")

    def finish(self) -> None:
        """After the last slice: every repeated (unit, indicator, period), named at each repetition."""
        # One array, filled as the slices' arrays are let go: never twice the keys at once.
        keys = np.empty(sum(len(part) for part in self._keys), np.int64)
        filled = 0
        while self._keys:
            part = self._keys.pop(0)
            keys[filled:filled + len(part)] = part
            filled += len(part)
        keys.sort()
        repeated = np.unique(keys[1:][keys[1:] == keys[:-1]])
        del keys
        if repeated.size:
            self.problems += self._duplicate_problems(pl.Series("key", repeated))

    def _duplicate_problems(self, repeated: pl.Series) -> list[Problem]:
        complete = pl.concat([pl.read_ipc(part, columns=["row", "key", "value_column", "value"], memory_map=False)
                              .filter(pl.col("key").is_in(repeated.implode())) for part in self.parts])
        return _duplicate_problems(complete, self.layout, keys=["key"])

    def observation_rows(self) -> Iterator[ObservationRow]:
        """The rows for write_observations, in file order, read back a part at a time and converted a slice at
        a time to bound memory."""
        for part in self.parts:
            columns = pl.read_ipc(part, columns=["indicator_id", "unit_id", "period", "number", "flag_code"],
                                  memory_map=False)
            for start in range(0, columns.height, ROWS_PER_SLICE):
                lists = [series.to_list() for series in columns.slice(start, ROWS_PER_SLICE).get_columns()]
                yield from map(ObservationRow, *lists)

    def register(self, frame: pl.DataFrame) -> None:
        """Give every unit, indicator and period of the slice its dense number, for the key."""
        for column in KEY_COLUMNS:
            codes = self._codes[column]
            for value in frame[column].drop_nulls().unique().to_list():
                codes.setdefault(value, len(codes))


def resolve_unit(raw: str, reference: Reference) -> Resolution:
    """The unit a TERYT code or BDL unit id names, and whether the user may change its data."""
    code = parse_unit_code(raw)
    if code is None:
        return None, "unit_missing", {}
    teryt = teryt_from_bdl_id(code.code) if code.kind == "bdl" else code.code
    pk = reference.unit_by_bdl_id.get(code.code) if code.kind == "bdl" else None
    pk = pk if pk is not None else reference.unit_by_teryt.get(teryt)
    if pk is None:
        part = len(teryt) == 7 and teryt.isdigit() and teryt[-1] in "45"
        return None, "unit_part" if part else "unit_unknown", {"code": raw.strip()}
    if reference.editable is not None and pk not in reference.editable:
        return pk, "unit_not_editable", {"unit": reference.unit_label(pk)}
    return pk, None, {}


def _resolve_indicator(raw: str, reference: Reference, chosen: IndicatorRef | None) -> Resolution:
    if not raw.strip():
        return (chosen.id, None, {}) if chosen else (None, "indicator_missing", {})
    found = reference.indicator(raw)
    return (found.id, None, {}) if found else (None, "indicator_unknown", {"code": raw.strip()})


def _resolve_period(raw: str) -> Resolution:
    if not raw.strip():
        return None, "period_missing", {}
    period = parse_period(raw)
    return (period, None, {}) if period else (None, "period_bad", {})


def _lookup(frame: pl.DataFrame, column: str, resolve) -> tuple[pl.DataFrame, dict[str, Resolution]]:
    """Resolve each distinct text of `column` once; add `<column>_id` and `<column>_problem` to the frame."""
    resolved = {raw: resolve(raw) for raw in frame[column].unique().to_list()}
    ids = {raw: result[0] for raw, result in resolved.items()}
    codes = {raw: result[1] for raw, result in resolved.items()}
    dtype = pl.String if column == "period" else pl.Int64
    frame = frame.with_columns(
        pl.col(column).replace_strict(ids, default=None, return_dtype=dtype).alias(f"{column}_id"),
        pl.col(column).replace_strict(codes, default=None, return_dtype=pl.String).alias(f"{column}_problem"),
    )
    return frame, resolved


def _row_problems(frame: pl.DataFrame, column: str, label: str | None, resolved: dict[str, Resolution],
                  once_per_row: bool) -> list[Problem]:
    failing = frame.filter(pl.col(f"{column}_problem").is_not_null()).select("row", column, "value_column")
    if once_per_row:
        failing = failing.unique(subset="row", keep="first", maintain_order=True)
    return [Problem(code=resolved[raw][1] or "", row=row, column=label if label is not None else value_column,
                    value=shown(raw), params={k: shown(v) if isinstance(v, str) else v
                                              for k, v in resolved[raw][2].items()})
            for row, raw, value_column in failing.iter_rows()]


def check_values(long: pl.DataFrame, *, layout: Layout, reference: Reference, chosen: IndicatorRef | None,
                 default_flag: str, skip_empty: bool = False) -> Checked:
    """Check every row of the long frame: its unit, indicator, period and flag always, its value unless it is a
    no-value sign (skipped) or empty (a problem, or skipped when `skip_empty`); a confidential value may be empty.
    """
    wide = layout.kind == "wide"
    frame = long.with_columns(pl.col(c).fill_null("").str.strip_chars() for c in
                              ("unit", "indicator", "period", "value", "flag"))
    flags = {raw: (parse_flag(raw) if raw else default_flag) for raw in frame["flag"].unique().to_list()}
    frame = frame.with_columns(pl.col("flag").replace_strict(flags, default=None, return_dtype=pl.String)
                               .alias("flag_code"))
    empty = pl.col("value") == ""
    blank = empty | pl.col("value").is_in(vocabulary()["no_value_markers"])
    confidential = pl.col("flag_code") == Flag.CONFIDENTIAL
    frame = frame.with_columns(blank.alias("blank"), (~blank | confidential).fill_null(True).alias("kept"),
                               (empty & ~confidential.fill_null(False)).alias("empty"))

    frame, units = _lookup(frame, "unit", lambda raw: resolve_unit(raw, reference))
    frame, indicators = _lookup(frame, "indicator", lambda raw: _resolve_indicator(raw, reference, chosen))
    frame, periods = _lookup(frame, "period", _resolve_period)
    frame = frame.with_columns(number_expression("value").alias("number"))

    problems = _row_problems(frame, "unit", layout.label("unit"), units, wide)
    problems += _row_problems(frame, "indicator", layout.label("indicator"), indicators, wide)
    problems += _row_problems(frame, "period", None if wide else layout.label("period"), periods, False)
    problems += _line_break_problems(frame, layout)
    bad_values = frame.filter(~pl.col("blank") & pl.col("number").is_null())
    problems += [Problem(code="value_bad", row=row, column=column, value=shown(raw))
                 for row, raw, column in bad_values.select("row", "value", "value_column").iter_rows()]
    if not skip_empty:
        problems += [Problem(code="value_missing", row=row, column=column)
                     for row, column in frame.filter(pl.col("empty")).select("row", "value_column").iter_rows()]
    bad_flags = frame.filter(pl.col("flag_code").is_null())
    if wide:
        bad_flags = bad_flags.unique(subset="row", keep="first", maintain_order=True)
    problems += [Problem(code="flag_bad", row=row, column=layout.label("flag"), value=shown(raw))
                 for row, raw in bad_flags.select("row", "flag").iter_rows()]
    skipped = frame.height - int(frame["kept"].sum())
    frame = frame.filter(pl.col("kept"))
    problems += _range_problems(frame, reference)
    valid = frame.rename({"period": "period_text"}).rename({"period_id": "period"})
    return Checked(frame=valid, problems=problems, skipped=skipped)


def shown(raw: str) -> str:
    """A cell as a report quotes it: a huge cell is cut, so that the report stays readable."""
    return raw if len(raw) <= SHOWN_CHARS else raw[:SHOWN_CHARS] + "…"


def _line_break_problems(frame: pl.DataFrame, layout: Layout) -> list[Problem]:
    """A code, period or value cell that holds a line break swallowed the lines below it: a quote opened in it
    is never closed (or closed rows later), so those lines were not read as rows."""
    problems = []
    for role in ("unit", "indicator", "period", "value"):
        broken = frame.filter(pl.col(role).str.contains(r"[\r\n]")).unique(subset="row", keep="first",
                                                                           maintain_order=True)
        problems += [Problem(code="line_break_in_cell", row=row,
                             column=value_column if role == "value" else layout.label(role), value=shown(raw))
                     for row, raw, value_column in broken.select("row", role, "value_column").iter_rows()]
    return problems


def _range_problems(frame: pl.DataFrame, reference: Reference) -> list[Problem]:
    refs = {ref.id: ref for ref in reference.indicators.values()}
    problems = []
    for code, limits in (("value_below", {pk: ref.min_value for pk, ref in refs.items() if ref.min_value is not None}),
                         ("value_above", {pk: ref.max_value for pk, ref in refs.items() if ref.max_value is not None})):
        if not limits:
            continue
        limit = pl.col("indicator_id").replace_strict(limits, default=None, return_dtype=pl.Float64)
        beyond = pl.col("number") < limit if code == "value_below" else pl.col("number") > limit
        failing = frame.filter(beyond.fill_null(False)).select("row", "value", "value_column", "indicator_id")
        problems += [Problem(code=code, row=row, column=column, value=raw,
                             params={"indicator": refs[pk].code, "limit": f"{limits[pk]:g}"})
                     for row, raw, column, pk in failing.iter_rows()]
    return problems


def _duplicate_problems(complete: pl.DataFrame, layout: Layout, *, keys: list[str]) -> list[Problem]:
    """Each repetition of a key among the rows (in file order, none with a null key) after its first row."""
    repeated = complete.filter(~pl.struct(keys).is_first_distinct())
    if repeated.is_empty():
        return []
    first_rows = (complete.join(repeated.select(keys).unique(), on=keys, how="semi")
                  .group_by(keys).agg(pl.col("row").min().alias("first_row")))
    repeated = repeated.join(first_rows, on=keys, how="left", maintain_order="left")
    if layout.kind == "wide":
        return [Problem(code="duplicate", row=row, column=column, value=value, params={"first_row": first})
                for row, column, value, first in repeated.select("row", "value_column", "value", "first_row")
                .iter_rows()]
    label = ", ".join(layout.label(role) for role in ("unit", "indicator", "period") if role in layout.roles)
    return [Problem(code="duplicate", row=row, column=label, params={"first_row": first})
            for row, first in repeated.select("row", "first_row").iter_rows()]
