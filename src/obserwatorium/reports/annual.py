"""The yearly effects report ("Moc efektów {rok}"): the year's headline figures, then per Strategy domain what
the registries hold for the year and how the domain's headline indicators moved.

A record dated in the year belongs to it. A record its source gives no date belongs to the years its source
speaks of: the years of that source's stated aggregates, documents and events (the 2022 summary's partners are
named in it without dates, and it is the summary of 2022).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Callable

from django.utils import translation
from django.utils.translation import gettext as _

from obserwatorium.cooperation import selectors as cooperation
from obserwatorium.cooperation.dates import stated_date
from obserwatorium.cooperation.models import Source
from obserwatorium.indicators import selectors as indicators
from obserwatorium.reports.document import FootnoteBook, KeyFigure, Paragraph, Report, Section, Table
from obserwatorium.reports.headlines import headline_section_parts
from obserwatorium.reports.phrases import count, ordinal_list, qualified_amount
from obserwatorium.strategy import selectors as strategy

AGGREGATE_NOUNS = {"forums-active": "forum", "forum-meetings": "meeting", "new-partners": "new-partner"}


class UnknownYear(ValueError):
    """No registry holds anything for the year asked for."""


def source_years() -> dict[int, set[int]]:
    """Source id → the years the source speaks of (its stated aggregates, documents and events)."""
    years: dict[int, set[int]] = defaultdict(set)
    pairs = [*cooperation.aggregates().values_list("source_id", "year"),
             *cooperation.public_documents().values_list("source_id", "year"),
             *cooperation.public_association_events().values_list("source_id", "year")]
    for source_id, year in pairs:
        if source_id and year:
            years[source_id].add(year)
    return years


def report_years() -> list[int]:
    """Every year some registry holds a dated record of (the yearly reports that can be made), oldest first."""
    years = {year for spoken in source_years().values() for year in spoken}
    years |= {c.year for c in cooperation.meeting_counts()}
    years |= {year for year, _n in cooperation.new_partner_counts()}
    for project in cooperation.public_projects():
        years |= {d.year for d in (project.start_date, project.end_date) if d}
    return sorted(years)


class _Year:
    """What belongs to one year, with the source notes handed out while the report is built."""

    def __init__(self, year: int, book: FootnoteBook) -> None:
        self.year, self.book = year, book
        self.spoken = source_years()

    def dated_or_spoken(self, dates: list[datetime.date | None], source_id: int | None) -> bool:
        known = [d for d in dates if d is not None]
        if known:
            return any(d.year == self.year for d in known)
        return self.year in self.spoken.get(source_id or 0, set())

    def cite(self, source: Source | None) -> int | None:
        if source is None:
            return None
        published = f" ({source.published_on.isoformat()})" if source.published_on else ""
        text = f"{source.publisher}, {source.title}{published}" if source.publisher else source.title
        return self.book.cite(text, url=source.url)


def _domain_key(item) -> str:
    return item.domain.code if getattr(item, "domain", None) else ""


def _collect(year: _Year) -> dict[str, dict[str, list]]:
    """domain code ("" for none) → kind → the year's records."""
    found: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    meetings = {(c.key, c.year): c.count for c in cooperation.meeting_counts()}
    for forum in cooperation.public_forums():
        itemised = meetings.get((forum.slug, year.year), 0)
        active = [forum.active_from, forum.active_to]
        if itemised or year.dated_or_spoken(active, forum.source_id):
            found[_domain_key(forum)]["forums"].append((forum, itemised))
    for project in cooperation.public_projects():
        if year.dated_or_spoken([project.start_date, project.end_date], project.source_id):
            found[_domain_key(project)]["projects"].append(project)
    for agreement in cooperation.public_agreements():
        if year.dated_or_spoken([agreement.signed_on], agreement.source_id):
            found[_domain_key(agreement)]["agreements"].append(agreement)
    for document in cooperation.public_documents():
        if document.year == year.year and document.kind != "action-plan":
            found[_domain_key(document)]["documents"].append(document)
    for event in cooperation.public_association_events():
        if event.year == year.year:
            found[_domain_key(event)]["events"].append(event)
    for item in strategy.public_strategies():
        for node in strategy.strategy_tree(item).domains:
            for plan in node.plans:
                if year.dated_or_spoken([plan.plan.adopted_on], plan.plan.source_id):
                    found[node.domain.code]["plans"].append(plan)
    return found


def _alphabetical(name: str) -> tuple[str, str]:
    # The same order on every engine, whatever its collation ("Krakowskie" before "Kraków-Nowa Huta").
    folded = unicodedata.normalize("NFKD", name.casefold().replace("ł", "l"))
    return "".join(c for c in folded if not unicodedata.combining(c)), name


def _ended(text: str) -> str:
    """A sentence whose last word ends with a full stop already ("S.A.", "tys.") gets no second one."""
    return text[:-1] if text.endswith("..") else text


def _partners(year: _Year) -> list:
    dated = sorted(cooperation.new_partners(year=year.year), key=lambda p: (p.first_date, _alphabetical(p.name)))
    undated = sorted((p for p in cooperation.partners_with_start()
                      if p.first_date is None and year.dated_or_spoken([], p.source_id)),
                     key=lambda p: _alphabetical(p.name))
    return dated + undated


def _introduction(year: _Year, found: dict, partners: list) -> Section:
    language = translation.get_language() or "pl"
    figures, paragraphs = [], []
    for figure in cooperation.aggregates().filter(year=year.year):
        note = year.cite(figure.source)
        noun = AGGREGATE_NOUNS.get(figure.subject)
        if noun:
            figures.append(KeyFigure(count(figure.value, noun, language=language, qualifier=figure.qualifier),
                                     str(figure.get_subject_display()), note))
        paragraphs.append(Paragraph(figure.statement, (note,) if note else ()))
    total = defaultdict(list)
    for kinds in found.values():
        for kind, items in kinds.items():
            total[kind].extend(items)
    for kind, noun in (("projects", "project"), ("plans", "action-plan"), ("documents", "document"),
                       ("events", "event"), ("agreements", "agreement")):
        if total[kind]:
            cited = sorted({n for n in (year.cite(_source(i)) for i in total[kind]) if n})
            label = _("recorded for %(year)d") % {"year": year.year}
            figures.append(KeyFigure(count(len(total[kind]), noun, language=language), label,
                                     cited[0] if cited else None))
    if partners:
        notes = tuple(sorted({n for n in (year.cite(p.source) for p in partners) if n}))
        names = ordinal_list([p.name for p in partners], language=language)
        paragraphs.append(Paragraph(_ended(_("Partners the registries name for %(year)d: %(names)s.")
                                           % {"year": year.year, "names": names}), notes))
    if not paragraphs and not figures:
        paragraphs.append(Paragraph(_("The registries hold no totals for %(year)d.") % {"year": year.year}))
    return Section(heading=_("The year in figures"), key="introduction", key_figures=tuple(figures),
                   paragraphs=tuple(paragraphs))


def _source(item) -> Source | None:
    return item.plan.source if hasattr(item, "plan") else getattr(item, "source", None)


def _forum_lines(year: _Year, forums: list, language: str) -> list[Paragraph]:
    lines = []
    for forum, itemised in forums:
        note = year.cite(forum.source)
        if itemised:
            text = _("%(forum)s: %(meetings)s registered in %(year)d.") % {
                "forum": forum.name, "meetings": count(itemised, "meeting", language=language), "year": year.year}
        else:
            text = _("%(forum)s was active; the registries hold no itemised meetings of it for %(year)d.") % {
                "forum": forum.name, "year": year.year}
        lines.append(Paragraph(text, (note,) if note else ()))
    return lines


def _project_line(year: _Year, project, language: str) -> Paragraph:
    parts = []
    if project.start_date and project.start_date.year == year.year:
        parts.append(_("started %(date)s") % {"date": stated_date(project.start_date, project.start_precision)})
    if project.end_date and project.end_date.year == year.year:
        parts.append(_("finished %(date)s") % {"date": stated_date(project.end_date, project.end_precision)})
    notes = [year.cite(project.source)]
    for result in project.results.all():
        for value in result.values.all():
            if value.year == year.year and value.unit_id is None:
                figure = qualified_amount(value.value, language=language,
                                          qualifier="about" if value.approximate else "exact")
                parts.append(f"{result.localized('name').lower()}: {figure}")
                notes.append(year.cite(value.source))
    status = "; ".join(parts) if parts else _("named in the year's source, without dates")
    text = _("Project %(project)s: %(status)s.") % {"project": project.name, "status": status}
    return Paragraph(_ended(text), tuple(sorted({n for n in notes if n})))


def _named_list(year: _Year, heading: str, items: list, describe: Callable) -> list[Paragraph]:
    if not items:
        return []
    notes = tuple(sorted({n for n in (year.cite(_source(i)) for i in items) if n}))
    return [Paragraph(_ended(f"{heading}: " + "; ".join(describe(i) for i in items) + "."), notes)]


def _plan_text(node) -> str:
    plan = node.plan
    text = plan.name
    if plan.adopted_on:
        text += " — " + _("adopted %(date)s") % {"date": stated_date(plan.adopted_on, plan.adopted_precision)}
    else:
        text += " — " + str(plan.get_status_display())
    if node.progress is not None:
        text += ", " + _("progress %(percent)d%%") % {"percent": round(node.progress * 100)}
    elif not node.actions:
        text += ", " + _("no actions recorded yet")
    return text


def _record_paragraphs(year: _Year, kinds: dict, language: str) -> list[Paragraph]:
    paragraphs = _forum_lines(year, kinds.get("forums", []), language)
    paragraphs += [_project_line(year, p, language) for p in kinds.get("projects", [])]
    paragraphs += _named_list(year, _("Action plans"), kinds.get("plans", []), _plan_text)
    paragraphs += _named_list(year, _("Agreements"), kinds.get("agreements", []),
                              lambda a: ", ".join(p.name for p in a.parties.all()) or str(a))
    paragraphs += _named_list(year, _("Documents and joint positions"), kinds.get("documents", []),
                              lambda d: f"{d.title} ({d.get_kind_display()})")
    paragraphs += _named_list(year, _("Events"), kinds.get("events", []), lambda e: e.name)
    return paragraphs


def _domain_section(year: _Year, domain, kinds: dict, language: str) -> Section:
    paragraphs = _record_paragraphs(year, kinds, language)
    if not paragraphs:
        paragraphs = [Paragraph(_("The registries hold no cooperation records of this domain for %(year)d.")
                                % {"year": year.year})]
    sentences, charts = headline_section_parts(domain, year=year.year, book=year.book, language=language)
    return Section(heading=domain.name, key=domain.code, paragraphs=tuple(paragraphs) + tuple(sentences),
                   charts=tuple(charts))


def _across(year: _Year, kinds: dict, language: str) -> Section | None:
    paragraphs = _record_paragraphs(year, kinds, language)
    if not paragraphs:
        return None
    return Section(heading=_("Across the domains"), key="across", paragraphs=tuple(paragraphs))


def _table(found: dict, domains: list) -> Table:
    names = {d.code: d.name for d in domains}
    rows = []
    for code in [d.code for d in domains] + [""]:
        kinds = found.get(code, {})
        cells = [str(len(kinds.get(k, []))) for k in ("forums", "projects", "plans", "agreements", "documents",
                                                       "events")]
        if any(c != "0" for c in cells):
            rows.append((names.get(code, _("Across the domains")), *cells))
    return Table(caption=_("Records of the year by domain"),
                 columns=(_("Domain"), _("Forums"), _("Projects"), _("Action plans"), _("Agreements"),
                          _("Documents"), _("Events")), rows=tuple(rows))


def build_annual(*, year: int, language: str, today: datetime.date | None = None) -> Report:
    """The yearly effects report of `year` in `language` ("pl" or "en"); UnknownYear when nothing is held."""
    if year not in report_years():
        raise UnknownYear(year)
    with translation.override(language):
        book = FootnoteBook()
        state = _Year(year, book)
        found = _collect(state)
        partners = _partners(state)
        domains = list(indicators.strategy_domains())
        intro = _introduction(state, found, partners)
        intro = Section(heading=intro.heading, key=intro.key, key_figures=intro.key_figures,
                        paragraphs=intro.paragraphs, tables=(_table(found, domains),))
        sections = [intro, *(_domain_section(state, d, found.get(d.code, {}), language) for d in domains)]
        across = _across(state, found.get("", {}), language)
        if across:
            sections.append(across)
        return Report(
            kind="annual", language=language, title=_("The power of effects %(year)d") % {"year": year},
            subtitle=_("A summary of the association's cooperation in %(year)d, from the observatory's registries")
            % {"year": year},
            date=(today or datetime.date.today()).isoformat(),
            notice=_("Demonstration data, not official statistics.") if book.demo else "",
            sections=tuple(sections), footnotes=tuple(book.notes))
