"""The document model every report produces (pure: no Django), rendered to HTML and PDF and stored as JSON.

A report is sections of paragraphs, key figures, charts and tables; every figure points by number to a
footnote naming its source. The model is frozen and round-trips through JSON, so an edition can keep the exact
document it published.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Footnote:
    """A numbered source note: what states the figure, where, when it was retrieved and its data flag."""

    number: int
    text: str
    url: str = ""
    retrieved: str = ""  # ISO date, when known
    flag: str = ""  # "demo" when the figure is demonstration data


@dataclass(frozen=True)
class Paragraph:
    """A generated or editorial paragraph; `footnotes` are the numbers its figures cite, shown after it.

    `editorial` marks text the office wrote (a draft's editorial paragraph), not generated from the data."""

    text: str
    footnotes: tuple[int, ...] = ()
    editorial: bool = False


@dataclass(frozen=True)
class KeyFigure:
    """A headline number ("ponad 80", "2,5 tys.") with what it counts and the source it comes from."""

    value: str
    label: str
    footnote: int | None = None


@dataclass(frozen=True)
class Chart:
    """A Vega-Lite spec (from the site's spec builders) with its required text alternative."""

    title: str
    alt: str
    spec: dict[str, Any]
    footnote: int | None = None

    def __post_init__(self) -> None:
        if not self.alt.strip():
            raise ValueError(f"chart {self.title!r} needs a text alternative")


@dataclass(frozen=True)
class Table:
    """A table with a caption; the first column holds the row headers."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    footnotes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[Paragraph, ...] = ()
    key_figures: tuple[KeyFigure, ...] = ()
    charts: tuple[Chart, ...] = ()
    tables: tuple[Table, ...] = ()
    subsections: tuple[Section, ...] = ()
    key: str = ""  # a stable identifier (e.g. the domain code) for editorial text and anchors


@dataclass(frozen=True)
class Report:
    """One report in one language."""

    title: str
    language: str
    subtitle: str = ""
    date: str = ""  # ISO date the figures were read
    notice: str = ""  # the demonstration-data notice; "" when no figure shown is demo data
    sections: tuple[Section, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    kind: str = ""  # "annual", later "card", "annex", "monitoring"

    def to_json(self) -> str:
        """The report as JSON text (stable key order), the form an edition stores."""
        return json.dumps({"format": FORMAT_VERSION, **_without_defaults(asdict(self))}, ensure_ascii=False,
                          indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Report:
        """The report stored by `to_json`."""
        data = json.loads(text)
        if data.pop("format", None) != FORMAT_VERSION:
            raise ValueError("not a report document of a known format")
        return _report(data)

    def footnote(self, number: int) -> Footnote:
        """The footnote with this number."""
        return next(note for note in self.footnotes if note.number == number)

    def walk(self) -> list[Section]:
        """Every section and subsection in reading order."""
        found: list[Section] = []

        def visit(sections: tuple[Section, ...]) -> None:
            for section in sections:
                found.append(section)
                visit(section.subsections)

        visit(self.sections)
        return found


def _without_defaults(data: dict[str, Any]) -> dict[str, Any]:
    """The document without `editorial: false` on generated paragraphs: a report without editorial text keeps the
    JSON it had before paragraphs could be editorial (format 1 still), so stored documents stay comparable."""
    for section in data["sections"]:
        _drop_generated_marks(section)
    return data


def _drop_generated_marks(section: dict[str, Any]) -> None:
    for paragraph in section["paragraphs"]:
        if not paragraph.get("editorial"):
            paragraph.pop("editorial", None)
    for child in section["subsections"]:
        _drop_generated_marks(child)


def _section(data: dict[str, Any]) -> Section:
    return Section(
        heading=data["heading"], key=data.get("key", ""),
        paragraphs=tuple(Paragraph(p["text"], tuple(p["footnotes"]), bool(p.get("editorial", False)))
                         for p in data["paragraphs"]),
        key_figures=tuple(KeyFigure(**k) for k in data["key_figures"]),
        charts=tuple(Chart(**c) for c in data["charts"]),
        tables=tuple(Table(t["caption"], tuple(t["columns"]), tuple(tuple(r) for r in t["rows"]),
                           tuple(t["footnotes"])) for t in data["tables"]),
        subsections=tuple(_section(s) for s in data["subsections"]),
    )


def _report(data: dict[str, Any]) -> Report:
    return Report(
        title=data["title"], language=data["language"], subtitle=data["subtitle"], date=data["date"],
        notice=data["notice"], kind=data.get("kind", ""),
        sections=tuple(_section(s) for s in data["sections"]),
        footnotes=tuple(Footnote(**f) for f in data["footnotes"]),
    )


@dataclass
class FootnoteBook:
    """Hands out footnote numbers while a report is built; one number per distinct note."""

    notes: list[Footnote] = field(default_factory=list)

    def cite(self, text: str, *, url: str = "", retrieved: str = "", flag: str = "") -> int:
        """The number of this note, adding it when it is new."""
        for note in self.notes:
            if (note.text, note.url, note.retrieved, note.flag) == (text, url, retrieved, flag):
                return note.number
        number = len(self.notes) + 1
        self.notes.append(Footnote(number, text, url, retrieved, flag))
        return number

    def flag(self, number: int) -> str:
        """The data flag of the note with this number ("" when it has none)."""
        return self.notes[number - 1].flag

    @property
    def demo(self) -> bool:
        """Whether any cited figure is demonstration data."""
        return any(note.flag == "demo" for note in self.notes)
