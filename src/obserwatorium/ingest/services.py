"""Import observations from a CSV or spreadsheet file: read, check every value, then write all or nothing."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError
from django.utils import timezone

from obserwatorium.indicators.bulk import ChangeCounts
from obserwatorium.indicators.models import BatchKind, Flag, ImportBatch, Indicator
from obserwatorium.indicators.services import write_observations
from obserwatorium.ingest.cells import parse_flag
from obserwatorium.ingest.inspection import ReadLimits
from obserwatorium.ingest.layout import data_slices, detect_layout
from obserwatorium.ingest.problems import ERROR, Problem, notice, sort_problems
from obserwatorium.ingest.readers import UnreadableFile
from obserwatorium.ingest.selectors import IndicatorRef, Reference, import_reference
from obserwatorium.ingest.validation import GRID_ROWS_PER_CHECK, FileCheck
from obserwatorium.ingest.worker import read_grid_isolated

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor

T = TypeVar("T")


@dataclass(frozen=True)
class ImportOptions:
    indicator: str = ""  # the indicator of files (or rows) that name none
    flag: str = Flag.FINAL  # the flag of rows without one
    sheet: str = ""  # a workbook's sheet; the first when empty
    source: str = ""  # producer and title of the data, kept with the batch
    url: str = ""  # where the data was retrieved from
    retrieved: str = ""  # the day it was retrieved (ISO date; text, so options travel signed as JSON)
    licence: str = ""  # the data's licence, e.g. CC-BY-4.0
    skip_empty: bool = False  # skip empty value cells instead of reporting them


@dataclass(frozen=True)
class Change:
    """One value the import inserts or changes."""

    teryt: str
    unit: str
    indicator: str
    period: str
    old_value: float | None
    new_value: float | None
    old_flag: str | None
    new_flag: str
    indicator_name: str = ""  # in the language of the request; the code stays beside it

    @property
    def inserted(self) -> bool:
        return self.old_flag is None


@dataclass
class ImportOutcome:
    file_name: str
    checksum: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    info: dict = field(default_factory=dict)
    values: int = 0
    counts: ChangeCounts | None = None
    changes: list[Change] = field(default_factory=list)
    batch: ImportBatch | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


class Progress:
    """Silent progress; the command line shows stages and a bar through a subclass."""

    def stage(self, text: str) -> None:
        """A step begins."""

    def rows(self, rows: Iterable[T], *, total: int) -> Iterable[T]:
        """Wrap the rows being written."""
        return rows


def read_limits() -> ReadLimits:
    """The limits of the OBS_IMPORT_* settings."""
    return ReadLimits(max_cells=settings.OBS_IMPORT_MAX_CELLS,
                      max_inflated_bytes=settings.OBS_IMPORT_MAX_INFLATED_MB << 20,
                      max_ratio=settings.OBS_IMPORT_MAX_RATIO, memory_bytes=settings.OBS_IMPORT_MEMORY_MB << 20,
                      seconds=settings.OBS_IMPORT_SECONDS)


def _chosen_options(options: ImportOptions, reference: Reference) -> tuple[IndicatorRef | None, str | None,
                                                                           list[Problem]]:
    problems = []
    chosen = reference.indicator(options.indicator) if options.indicator.strip() else None
    if options.indicator.strip() and chosen is None:
        problems.append(Problem(code="option_indicator_unknown", column="indicator",
                                params={"code": options.indicator.strip()}))
    flag = parse_flag(options.flag or Flag.FINAL)
    if flag is None:
        problems.append(Problem(code="option_flag_unknown", column="flag", value=options.flag))
    return chosen, flag, problems + provenance_problems(options)


def provenance_problems(options: ImportOptions) -> list[Problem]:
    """The source address must be an http(s) URL and the retrieval day a date that is not in the future."""
    problems = []
    if options.url.strip():
        try:
            URLValidator(schemes=["http", "https"])(options.url.strip())
        except ValidationError:
            problems.append(Problem(code="option_url_bad", column="url", value=options.url))
    if options.retrieved.strip():
        day = parse_retrieved(options.retrieved)
        if day is None:
            problems.append(Problem(code="option_retrieved_bad", column="retrieved", value=options.retrieved))
        elif day > timezone.localdate():
            problems.append(Problem(code="option_retrieved_future", column="retrieved", value=options.retrieved))
    return problems


def parse_retrieved(text: str) -> date | None:
    """An ISO date (2025-06-16), or None."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _retrieved_at(text: str) -> datetime | None:
    day = parse_retrieved(text) if text.strip() else None
    return timezone.make_aware(datetime.combine(day, time(12))) if day else None


def _checksum(content: bytes | None, path: Path | None) -> str:
    if content is not None or path is None:
        return hashlib.sha256(content or b"").hexdigest()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_observations(
    *, content: bytes | None = None, path: Path | None = None, file_name: str, options: ImportOptions | None = None,
    user: Actor | None = None, office: bool = False, dry_run: bool = False, progress: Progress | None = None,
) -> ImportOutcome:
    """Check every value of the file and, when none fails, write them all in one transaction as one batch.

    The file is given as its bytes (`content`) or as a `path` on disk, which a large file is read from in a
    stream. `office` runs with the rights of the association office (the command line); otherwise the user's
    rights apply. With `dry_run` the change is computed and described, and nothing is stored.
    """
    options = options or ImportOptions()
    progress = progress or Progress()
    outcome = ImportOutcome(file_name=file_name, checksum=_checksum(content, path), dry_run=dry_run)
    reference = import_reference(user=user, office=office)
    chosen, flag, outcome.problems = _chosen_options(options, reference)
    if outcome.problems or flag is None:
        return outcome
    # The grid and the checked rows of a large file are kept here, on disk, until the import is done.
    with tempfile.TemporaryDirectory(prefix="obs-import-") as folder:
        _import_file(outcome, content=content, path=path, folder=Path(folder), options=options, flag=flag,
                     chosen=chosen, user=user, reference=reference, progress=progress)
    return outcome


def _import_file(outcome: ImportOutcome, *, content: bytes | None, path: Path | None, folder: Path,
                 options: ImportOptions, flag: str, chosen: IndicatorRef | None, user: Actor | None,
                 reference: Reference, progress: Progress) -> None:
    progress.stage("reading")
    try:
        grid = read_grid_isolated(content, path=path, sheet=options.sheet or None, limits=read_limits(),
                                  folder=folder)
    except UnreadableFile as error:
        outcome.problems = [Problem(code=error.code, row=error.row, params=error.params)]
        return
    layout = detect_layout(grid, indicator_chosen=chosen is not None)
    outcome.info = {**grid.info, **layout.describe()}
    outcome.notices = list(layout.notices)
    if layout.problems:
        outcome.problems = sort_problems(layout.problems)
        return
    progress.stage("checking")
    check = FileCheck(layout=layout, reference=reference, chosen=chosen, default_flag=flag, folder=folder,
                      skip_empty=options.skip_empty)
    for frame in data_slices(grid, layout, GRID_ROWS_PER_CHECK):
        check.add(frame)
    check.finish()
    outcome.problems = sort_problems(check.problems)
    outcome.values = check.values
    if check.skipped:
        outcome.notices.append(notice("cells_skipped", count=check.skipped))
    if not outcome.problems and not outcome.values:
        outcome.problems = [Problem(code="no_data", row=layout.header_row)]
    if outcome.problems:
        return
    progress.stage("writing")
    _write(outcome, rows=check.observation_rows(), options=options, user=user, reference=reference,
           progress=progress)


def _write(outcome: ImportOutcome, *, rows: Iterator, options: ImportOptions, user: Actor | None,
           reference: Reference, progress: Progress) -> None:
    batch = ImportBatch(
        kind=BatchKind.UPLOAD, file_name=outcome.file_name[:255], checksum=outcome.checksum,
        source=(options.source or outcome.file_name)[:500], source_url=options.url.strip()[:500],
        licence=options.licence.strip()[:200], retrieved_at=_retrieved_at(options.retrieved),
        report=[item.as_json() for item in outcome.notices],
        metadata={**outcome.info, "values": outcome.values,
                  "options": {"indicator": options.indicator, "flag": options.flag, "sheet": options.sheet,
                              "skip_empty": options.skip_empty}},
    )
    try:
        written = write_observations(batch=batch, rows=progress.rows(rows, total=outcome.values), user=user,
                                     dry_run=outcome.dry_run)
    except DatabaseError as error:
        outcome.problems = [Problem(code="database_refused", params={"detail": str(error)}, severity=ERROR)]
        return
    outcome.counts, outcome.batch = written.counts, written.batch
    outcome.changes = _describe(written.preview, reference)


def _describe(preview: list[tuple], reference: Reference) -> list[Change]:
    codes = {ref.id: ref.code for ref in reference.indicators.values()}
    names = {indicator.pk: indicator.localized("name")
             for indicator in Indicator.objects.filter(pk__in={row[0] for row in preview})}
    changes = []
    for indicator_id, unit_id, period, old_value, new_value, old_flag, new_flag in preview:
        teryt, name = reference.units.get(unit_id, ("", str(unit_id)))
        changes.append(Change(teryt=teryt, unit=name,
                              indicator=codes.get(indicator_id, str(indicator_id)),
                              indicator_name=names.get(indicator_id, ""), period=period,
                              old_value=old_value, new_value=new_value, old_flag=old_flag, new_flag=new_flag))
    return changes
