"""The browse pages: the index of the tables, one page per table (rows, facets, filters, sort, pages) and the
downloads of its filtered rows in every open format."""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from obserwatorium.browse import exports, presenters, selectors
from obserwatorium.browse.catalogue import TABLES
from obserwatorium.browse.state import PAGE_SIZES, State, read_state
from obserwatorium.browse.tables import Table
from obserwatorium.downloads.formats import FORMATS
from obserwatorium.insights.delivery import dataset_response


def _table(name: str) -> Table:
    if name not in TABLES:
        raise Http404("no such table")
    return TABLES[name]


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    tables = [(table, table.public().count()) for table in TABLES.values()]
    return render(request, "browse/index.html", {"tables": tables})


def download_links(state: State) -> list[dict]:
    """The filtered rows in every format (GeoJSON only for a table of units), and the metadata alone."""
    base = reverse("browse:download", args=[state.table.name, "csv"]).rsplit(".", 1)[0]
    query = replace(state, page=1, expanded=()).query()  # every row, not a page of them
    query = "" if query == "?" else query
    formats = [f for f in FORMATS if f != "geojson" or state.table.mappable] + ["metadata.json"]
    return [{"format": f.upper().replace(".JSON", " (JSON)"), "url": f"{base}.{f}{query}"} for f in formats]


@require_GET
def table(request: HttpRequest, name: str) -> HttpResponse:
    state = read_state(_table(name), request.GET)
    try:
        page = selectors.page_of(state)
    except LookupError:
        raise Http404("no such page") from None
    facets = [presenters.facet_view(state, selectors.facet_counts(state, facet)) for facet in state.table.facets]
    # A facet of one value nobody chose narrows nothing: it is left out (its chips stay).
    facets = [view for view in facets if len(view.links) > 1 or view.clear_url or view.more_url]
    return render(request, "browse/table.html", {
        "table": state.table, "state": state, "page": page, "headers": presenters.headers(state),
        "rows": presenters.rows(state, page), "facets": facets, "chips": presenters.chips(state, facets),
        "pages": presenters.pages(state, page) if page.last_page > 1 else [],
        "last": page.first + len(page.records) - 1, "downloads": download_links(state),
        "sizes": PAGE_SIZES, "has_demo_data": page.demo, "clear_url": "?",
        "kept": [(key, value) for key, value in state.params() if key not in ("q", "page", "size")],
    })


@require_GET
def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """The filtered rows (every one, in the page's order) in one format, with the metadata inside or beside."""
    if fmt not in FORMATS and fmt != "metadata.json":
        raise Http404("no such format")
    state = read_state(_table(name), request.GET)
    page_url = request.build_absolute_uri(reverse("browse:table", args=[name]) + state.query().rstrip("?"))
    try:
        dataset = exports.dataset(state, page_url)
    except exports.TooManyRows as refused:
        return render(request, "browse/too_many.html", {"table": state.table,
                                                         "message": exports.too_many_message(refused.args[0])},
                      status=413)
    return dataset_response(request, dataset, fmt)
