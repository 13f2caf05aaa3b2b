"""In Debian chromium on the served site: a gmina editor fills a data request on a 390 px phone with the keyboard
alone, and the request pages meet WCAG 2.1 AA (axe-core) for the editor and the office, in Polish and English.

The request, its indicators and the accounts are committed for the module (the served site must see them) and
removed afterwards with what the submission wrote.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import signed_in
from tests.web.test_accessibility_browser import WIDEST, _tab_until, violations

pytestmark = [pytest.mark.browser, pytest.mark.served_only]


@dataclass
class Committed:
    request_pk: int
    stoves_pk: int
    green_pk: int
    editor_session: str
    office_session: str


def _session(user) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session.update({"_auth_user_id": str(user.pk), "_auth_user_hash": user.get_session_auth_hash(),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"})
    session.create()
    return session.session_key


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    from obserwatorium.access.models import Role, RoleAssignment
    from obserwatorium.collection import services
    from obserwatorium.collection.models import DataRequest
    from obserwatorium.indicators.bulk import ObservationRow
    from obserwatorium.indicators.models import ImportBatch, Indicator, Observation, Revision
    from obserwatorium.indicators.services import write_observations
    from obserwatorium.territory.models import Unit
    from tests.collection.fixtures import make_indicators

    with django_db_blocker.unblock():
        users = get_user_model().objects
        editor = users.create_user("browser-skawina", password=None, first_name="Anna", last_name="Nowak")
        office = users.create_user("browser-collection-office", password=None, is_staff=True)
        skawina, wieliczka = Unit.objects.get(teryt="1206113"), Unit.objects.get(teryt="1219053")
        RoleAssignment.objects.create(user=editor, role=Role.MUNICIPAL_EDITOR, unit=skawina)
        RoleAssignment.objects.create(user=office, role=Role.OFFICE_ADMIN)
        stoves, green = make_indicators()
        earlier = write_observations(batch=ImportBatch(kind="upload", source="test: last year"), rows=[
            ObservationRow(stoves.pk, skawina.pk, "2023", 100.0, "final"),
            ObservationRow(green.pk, skawina.pk, "2023", 40.0, "final")]).batch
        request = services.open_request(title="Piece i zieleń 2024", note="Prosimy o dane do końca marca.",
                                        indicators=[stoves, green], periods=[2024], gminy=[skawina, wieliczka],
                                        deadline=datetime.date(2025, 3, 31), user=office)
        data = Committed(request.pk, stoves.pk, green.pk, _session(editor), _session(office))
    yield data
    with django_db_blocker.unblock():
        written = [s.batch_id for s in request.submissions.all() if s.batch_id]
        DataRequest.objects.filter(pk=request.pk).delete()
        Revision.objects.filter(indicator__in=[stoves, green]).delete()
        Observation.objects.filter(indicator__in=[stoves, green]).delete()
        ImportBatch.objects.filter(pk__in=[earlier.pk, *written]).delete()
        Indicator.objects.filter(pk__in=[stoves.pk, green.pk]).delete()
        editor.delete()
        office.delete()


@pytest.fixture(scope="module")
def axe() -> Axe:
    return Axe()


def _focus_cell(page, label: str) -> None:
    assert _tab_until(page, f"e => e.getAttribute('aria-label') === {label!r}", limit=60), label


def _type_into(page, label: str, text: str) -> None:
    _focus_cell(page, label)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _submit_with_the_keyboard(page) -> None:
    assert _tab_until(page, "e => e.tagName === 'BUTTON' && e.value === 'submit'", limit=30)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_an_editor_fills_the_request_on_a_phone_with_the_keyboard_alone(site_url, page, committed,
                                                                       django_db_blocker):
    page.set_viewport_size({"width": 390, "height": 844})
    signed_in(page, site_url, committed.editor_session, "pl")
    grid = f"{site_url}/collection/{committed.request_pk}/gmina/1206113/"
    page.goto(grid, wait_until="networkidle")
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
        page.evaluate(WIDEST)
    # The cells are stacked per indicator on a phone: each year's input under its indicator, none off screen.
    box = page.get_by_label("Wymienione piece węglowe, 2024", exact=True).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390

    # A number written with a dot is refused, naming the cell; nothing is saved.
    _type_into(page, "Wymienione piece węglowe, 2024", "1.234,5.6")
    _submit_with_the_keyboard(page)
    assert "Wiersz Wymienione piece węglowe, kolumna 2024:" in page.locator("[role=alert]").inner_text()
    assert page.get_by_label("Wymienione piece węglowe, 2024", exact=True).get_attribute("aria-invalid") == "true"

    # Corrected, but far above last year's 100: the grid asks for a confirmation and a comment.
    _type_into(page, "Wymienione piece węglowe, 2024", "1 234")
    assert _tab_until(page, "e => e.type === 'checkbox' && e.name.endsWith('-nd') && "
                            f"e.name.startsWith('c{committed.green_pk}-')", limit=10)
    page.keyboard.press("Space")  # "no data" for the green share
    _submit_with_the_keyboard(page)
    alert = page.locator("[role=alert]").inner_text()
    assert "Potwierdź wartość i wyjaśnij ją w komentarzu." in alert
    _focus_cell(page, "Wymienione piece węglowe, 2024")
    assert _tab_until(page, "e => e.name && e.name.endsWith('-ok')", limit=5)
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name").endswith("-comment")
    page.keyboard.type("Ruszył program dopłat do wymiany pieców.")
    _submit_with_the_keyboard(page)

    assert "Przesłano: zapisano 1 wartość." in page.locator(".messages").inner_text()
    # The two refused sends were answered 400 (a form's own errors), which chromium logs; nothing else.
    assert [p for p in page.problems if "status of 400" not in p] == []
    with django_db_blocker.unblock():
        _written_as_typed(committed)


def _written_as_typed(committed) -> None:
    from obserwatorium.collection.models import Submission
    from obserwatorium.indicators.models import Observation

    submission = Submission.objects.get(request_id=committed.request_pk, unit__teryt="1206113")
    assert submission.status == "submitted" and submission.batch is not None
    stored = Observation.objects.get(indicator_id=committed.stoves_pk, unit__teryt="1206113", period="2024")
    assert stored.value == 1234 and stored.batch_id == submission.batch_id
    assert submission.batch.source == "Zbieranie danych: Piece i zieleń 2024, Skawina"
    assert submission.batch.user.username == "browser-skawina"


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(("who", "path"), [
    ("editor", "/collection/"), ("editor", "/collection/{pk}/gmina/1219053/"),
    ("office", "/collection/"), ("office", "/collection/new/"), ("office", "/collection/{pk}/"),
    ("office", "/collection/{pk}/gmina/1206113/"),
])
def test_request_pages_meet_wcag_21_aa(site_url, page, axe, committed, who, path, language):
    session = committed.editor_session if who == "editor" else committed.office_session
    url = site_url + path.format(pk=committed.request_pk)
    response = signed_in(page, site_url, session, language).goto(url, wait_until="networkidle")
    if who == "editor" and "1219053" in path:
        assert response.status == 403  # another gmina's grid
        return
    assert response.status == 200 and page.locator("html").get_attribute("lang") == language
    assert violations(axe, page) == []
    page.set_viewport_size({"width": 320, "height": 640})  # WCAG 1.4.10 Reflow
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), \
        page.evaluate(WIDEST)
    assert page.problems == []


def test_the_grid_with_problems_meets_wcag_21_aa(site_url, page, axe, committed):
    """The grid as an office account sees it after a refused save (Wieliczka's: the editor's test submits Skawina's):
    the alert, the invalid cell and the confirmation fields."""
    signed_in(page, site_url, committed.office_session, "pl")
    page.goto(f"{site_url}/collection/{committed.request_pk}/gmina/1219053/", wait_until="networkidle")
    page.get_by_label("Wymienione piece węglowe, 2024", exact=True).fill("12,3,4")
    page.get_by_label("Udział terenów zielonych, 2024", exact=True).fill("120")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz wersję roboczą").click()
    assert page.locator("[role=alert] li").count() == 1
    assert page.get_by_label("Potwierdzam tę wartość: Udział terenów zielonych, 2024").count() == 1
    assert violations(axe, page) == []
