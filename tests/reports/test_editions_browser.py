"""The draft, edition and list pages pass the site's WCAG 2.1 AA check (axe-core in Debian chromium)."""

from __future__ import annotations

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import signed_in
from tests.web.test_accessibility_browser import violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker, staff_session):
    """A committed edition of the 2022 report with editorial text, published by the browser's office account."""
    from django.contrib.auth import get_user_model

    from obserwatorium.reports import services
    from obserwatorium.reports.models import Draft, Edition

    with django_db_blocker.unblock():
        office = get_user_model().objects.get(username="browser-office")
        services.save_editorial(kind="annual", year=2022, section_key="introduction",
                                text_pl="Rok 2022 był rokiem wspólnej pracy gmin.",
                                text_en="2022 was a year of the gminy working together.", user=office)
        edition = services.publish_edition(kind="annual", year=2022, user=office, today=datetime.date(2026, 1, 1))
    yield edition
    with django_db_blocker.unblock():
        Edition.objects.filter(pk=edition.pk).delete()
        Draft.objects.filter(kind="annual", year=2022).delete()


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


@pytest.mark.served_only
@pytest.mark.parametrize(("path", "language"), [("/reports/annual/2022/editions/1/", "pl"),
                                                ("/reports/annual/2022/editions/1/", "en"),
                                                ("/reports/", "pl"), ("/reports/annual/2022/draft/", "pl"),
                                                ("/reports/annual/2022/draft/", "en")])
def test_edition_and_draft_pages_meet_wcag_21_aa(site_url, page, axe, staff_session, published, path, language):
    response = signed_in(page, site_url, staff_session, language).goto(site_url + path, wait_until="networkidle")
    assert response.status == 200 and "/sign-in" not in page.url
    assert page.locator("html").get_attribute("lang") == language
    assert violations(axe, page) == []
    assert page.problems == []
