"""The reports' pages: every edition and (for those who edit them) every draft; the live preview of a yearly
report as HTML and PDF, made from today's data on request (not an edition)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from obserwatorium.reports import kinds, selectors
from obserwatorium.reports.annex import NotAMember, build_annex
from obserwatorium.reports.annual import UnknownYear, build_annual, report_years
from obserwatorium.reports.card import build_card
from obserwatorium.reports.document import Report
from obserwatorium.reports.edition_pages import edition_url, may_edit_drafts
from obserwatorium.reports.gmina import NoDataForYear, UnknownGmina
from obserwatorium.reports.models import LANGUAGES
from obserwatorium.reports.monitoring import UnknownMonitoringYear, build_monitoring, monitoring_years
from obserwatorium.reports.render_docx import DOCX_TYPE, render_docx
from obserwatorium.reports.render_html import report_context
from obserwatorium.reports.render_pdf import render_pdf


def _language() -> str:
    return (get_language() or "pl")[:2]


def _editions(language: str) -> list[dict]:
    rows = []
    for edition in selectors.all_editions():
        titles = {d.language: d.title for d in edition.documents.all()}
        rows.append({"edition": edition, "title": titles.get(language) or next(iter(titles.values()), ""),
                     "successor": edition.successor, "url": edition_url(edition),
                     "downloads": [(code, edition_url(edition, language=code),
                                    edition_url(edition, language=code, pdf=True)) for code in LANGUAGES
                                   if code in titles]})
    return rows


def _drafts() -> list[dict]:
    """Every report that can be drafted now (the kinds made per year), and every stored draft."""
    stored = {(d.kind, d.year, d.subject): d for d in selectors.all_drafts()}
    keys = {(k.name, year, "") for k in kinds.KINDS.values() if not k.subject and k.years for year in k.years()}
    rows = []
    for kind, year, subject in sorted(keys | set(stored), key=lambda key: (key[0], -key[1], key[2])):
        address = {"kind": kind, "year": year, **({"subject": subject} if subject else {})}
        label = kinds.KINDS[kind].label() if kind in kinds.KINDS else kind
        rows.append({"label": label, "year": year, "subject": subject, "stored": stored.get((kind, year, subject)),
                     "url": reverse("reports:draft", kwargs=address)})
    return rows


def index(request: HttpRequest) -> HttpResponse:
    """Every edition, newest first, with its downloads; the drafts for those who edit them; the live previews of
    the yearly and the monitoring reports."""
    years = sorted(report_years(), reverse=True)
    return render(request, "reports/index.html", {
        "years": years, "editions": _editions(_language()),
        "monitoring_years": sorted(monitoring_years(), reverse=True),
        "drafts": _drafts() if may_edit_drafts(request.user) else None})


def _annual(year: int):
    try:
        return build_annual(year=year, language=_language())
    except UnknownYear as error:
        raise Http404("no registry data for this year") from error


def annual(request: HttpRequest, year: int) -> HttpResponse:
    """The yearly effects report made from today's data: a live preview, not an edition."""
    report = _annual(year)
    latest = selectors.editions_of(kind="annual", year=year).first()
    context = report_context(report, pdf_url=reverse("reports:annual-pdf", args=[year]), live_preview=True,
                             latest=latest, latest_url=latest and edition_url(latest),
                             draft_url=reverse("reports:draft", kwargs={"kind": "annual", "year": year})
                             if may_edit_drafts(request.user) else "",
                             docx_url=reverse("reports:annual-docx", args=[year]))
    return render(request, "reports/report.html", context)


def annual_docx(request: HttpRequest, year: int) -> HttpResponse:
    """The yearly effects report as a DOCX document for the editors, in the page's language."""
    response = HttpResponse(render_docx(_annual(year)), content_type=DOCX_TYPE)
    name = f"moc-efektow-{year}.docx" if _language() == "pl" else f"power-of-effects-{year}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The yearly effects report as an accessible PDF in the page's language (live preview)."""
    pdf = render_pdf(_annual(year))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"moc-efektow-{year}.pdf" if _language() == "pl" else f"power-of-effects-{year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _year_param(request: HttpRequest) -> int | None:
    text = request.GET.get("year", "")
    if not text:
        return None
    if not text.isdigit():
        raise Http404("not a year")
    return int(text)


def _card(request: HttpRequest, teryt: str) -> Report:
    try:
        return build_card(teryt=teryt, year=_year_param(request), language=_language())
    except (UnknownGmina, NoDataForYear) as error:
        raise Http404("no gmina with this code, or no data for the year") from error


def _annex(teryt: str, year: int) -> Report:
    try:
        return build_annex(teryt=teryt, year=year, language=_language())
    except (UnknownGmina, NoDataForYear, NotAMember) as error:
        raise Http404("the annex is made for a member gmina and a year with data") from error


def _pdf(report: Report, name: str) -> HttpResponse:
    response = HttpResponse(render_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def card(request: HttpRequest, teryt: str) -> HttpResponse:
    """A gmina's card (its latest year, or ?year=) as a page of the site."""
    report = _card(request, teryt)
    pdf_url = reverse("reports:card-pdf", args=[teryt]) + (f"?year={request.GET['year']}"
                                                           if request.GET.get("year") else "")
    return render(request, "reports/report.html", report_context(report, pdf_url=pdf_url))


def card_pdf(request: HttpRequest, teryt: str) -> HttpResponse:
    """A gmina's card as an accessible PDF in the page's language."""
    report = _card(request, teryt)
    return _pdf(report, f"{'karta' if _language() == 'pl' else 'card'}-{teryt}-{report.title[-4:]}.pdf")


def annex(request: HttpRequest, teryt: str, year: int) -> HttpResponse:
    """A member gmina's data annex to its report on the state of the gmina, as a page of the site."""
    report = _annex(teryt, year)
    return render(request, "reports/report.html",
                  report_context(report, pdf_url=reverse("reports:annex-pdf", args=[teryt, year])))


def annex_pdf(request: HttpRequest, teryt: str, year: int) -> HttpResponse:
    """The data annex as an accessible PDF in the page's language."""
    name = f"{'zalacznik-danych' if _language() == 'pl' else 'data-annex'}-{teryt}-{year}.pdf"
    return _pdf(_annex(teryt, year), name)
def _monitoring(year: int):
    try:
        return build_monitoring(year=year, language=_language())
    except UnknownMonitoringYear as error:
        raise Http404("no strategy targets, plans or actions for this year") from error


def monitoring(request: HttpRequest, year: int) -> HttpResponse:
    """The Strategy 2030 monitoring report as a page of the site."""
    report = _monitoring(year)
    context = report_context(report, pdf_url=reverse("reports:monitoring-pdf", args=[year]))
    return render(request, "reports/report.html", context)


def monitoring_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The Strategy 2030 monitoring report as an accessible PDF in the page's language."""
    pdf = render_pdf(_monitoring(year))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"monitoring-strategii-{year}.pdf" if _language() == "pl" else f"strategy-monitoring-{year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
