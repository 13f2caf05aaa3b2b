"""Reading a CSV file of action progress (code; progress; optional status) into checked rows and problems."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from obserwatorium.ingest.readers import UnreadableFile, decode

HEADER_ALIASES = {
    "code": "code", "kod": "code", "action": "code", "działanie": "code",
    "progress": "progress", "postęp": "progress", "postep": "progress", "progress (%)": "progress",
    "postęp (%)": "progress", "status": "status",
}
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Problem:
    """One problem of the file: the row (1 is the header) and column it is in, and what is wrong."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ProgressRow:
    line: int
    code: str
    progress: int | None
    status: str | None


@dataclass
class ParsedProgress:
    rows: list[ProgressRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def status_aliases() -> dict[str, str]:
    """Every accepted spelling of an action status (code, Polish and English label), lower-case, to its code."""
    from django.utils import translation

    from obserwatorium.strategy.models import ActionStatus

    aliases = {}
    for code, label in ActionStatus.choices:
        aliases[code] = code
        for language in ("pl", "en"):
            with translation.override(language):
                aliases[str(label).lower()] = code
    return aliases


def _delimiter(text: str) -> str:
    """The delimiter used in the header line (column names never contain one); ';' as spreadsheets in Polish
    write it, ',' or a tab otherwise."""
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count)


def parse_percent(raw: str) -> int | None:
    """A whole percentage 0–100 from '45', '45%', ' 45 ' or '45,0'; None when it is not one."""
    text = raw.strip().removesuffix("%").strip().replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or not 0 <= value <= 100 or value != int(value):
        return None
    return int(value)


def parse_progress_csv(content: bytes, *, statuses: Mapping[str, str]) -> ParsedProgress:
    """Parse the file; every problem is reported with its row and column, the valid rows are returned."""
    result = ParsedProgress()
    try:
        text, _encoding = decode(content)
    except UnreadableFile:
        result.problems.append(Problem(1, "", _("The file is not text in UTF-8 or Windows-1250.")))
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
    except csv.Error as error:
        result.problems.append(Problem(1, "", _("The file is not valid CSV: %(error)s") % {"error": error}))
        return result
    if not header:
        result.problems.append(Problem(1, "", _("The file is empty.")))
        return result
    columns = [HEADER_ALIASES.get(name.strip().lower(), "") for name in header]
    for required in ("code", "progress"):
        if required not in columns:
            result.problems.append(Problem(1, required, _("The header has no column %(column)s.")
                                           % {"column": required}))
    if result.problems:
        return result
    seen: dict[str, int] = {}
    line = 1
    while True:
        line += 1
        try:
            cells = next(reader, None)
        except csv.Error as error:
            result.problems.append(Problem(line, "", _("The file is not valid CSV: %(error)s") % {"error": error}))
            break
        if cells is None:
            break
        if line > MAX_ROWS + 1:
            result.problems.append(Problem(line, "", _("The file has more than %(count)d rows.")
                                           % {"count": MAX_ROWS}))
            break
        if not any(cell.strip() for cell in cells):
            continue
        row = {column: cells[i].strip() if i < len(cells) else "" for i, column in enumerate(columns) if column}
        _parse_row(line, row, statuses, seen, result)
    return result


def _parse_row(line: int, row: dict[str, str], statuses: Mapping[str, str], seen: dict[str, int],
               result: ParsedProgress) -> None:
    problems = []
    code = row.get("code", "")
    if not code:
        problems.append(Problem(line, "code", _("The action code is missing.")))
    elif code in seen:
        problems.append(Problem(line, "code", _("The action %(code)s is already in row %(row)d.")
                                % {"code": code, "row": seen[code]}))
    raw_progress, raw_status = row.get("progress", ""), row.get("status", "")
    progress = parse_percent(raw_progress) if raw_progress else None
    if raw_progress and progress is None:
        problems.append(Problem(line, "progress", _("'%(value)s' is not a whole percentage from 0 to 100.")
                                % {"value": raw_progress}))
    status = statuses.get(raw_status.lower()) if raw_status else None
    if raw_status and status is None:
        problems.append(Problem(line, "status", _("'%(value)s' is not an action status.") % {"value": raw_status}))
    if not raw_progress and not raw_status:
        problems.append(Problem(line, "progress", _("Give the progress, the status or both.")))
    if code and code not in seen:
        seen[code] = line
    if problems:
        result.problems.extend(problems)
    else:
        result.rows.append(ProgressRow(line=line, code=code, progress=progress, status=status))
