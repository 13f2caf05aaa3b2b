"""Links to the downloads of a dataset in every open-data format, for the analytics pages and the others."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from obserwatorium.downloads.formats import FORMATS


def download_links(request: HttpRequest | None, name: str, mappable: bool = False,
                   query: dict[str, str] | None = None, url: str | None = None) -> list[dict]:
    """Links to the dataset behind a table or chart, in every format (GeoJSON for per-unit tables): with the
    page's own query, or with the one given (a page outside the analytics names its dataset's parameters).

    `url`: the CSV address of a dataset another app serves (through `delivery.dataset_response`)."""
    base = (url or reverse("insights:download", args=[name, "csv"])).rsplit(".", 1)[0]
    if query is not None:
        params = "?" + urlencode(query) if query else ""
    else:
        params = "?" + request.GET.urlencode() if request is not None and request.GET else ""
    formats = [f for f in FORMATS if f != "geojson" or mappable] + ["metadata.json"]
    return [{"format": f.upper().replace(".JSON", " (JSON)"), "url": f"{base}.{f}{params}"} for f in formats]
