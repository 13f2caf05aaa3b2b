"""Pages of the documents registry: the public list with its filters, a document's page with every version of its
file, and the form (description and the upload of a next version) of the office and the domain's coordinator."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from obserwatorium.access import rules
from obserwatorium.cooperation import selectors
from obserwatorium.cooperation.document_forms import DOCUMENT_FIELDS, DocumentFilterForm, DocumentForm
from obserwatorium.cooperation.document_services import save_document
from obserwatorium.cooperation.models import Document

FORM = "cooperation/document_form.html"


def documents(request: HttpRequest) -> HttpResponse:
    """The published documents, filtered by kind, status, domain, gmina, year and title (a wrong filter: all)."""
    form = DocumentFilterForm(request.GET or None, years=selectors.document_years())
    filters = selectors.DocumentFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.DocumentFilters(kind=data["kind"], status=data["status"], domain=data["domain"],
                                            unit=data["unit"], year=data["year"], search=data["search"].strip())
    return render(request, "cooperation/documents.html", {
        "form": form, "documents": selectors.public_documents(filters), "filtered": any(vars(filters).values()),
        "can_add": rules.may_create_any(request.user, Document)})


def document(request: HttpRequest, slug: str) -> HttpResponse:
    """A document with its versions; a draft (unpublished) one only for those who may write it."""
    record = selectors.public_documents().filter(slug=slug).first()
    can_edit = False
    if record is None:
        record = get_object_or_404(Document.objects.current().prefetch_related("versions"), slug=slug)
        if not rules.may_write(request.user, record):
            raise Http404(slug)
        can_edit = True
    else:
        can_edit = rules.may_write(request.user, record)
    versions = list(record.versions.all())
    return render(request, "cooperation/document.html", {
        "document": record, "versions": versions, "current": versions[0] if versions else None,
        "can_edit": can_edit})


def _form_page(request: HttpRequest, form: DocumentForm, title: str, document: Document | None) -> HttpResponse:
    return render(request, FORM, {"form": form, "title": title, "document": document},
                  status=400 if form.errors else 200)


def _save(request: HttpRequest, form: DocumentForm) -> Document:
    values = {name: form.cleaned_data[name] for name in DOCUMENT_FIELDS}
    for name in ("units", "forums", "projects", "action_plans"):
        values[name] = [item.pk for item in values[name]]
    return save_document(document=form.instance, values=values, file=form.cleaned_data.get("file"),
                         note=form.cleaned_data.get("note", ""), user=request.user)


@login_required
def document_add(request: HttpRequest) -> HttpResponse:
    if not rules.may_create_any(request.user, Document):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None, instance=Document(), user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form)
        messages.success(request, _("The document was saved."))
        return redirect("cooperation:document", slug=saved.slug)
    return _form_page(request, form, _("New document"), None)


@login_required
def document_edit(request: HttpRequest, slug: str) -> HttpResponse:
    record = get_object_or_404(Document.objects.current(), slug=slug)
    rules.require_write(request.user, record)
    form = DocumentForm(request.POST or None, request.FILES or None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        # The form wrote its values onto the instance; the service takes them from a fresh copy, so that the
        # rule compares the stored record with the changed one.
        form.instance = Document.objects.get(pk=record.pk)
        saved = _save(request, form)
        messages.success(request, _("The document was saved."))
        return redirect("cooperation:document", slug=saved.slug)
    return _form_page(request, form, _("Document: %(title)s") % {"title": record.title}, record)
