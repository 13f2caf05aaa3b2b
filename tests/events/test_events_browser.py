"""The calendar pages in Debian chromium: WCAG 2.1 AA (axe-core) on the month, list, gmina, category, event,
"Moje wydarzenia" and moderation pages in Polish and English; the month grid reached by keyboard; at 390 px the
month is a list and nothing scrolls sideways; script in an event's text never runs. Screenshots at 1280 and
390 px go to OBS_SCREENSHOT_DIR when it is set."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from obserwatorium.events.recurrence import WARSAW
from tests.conftest import signed_in
from tests.web.test_accessibility_browser import WCAG_21_AA

pytestmark = [pytest.mark.browser, pytest.mark.served_only]

SCRIPT_TITLE = 'Kino <script>window.__hacked = 1</script><img src=x onerror="window.__hacked = 2">'


@pytest.fixture(scope="module")
def calendar_data(django_db_setup, django_db_blocker):
    """Committed events (a weekly one, one with script in its text, one waiting for review) and an editor's
    session, so that the served site sees them."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from obserwatorium.access.models import Role, RoleAssignment
    from obserwatorium.events.models import Event
    from obserwatorium.territory.models import Unit

    with django_db_blocker.unblock():
        skawina, wieliczka = Unit.objects.get(teryt="1206113"), Unit.objects.get(teryt="1219053")
        editor = get_user_model().objects.create_user("browser-editor", password=None, first_name="Ewa")
        RoleAssignment.objects.create(user=editor, role=Role.MUNICIPAL_EDITOR, unit=skawina)
        events = [
            Event.objects.create(title="Próby chóru „Skawinianka”", starts_at=datetime(2026, 10, 6, 18, tzinfo=WARSAW),
                                 ends_at=datetime(2026, 10, 6, 20, tzinfo=WARSAW), unit=skawina, category="concert",
                                 venue="Centrum Kultury i Sportu", rrule="FREQ=WEEKLY;COUNT=8",
                                 exdates=["2026-10-20T18:00"], status="published"),
            Event.objects.create(title=SCRIPT_TITLE, description=SCRIPT_TITLE, venue=SCRIPT_TITLE,
                                 starts_at=datetime(2026, 10, 16, 19, tzinfo=WARSAW), unit=wieliczka, category="film",
                                 free_entry=True, status="published"),
            Event.objects.create(title="Wernisaż fotografii", starts_at=datetime(2026, 10, 9, 17, tzinfo=WARSAW),
                                 unit=wieliczka, category="exhibition", status="published"),
            Event.objects.create(title="Festiwal Dyni", starts_at=datetime(2026, 10, 24, 11, tzinfo=WARSAW),
                                 unit=skawina, category="festival", status="submitted", submitted_by=editor,
                                 submitted_at=datetime(2026, 10, 1, 9, tzinfo=WARSAW)),
            Event.objects.create(title="Noc bibliotek", starts_at=datetime(2026, 10, 3, 19, tzinfo=WARSAW),
                                 unit=skawina, category="meeting", status="rejected",
                                 rejection_reason="Brak adresu wydarzenia."),
        ]
        session = SessionStore()
        session.update({"_auth_user_id": str(editor.pk), "_auth_user_hash": editor.get_session_auth_hash(),
                        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"})
        session.create()
    yield {"editor_session": session.session_key, "events": events}
    with django_db_blocker.unblock():
        SessionStore(session_key=session.session_key).delete()
        created = Event.objects.filter(pk__in=[e.pk for e in events])
        created.update(status="draft", published=False)  # a published record is never deleted: unpublish first
        created.delete()
        editor.delete()


def _shoot(page, name: str) -> None:
    folder = os.environ.get("OBS_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


PUBLIC = ["/events/?month=2026-10", "/events/?past=on", "/events/gmina/1206113/?month=2026-10",
          "/events/category/concert/?month=2026-10", "event"]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("path", PUBLIC)
def test_public_calendar_pages_meet_wcag_and_never_run_event_text(site_url, page, axe, calendar_data, path,
                                                                  language, width):
    if path == "event":
        path = f"/events/{calendar_data['events'][1].pk}/"
    page.set_viewport_size({"width": width, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response.status == 200 and page.locator("html").get_attribute("lang") == language
    found = axe.run(page, options=WCAG_21_AA).response["violations"]
    assert [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in found] == []
    assert page.evaluate("() => window.__hacked") is None
    width_used, viewport = page.evaluate("() => [document.documentElement.scrollWidth, "
                                         "document.documentElement.clientWidth]")
    assert width_used <= viewport
    if "month=" in path:
        grid, listing = page.locator(".month-grid"), page.locator(".month-list")
        assert (grid.is_visible(), listing.is_visible()) == ((True, False) if width == 1280 else (False, True))
    _shoot(page, f"events-{path.strip('/').replace('/', '-').replace('?', '-').replace('=', '-')}-{language}-{width}")
    assert page.problems == []


def test_the_month_grid_is_reached_by_keyboard(site_url, page, calendar_data):
    page.context.add_cookies([{"name": "django_language", "value": "pl", "url": site_url}])
    page.goto(site_url + "/events/?month=2026-10", wait_until="networkidle")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('table.month td') !== null"):
            break
    else:
        pytest.fail("Tab never reached an event in the month table")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/events/" in page.url and "month=" not in page.url and page.locator("h1").count() == 1
    assert page.problems == []


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(("who", "path"), [("office", "/events/moderation/"), ("editor", "/events/mine/"),
                                           ("editor", "/events/new/"), ("editor", "event-rejected")])
def test_the_workflow_pages_meet_wcag(site_url, page, axe, staff_session, calendar_data, who, path, language,
                                      width):
    if path == "event-rejected":
        path = f"/events/{calendar_data['events'][4].pk}/"
    session = staff_session if who == "office" else calendar_data["editor_session"]
    page.set_viewport_size({"width": width, "height": 900})
    response = signed_in(page, site_url, session, language).goto(site_url + path, wait_until="networkidle")
    assert response.status == 200 and "sign-in" not in page.url
    found = axe.run(page, options=WCAG_21_AA).response["violations"]
    assert [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in found] == []
    width_used, viewport = page.evaluate("() => [document.documentElement.scrollWidth, "
                                         "document.documentElement.clientWidth]")
    assert width_used <= viewport
    _shoot(page, f"events-{who}-{path.strip('/').replace('/', '-')}-{language}-{width}")
    assert page.problems == []
