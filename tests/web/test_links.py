"""Every link a visitor can follow from the home page leads somewhere: no broken link, no server error.

The crawl follows the site's own links (pages, downloads, feeds, static files) in Polish and in English. Links
that differ only in their query (an indicator or year chosen on the same page) are followed for a few values
per page, which reaches every view without visiting each of the thousands of combinations.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|src)="([^"#]+)')
QUERIES_PER_PATH = 4
# The admin, the language switch and uploaded files are not pages of the public site.
OUTSIDE = ("/admin/", "/i18n/", "/media/")


def _links(url: str, html: str) -> list[str]:
    found = []
    for raw in LINK.findall(html):
        parts = urlsplit(urljoin("http://testserver" + url, raw.replace("&amp;", "&")))
        if parts.scheme in ("http", "https") and parts.netloc == "testserver" and not parts.path.startswith(OUTSIDE):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client, language: str) -> tuple[dict[str, int], dict[str, str]]:
    """Status of every reached URL, and for each the page that linked to it first."""
    statuses: dict[str, int] = {}
    linked_from: dict[str, str] = {"/": "(start)"}
    queries: Counter[str] = Counter()
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        statuses[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(url, response.content.decode()):
            if link in linked_from:
                continue
            path = link.split("?", 1)[0]
            if "?" in link:
                if queries[path] >= QUERIES_PER_PATH:
                    continue
                queries[path] += 1
            linked_from[link] = url
            queue.append(link)
    return statuses, linked_from


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_link_from_the_home_page_works(client, language):
    statuses, linked_from = crawl(client, language)
    broken = {url: (status, linked_from[url]) for url, status in statuses.items() if status != 200}
    assert broken == {}
    # The crawl reached the whole site, not just the home page: every indicator, gmina and registry page.
    reached = {url.split("?", 1)[0] for url in statuses}
    assert sum(url.startswith("/indicators/") for url in reached) > 90
    assert sum(url.startswith("/units/") for url in reached) >= 15
    assert {"/strategy/", "/forums/", "/projects/", "/partners/", "/events/", "/analytics/rankings/",
            "/api/docs"} <= reached
