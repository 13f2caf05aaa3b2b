"""The pages of drafts and editions: a draft with its editorial forms beside the generated sections, publishing,
and an edition's permalinks (HTML and PDF, in the site's language or a chosen one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from obserwatorium.access import rules
from obserwatorium.indicators.models import Domain
from obserwatorium.reports import kinds, selectors, services
from obserwatorium.reports.document import Report
from obserwatorium.reports.forms import EditorialForm
from obserwatorium.reports.models import Edition, Editorial
from obserwatorium.reports.render_html import report_context


def _language() -> str:
    return (get_language() or "pl")[:2]


def _generated(kind: str, year: int, subject: str, language: str) -> Report:
    try:
        return kinds.build(kind_name=kind, year=year, subject=subject, language=language)
    except kinds.UnknownReport as error:
        raise Http404("no such report") from error


def _address(kind: str, year: int, subject: str, **more) -> dict:
    return {"kind": kind, "year": year, **({"subject": subject} if subject else {}), **more}


def may_edit_drafts(user) -> bool:
    """Whether the user may write some editorial text (office staff, domain coordinators)."""
    return user.is_authenticated and rules.may_create_any(user, Editorial)


def _draft_page(request: HttpRequest, kind: str, year: int, subject: str,
                bound: tuple[str, EditorialForm] | None = None) -> HttpResponse:
    report = _generated(kind, year, subject, _language())
    saved = selectors.editorials(kind=kind, year=year, subject=subject)
    shown = report_context(report)
    parts = []
    for section in shown["sections"]:
        stored = saved.get(section.key)
        probe = stored or Editorial(section_key=section.key, domain=_domain(section.key))
        if bound is not None and bound[0] == section.key:
            form = bound[1]
        else:
            form = EditorialForm(prefix=section.key, initial={"text_pl": stored.text_pl if stored else "",
                                                              "text_en": stored.text_en if stored else ""})
        parts.append({"shown": section, "form": form, "stored": stored,
                      "can_edit": rules.may_write(request.user, probe),
                      "action": reverse("reports:draft-section", kwargs=_address(kind, year, subject,
                                                                                 section_key=section.key))})
    editions = list(selectors.editions_of(kind=kind, year=year, subject=subject))
    return render(request, "reports/draft.html", {
        **shown, "parts": parts, "kind": kind, "year": year, "subject": subject,
        "editions": [(e, edition_url(e)) for e in editions],
        "next_number": (editions[0].number + 1) if editions else 1,
        "may_publish": rules.may_create_any(request.user, Edition),
        "publish_url": reverse("reports:publish", kwargs=_address(kind, year, subject)),
    }, status=400 if bound is not None else 200)


def _domain(key: str) -> Domain | None:
    return Domain.objects.filter(code=key).first()


@login_required
def draft(request: HttpRequest, kind: str, year: int, subject: str = "") -> HttpResponse:
    """The draft: each section's generated figures and sentences with its editorial paragraph beside them."""
    if not may_edit_drafts(request.user):
        raise PermissionDenied(_("You may not edit report drafts."))
    return _draft_page(request, kind, year, subject)


@login_required
@require_POST
def draft_section(request: HttpRequest, kind: str, year: int, section_key: str, subject: str = "") -> HttpResponse:
    """Save one section's editorial paragraph (both languages)."""
    if not may_edit_drafts(request.user):
        raise PermissionDenied(_("You may not edit report drafts."))
    keys = {s.key for s in _generated(kind, year, subject, _language()).walk() if s.key}
    if section_key not in keys:
        raise Http404("no such section")
    form = EditorialForm(request.POST, prefix=section_key)
    if not form.is_valid():
        return _draft_page(request, kind, year, subject, bound=(section_key, form))
    try:
        services.save_editorial(kind=kind, year=year, subject=subject, section_key=section_key,
                                text_pl=form.cleaned_data["text_pl"], text_en=form.cleaned_data["text_en"],
                                user=request.user, via="page")
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _draft_page(request, kind, year, subject, bound=(section_key, form))
    messages.success(request, _("The editorial text was saved."))
    return redirect(reverse("reports:draft", kwargs=_address(kind, year, subject)) + f"#draft-{section_key}")


@login_required
@require_POST
def publish(request: HttpRequest, kind: str, year: int, subject: str = "") -> HttpResponse:
    """Publish the draft as the next edition (office staff)."""
    rules.require_create(request.user, Edition)
    _generated(kind, year, subject, _language())  # 404 before any work for a report that cannot be made
    try:
        edition = services.publish_edition(kind=kind, year=year, subject=subject, user=request.user, via="page")
    except services.DataChanged as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("reports:draft", kwargs=_address(kind, year, subject)))
    messages.success(request, _("Edition %(number)d was published.") % {"number": edition.number})
    return redirect(edition_url(edition))


def edition_url(edition: Edition, *, language: str = "", pdf: bool = False) -> str:
    """The permalink of an edition (in the site's language, or in `language`), as a page or PDF."""
    name = "reports:edition" + ("-language" if language else "") + ("-pdf" if pdf else "")
    extra = {"language": language} if language else {}
    return reverse(name, kwargs=_address(edition.kind, edition.year, edition.subject, number=edition.number,
                                         **extra))


def _edition(kind: str, year: int, subject: str, number: int, language: str):
    edition = selectors.edition(kind=kind, year=year, subject=subject, number=number)
    return edition, selectors.edition_document(edition=edition, language=language)


def edition(request: HttpRequest, kind: str, year: int, number: int, subject: str = "",
            language: str = "") -> HttpResponse:
    """An edition as a page: its frozen document, with who published it when and what superseded it."""
    found, document = _edition(kind, year, subject, number, language or _language())
    report = Report.from_json(document.report_json)
    context = report_context(report, pdf_url=edition_url(found, language=language, pdf=True), edition=found,
                             successor=found.successor, successor_url=found.successor and edition_url(found.successor),
                             supersedes_url=found.supersedes and edition_url(found.supersedes))
    return render(request, "reports/report.html", context)


def edition_pdf(request: HttpRequest, kind: str, year: int, number: int, subject: str = "",
                language: str = "") -> HttpResponse:
    """An edition's PDF as typeset when it was published."""
    language = language or _language()
    found, document = _edition(kind, year, subject, number, language)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    stem = kinds.kind(kind).file_stem(language) if kind in kinds.KINDS else kind
    name = "-".join(part for part in (stem, str(year), subject, f"wydanie-{number}" if language == "pl"
                                      else f"edition-{number}", language) if part)
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
