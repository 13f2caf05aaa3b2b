"""The validation report: every problem with its row (as numbered in the file, header = 1) and column."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from obserwatorium.downloads.csvfile import RFC4180, stream_csv

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

ERROR, NOTICE = "error", "notice"

MESSAGES = {
    "file_empty": _("The file is empty."),
    "file_unreadable": _("The file could not be read as CSV, XLSX, XLS or ODS (%(detail)s)."),
    "encoding_broken": _("The file starts with a %(encoding)s byte-order mark but is not valid %(encoding)s text."),
    "encoding_unknown": _("The file is neither UTF-8 nor Windows-1250 text; save it as CSV (UTF-8)."),
    "sheet_missing": _("The workbook has no sheet named “%(sheet)s”; its sheets are: %(available)s."),
    "no_data": _("The file holds no data rows below its header."),
    "column_missing": _("No column for the %(role)s; name it one of: %(expected)s."),
    "indicator_needed": _("The file names no indicator: choose the indicator its values belong to."),
    "option_indicator_unknown": _("No indicator in the catalogue has the code “%(code)s”."),
    "option_flag_unknown": _("“%(value)s” is not a flag: use final, provisional, estimated or confidential."),
    "option_url_bad": _("“%(value)s” is not a web address: write it as https://…"),
    "option_retrieved_bad": _("“%(value)s” is not a date: write the day of retrieval as YYYY-MM-DD."),
    "option_retrieved_future": _("The day of retrieval %(value)s is in the future."),
    "period_column_twice": _("This column and column “%(other)s” both hold period %(period)s; "
                             "keep one series per file."),
    "unnamed_column": _("This cell is in a column without a header."),
    "unit_missing": _("The unit code is empty."),
    "unit_unknown": _("No territorial unit has the code “%(code)s”."),
    "unit_part": _("“%(code)s” is the town or rural part of an urban-rural gmina (TERYT type 4 or 5), "
                   "which the observatory does not keep; remove the row."),
    "unit_not_editable": _("You may not change the data of %(unit)s."),
    "indicator_missing": _("The indicator code is empty."),
    "indicator_unknown": _("No indicator in the catalogue has the code “%(code)s”."),
    "period_missing": _("The period is empty."),
    "period_bad": _("“%(value)s” is not a period: write a year (2020), a quarter (2020-Q1) or a month (2020-03)."),
    "value_missing": _("The value is empty: fill it in, write a no-value sign (-), or choose to skip empty cells "
                       "(only a confidential value may be stored empty)."),
    "line_break_in_cell": _("This cell runs over several lines: a quote (\") opened in it is not closed where it "
                            "should be, so the lines below were read into it."),
    "cell_too_long": _("A cell of this row is longer than %(limit)s characters."),
    "value_bad": _("“%(value)s” is not a number."),
    "value_below": _("%(value)s is below the lowest value allowed for %(indicator)s (%(limit)s)."),
    "value_above": _("%(value)s is above the highest value allowed for %(indicator)s (%(limit)s)."),
    "flag_bad": _("“%(value)s” is not a flag: use final, provisional, estimated or confidential."),
    "duplicate": _("The same unit, indicator and period as row %(first_row)s."),
    "database_refused": _("The database refused the load, nothing was saved: %(detail)s"),
    "columns_ignored": _("Columns not used: %(columns)s."),
    "sheet_too_large": _("Sheet “%(sheet)s” spans %(cells)s cells (from A1 to %(corner)s), more than the %(limit)s "
                         "cells an import may hold; remove the stray cells far from the table or split the file."),
    "zip_members": _("The workbook holds %(count)s parts, more than the %(limit)s a workbook may hold."),
    "inflated_too_large": _("The workbook inflates to %(size)s MB, more than the %(limit)s MB an import may unpack."),
    "compression_ratio": _("Part %(member)s of the workbook is compressed %(ratio)s times, more than the %(limit)s "
                           "times a workbook may be: it looks like a zip bomb."),
    "memory_limit": _("Reading the file needed more than the %(limit)s MB of memory an import may use; "
                      "split the file or save it as CSV."),
    "time_limit": _("Reading the file took longer than the %(limit)s seconds an import may take; split the file or "
                    "save it as CSV."),
    "memory_limit_text": _("Reading the file needed more than the %(limit)s MB of memory an import may use; "
                           "split it into smaller files, for example one per indicator."),
    "time_limit_text": _("Reading the file took longer than the %(limit)s seconds an import may take; split it "
                         "into smaller files, for example one per indicator."),
}



def _plural_message(code: str, count: int) -> str:
    if code == "cells_skipped":
        return ngettext("%(count)s empty cell or no-value sign (-, ., x) was skipped.",
                        "%(count)s empty cells or no-value signs (-, ., x) were skipped.", count)
    raise KeyError(code)


PLURAL_CODES = {"cells_skipped"}

ROLE_NAMES = {
    "unit": _("territorial unit (TERYT code or BDL unit id)"),
    "indicator": _("indicator code"),
    "period": _("period"),
    "value": _("value"),
    "flag": _("flag"),
}


@dataclass(frozen=True)
class Problem:
    code: str
    row: int | None = None
    column: str = ""
    value: str = ""
    params: dict = field(default_factory=dict)
    severity: str = ERROR

    @property
    def message(self) -> str:
        """The message in the active language."""
        params = {"value": self.value, **self.params}
        if "role" in params:
            params["role"] = ROLE_NAMES.get(params["role"], params["role"])
        if self.code in PLURAL_CODES:
            return _plural_message(self.code, int(params["count"])) % params
        return str(MESSAGES.get(self.code, self.code)) % params

    def as_json(self) -> dict:
        return {"code": self.code, "row": self.row, "column": self.column, "value": self.value,
                "params": self.params, "severity": self.severity}

    @classmethod
    def from_json(cls, data: dict) -> Problem:
        return cls(code=data["code"], row=data.get("row"), column=data.get("column", ""),
                   value=data.get("value", ""), params=data.get("params", {}),
                   severity=data.get("severity", ERROR))


def notice(code: str, **params) -> Problem:
    """A remark that does not stop the import."""
    return Problem(code=code, params=params, severity=NOTICE)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """File-level problems first, then by row; a row's problems keep the order of the checks."""
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))


def summarize(problems: Iterable[Problem]) -> list[tuple[Problem, int]]:
    """Problems grouped by kind and column, most frequent first: the first of each group and the group size."""
    counter: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], Problem] = {}
    for problem in problems:
        key = (problem.code, problem.column)
        counter[key] += 1
        first.setdefault(key, problem)
    return [(first[key], count) for key, count in counter.most_common()]


REPORT_HEADER = ("severity", "row", "column", "value", "code", "message")


def write_report(problems: Iterable[Problem], handle: SupportsWrite[str], *, bom: bool = False) -> None:
    """Every problem and note as CSV: severity, row, column, cell, code, message (in the active language)."""
    # Cell values come from the uploaded file: the writer neutralises them, so none runs as a formula where the
    # report is opened. A byte-order mark lets a spreadsheet read the download as UTF-8.
    rows = ([p.severity, p.row, p.column, p.value, p.code, p.message] for p in problems)
    for chunk in stream_csv(header=REPORT_HEADER, rows=rows, dialect=RFC4180, bom=bom):
        handle.write(chunk)
