"""Editorial text joins a generated report: each section's editorial paragraphs go at the top of it, marked
`editorial` in the document (pure: no Django)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from obserwatorium.reports.document import Paragraph, Report, Section

_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs_of(text: str) -> tuple[Paragraph, ...]:
    """The editorial paragraphs of a text: parted by blank lines, each paragraph's lines joined by spaces."""
    parts = (" ".join(line.strip() for line in part.splitlines() if line.strip())
             for part in _BLANK_LINE.split(text.replace("\r\n", "\n").replace("\r", "\n")))
    return tuple(Paragraph(part, editorial=True) for part in parts if part)


def _joined(section: Section, texts: Mapping[str, str]) -> Section:
    editorial = paragraphs_of(texts.get(section.key, "")) if section.key else ()
    children = tuple(_joined(child, texts) for child in section.subsections)
    if not editorial and children == section.subsections:
        return section
    return replace(section, paragraphs=editorial + section.paragraphs, subsections=children)


def with_editorial(report: Report, texts: Mapping[str, str]) -> Report:
    """The report with the editorial text of each section key (section key → text) at the top of its section."""
    return replace(report, sections=tuple(_joined(section, texts) for section in report.sections))


def section_keys(report: Report) -> list[str]:
    """The keys of the sections that can carry editorial text, in reading order."""
    return [section.key for section in report.walk() if section.key]
