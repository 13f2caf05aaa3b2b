"""The reports' pages: the list of reports, each report as HTML and as PDF (made on request for now)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from obserwatorium.reports.annual import UnknownYear, build_annual, report_years
from obserwatorium.reports.monitoring import UnknownMonitoringYear, build_monitoring, monitoring_years
from obserwatorium.reports.render_html import report_context
from obserwatorium.reports.render_pdf import render_pdf


def _language() -> str:
    return (get_language() or "pl")[:2]


def index(request: HttpRequest) -> HttpResponse:
    """Every year with registry data, newest first, with its HTML and PDF report; the same for the monitoring."""
    years = sorted(report_years(), reverse=True)
    return render(request, "reports/index.html", {"years": years,
                                                  "monitoring_years": sorted(monitoring_years(), reverse=True)})


def _annual(year: int):
    try:
        return build_annual(year=year, language=_language())
    except UnknownYear as error:
        raise Http404("no registry data for this year") from error


def annual(request: HttpRequest, year: int) -> HttpResponse:
    """The yearly effects report as a page of the site."""
    report = _annual(year)
    context = report_context(report, pdf_url=reverse("reports:annual-pdf", args=[year]))
    return render(request, "reports/report.html", context)


def annual_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The yearly effects report as an accessible PDF in the page's language."""
    pdf = render_pdf(_annual(year))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"moc-efektow-{year}.pdf" if _language() == "pl" else f"power-of-effects-{year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


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
