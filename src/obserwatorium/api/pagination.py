"""Page-number pagination of the API's long lists: the page fields every `PageOut` answer starts with."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest

from obserwatorium.api.params import Paging


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def page_fields(request: HttpRequest, *, paging: Paging, count: int) -> dict[str, Any]:
    """Count, page, page size, number of pages and the addresses of the next and previous pages."""
    pages = math.ceil(count / paging.page_size)
    previous = min(paging.page - 1, pages) if paging.page > 1 and pages else None
    return {
        "count": count, "page": paging.page, "page_size": paging.page_size, "pages": pages,
        "next": _page_url(request, paging.page + 1) if paging.page < pages else None,
        "previous": _page_url(request, previous) if previous else None,
    }


def offset(paging: Paging) -> int:
    """How many items come before the requested page."""
    return (paging.page - 1) * paging.page_size
