"""The interactive API documentation in a real browser: drawn from the site's own files, nothing from outside."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif("ninja" not in settings.INSTALLED_APPS,
                       reason="Swagger UI is served from the site only when 'ninja' is in INSTALLED_APPS"),
]


def test_interactive_documentation_works_offline(site_url, page):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(site_url + "/api/docs")
    page.locator(".opblock").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/observations", "/api/observations.csv", "/api/units/{teryt}"} <= {p.strip() for p in paths}
    assert page.problems == []
    assert all(url.startswith((site_url, "data:")) for url in requested), requested
