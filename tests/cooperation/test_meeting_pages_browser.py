"""The meeting pages in a real browser: the list across forums, a meeting with its agenda, decisions and attendance,
the forum's and a gmina's activity chart, and the workspace forms of the office, in Polish and English, at 1280 and
390 px; WCAG 2.1 AA (axe-core) on each, no sideways scrolling at 320 px, no console error."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import signed_in
from tests.web.test_accessibility_browser import CHARTS_SETTLED, WIDEST, violations

pytestmark = pytest.mark.browser
FORUM = "komunikacja-i-promocja"


@pytest.fixture(scope="module")
def meetings(django_db_setup, django_db_blocker):
    """A past meeting with its agenda, decisions and attendance and a coming one, committed for the served site."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from obserwatorium.access.models import Role, RoleAssignment
    from obserwatorium.cooperation.meeting_services import add_decision, record_attendance, save_agenda
    from obserwatorium.cooperation.models import AgendaItem, Attendance, Decision, Forum, Invitation, Meeting
    from obserwatorium.territory.models import Unit

    with django_db_blocker.unblock():
        clerk = get_user_model().objects.create_superuser("meeting-clerk", password=None)
        forum = Forum.objects.get(slug=FORUM)
        gminy = list(Unit.objects.members().current().order_by("name")[:4])
        forum.member_units.add(*gminy)
        past = Meeting.objects.create(forum=forum, starts_at=timezone.now() - timedelta(days=40), place="Kraków, "
                                      "ul. Basztowa 22", participants=14)
        earlier = Meeting.objects.create(forum=forum, starts_at=timezone.now() - timedelta(days=400), place="Wieliczka")
        coming = Meeting.objects.create(forum=forum, starts_at=timezone.now() + timedelta(days=20), online=True,
                                        online_url="https://meet.example.org/forum")
        save_agenda(meeting=past, titles=["Otwarcie i przyjęcie porządku obrad",
                                          "Wspólna kampania promocyjna gmin na rok 2025",
                                          "Wolne wnioski"], user=clerk)
        add_decision(meeting=past, values={"text": "Forum przyjmuje harmonogram kampanii.", "follow_up": "in-progress",
                                           "due_on": (timezone.now() + timedelta(days=60)).date()}, user=clerk)
        add_decision(meeting=past, values={"text": "Sekretarz roześle projekt stanowiska."}, user=clerk)
        for meeting, present in ((past, gminy[:3]), (earlier, gminy[1:])):
            record_attendance(meeting=meeting, user=clerk, marks={
                **{("unit", g.pk): "present" for g in present},
                **{("unit", g.pk): "excused" for g in gminy if g not in present}})
        people = [get_user_model().objects.create_user(name, email=f"{name}@example.org", first_name=first,
                                                        last_name=last, password=None)
                  for name, first, last in (("sekretarz-forum", "Anna", "Nowak"), ("redaktor-gminy", "Jan", "Lis"))]
        secretary_role = RoleAssignment.objects.create(user=people[0], role=Role.FORUM_SECRETARY, forum=forum)
        editor_role = RoleAssignment.objects.create(user=people[1], role=Role.MUNICIPAL_EDITOR, unit=gminy[0])
    yield {"past": past.pk, "coming": coming.pk, "gmina": gminy[1].slug}
    with django_db_blocker.unblock():  # the rest of the session sees the site as the preset left it
        for model in (AgendaItem, Decision, Attendance, Invitation):
            model.objects.filter(meeting__in=[past, earlier, coming]).delete()
        Meeting.objects.filter(pk__in=[past.pk, earlier.pk, coming.pk]).update(published=False)
        Meeting.objects.filter(pk__in=[past.pk, earlier.pk, coming.pk]).delete()
        secretary_role.delete()
        editor_role.delete()
        forum.member_units.remove(*gminy)
        for user in (*people, clerk):
            user.delete()


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OBS_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _public(meetings) -> list[str]:
    return ["/forums/meetings/", f"/forums/meetings/{meetings['past']}/", f"/forums/{FORUM}/",
            f"/units/{meetings['gmina']}/"]


def _staff(meetings) -> list[str]:
    past, coming = meetings["past"], meetings["coming"]
    return [f"/forums/meetings/{past}/agenda/", f"/forums/meetings/{past}/decisions/new/",
            f"/forums/meetings/{past}/attendance/", f"/forums/meetings/{coming}/invitations/"]


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-")


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_public_meeting_pages_meet_wcag_21_aa(site_url, page, axe, meetings, tmp_path, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site_url}])
    for path in _public(meetings):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(site_url + path, wait_until="networkidle")
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language
            if width == 1280:
                assert violations(axe, page) == [], path
            else:
                page.wait_for_function(CHARTS_SETTLED)
            page.screenshot(path=str(_shots(tmp_path) / f"{_name(path)}-{width}-{language}.png"), full_page=True)
    assert page.problems == []


def test_the_activity_chart_is_drawn_and_the_pages_reflow_at_320_px(site_url, page, meetings):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in _public(meetings):
        page.goto(site_url + path, wait_until="networkidle")
        page.wait_for_function(CHARTS_SETTLED)
        width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, "
                                        "document.documentElement.clientWidth]")
        assert width <= viewport, (path, page.evaluate(WIDEST))
    page.goto(site_url + f"/forums/{FORUM}/", wait_until="networkidle")
    page.wait_for_function(CHARTS_SETTLED)
    assert page.locator("#chart-activity").get_attribute("data-drawn") == "true"
    assert page.locator("#chart-activity svg text").filter(has_text="2").count() >= 1
    assert page.problems == []


@pytest.mark.served_only  # a signed-in request refreshes its session: the site writes, so no test transaction
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_workspace_forms_meet_wcag_21_aa(site_url, page, axe, staff_session, meetings, tmp_path, language):
    signed_in(page, site_url, staff_session, language)
    for path in _staff(meetings):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(site_url + path, wait_until="networkidle")
            assert response.status == 200, path
            if width == 1280:
                assert violations(axe, page) == [], path
            page.screenshot(path=str(_shots(tmp_path) / f"{_name(path)}-{width}-{language}.png"), full_page=True)
    assert page.problems == []


@pytest.mark.served_only
def test_a_refused_decision_names_its_fields_on_top_at_390_px(site_url, page, axe, staff_session, meetings,
                                                              tmp_path):
    signed_in(page, site_url, staff_session, "pl")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + f"/forums/meetings/{meetings['past']}/decisions/new/")
    page.fill("#id_due_on", "")
    page.keyboard.press("Tab")
    page.locator(".workspace-form button[type=submit]").press("Enter")
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert summary.locator('a[href="#id_text"]').count() == 1
    assert page.locator("#id_text").get_attribute("aria-invalid") == "true"
    assert violations(axe, page) == []
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, "
                                    "document.documentElement.clientWidth]")
    assert width <= viewport, page.evaluate(WIDEST)
    page.screenshot(path=str(_shots(tmp_path) / "decision-refused-390-pl.png"), full_page=True)
