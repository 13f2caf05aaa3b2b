"""A dataset as a download answer: one format, its metadata inside or beside, cached by the data version."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse

from obserwatorium.downloads.formats import FORMATS, MEDIA_TYPES, serialise
from obserwatorium.insights import datasets, selectors
from obserwatorium.insights.conditional import conditional_json, conditional_response


def dataset_response(request: HttpRequest, dataset: datasets.Dataset, fmt: str) -> HttpResponse:
    """The dataset in `fmt` (or its metadata.json), named after it, with a Link to the metadata beside a CSV."""
    if fmt not in FORMATS and fmt != "metadata.json":
        raise Http404("no such download")
    version = selectors.data_version()
    if fmt == "metadata.json":
        return conditional_json(request, dataset.meta.as_dict(), version)
    if fmt == "geojson" and not dataset.mappable:
        raise Http404("this table has no map")
    geometries = datasets.geometries(dataset.frame["unit"].to_list()) if fmt == "geojson" else None
    body = serialise(dataset.frame, dataset.meta, fmt, geometries)
    response = conditional_response(request, body, MEDIA_TYPES[fmt], version)
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", dataset.meta.name)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    if fmt == "csv":
        sidecar = request.path.rsplit(".", 1)[0] + ".metadata.json"
        query = "?" + request.GET.urlencode() if request.GET else ""
        response["Link"] = f'<{sidecar}{query}>; rel="describedby"; type="application/json"'
    return response
