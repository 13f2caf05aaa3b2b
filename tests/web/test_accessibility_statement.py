"""The accessibility statement: the model's structure, filled from settings, linked from every page's footer,
and reporting exactly the pages the axe test checks."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils.html import escape

from obserwatorium import config
from obserwatorium.web.accessibility import automated_checks
from tests.web import test_accessibility_browser as axe_test

pytestmark = pytest.mark.django_db

# The element ids the ministry's model statement gives its parts (so that tools can read them).
MODEL_IDS = ("a11y-wstep", "a11y-podmiot", "a11y-url", "a11y-data-publikacja", "a11y-data-aktualizacja",
             "a11y-status", "a11y-data-sporzadzenie", "a11y-kontakt", "a11y-osoba", "a11y-email", "a11y-telefon",
             "a11y-procedura")


@pytest.fixture
def client():
    return Client(HTTP_HOST="127.0.0.1")


@pytest.fixture
def statement_settings(monkeypatch):
    for name, value in {"OBS_PUBLIC_BODY": "Stowarzyszenie Metropolia Krakowska", "OBS_SITE_PUBLISHED": "2024-09-23",
                        "OBS_SITE_UPDATED": "2025-03-01", "OBS_ACCESSIBILITY_PREPARED": "2024-09-20",
                        "OBS_ACCESSIBILITY_REVIEWED": "2025-03-31", "OBS_ACCESSIBILITY_CONTACT": "Anna Nowak",
                        "OBS_ACCESSIBILITY_EMAIL": "dostepnosc@example.pl",
                        "OBS_ACCESSIBILITY_PHONE": "+48 12 345 67 89"}.items():
        monkeypatch.setenv(name, value)


def page(client, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get("/accessibility/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_has_the_model_structure_filled_from_settings(client, statement_settings):
    html = page(client, "pl")
    for element in MODEL_IDS:
        assert f'id="{element}"' in html, element
    assert '<span id="a11y-podmiot">Stowarzyszenie Metropolia Krakowska</span>' in html
    assert '<span id="a11y-data-publikacja">2024-09-23</span>' in html
    assert '<span id="a11y-data-aktualizacja">2025-03-01</span>' in html
    assert '<span id="a11y-osoba">Anna Nowak</span>' in html
    assert 'href="mailto:dostepnosc@example.pl"' in html and 'href="tel:+48123456789"' in html
    assert "ustawą z dnia 4 kwietnia 2019 r." in html and "7 dni" in html and "Rzecznika Praw Obywatelskich" in html
    assert "<h1>Deklaracja dostępności</h1>" in html and "Sprawdzane automatycznie są też" in html


def test_the_statement_is_in_english_too(client, statement_settings):
    html = page(client, "en")
    assert "<h1>Accessibility statement</h1>" in html and "Act of 4 April 2019" in html
    assert "within 7 days" in html and "Page types checked automatically" in html


def test_unset_values_are_said_to_be_missing_not_invented(client):
    html = page(client, "pl")
    assert '<span id="a11y-data-publikacja">nie podano</span>' in html
    assert '<span id="a11y-osoba">nie podano</span>' in html


def test_the_body_may_word_its_own_procedure(client, monkeypatch):
    monkeypatch.setenv("OBS_ACCESSIBILITY_PROCEDURE", "Pierwszy akapit.\n\nDrugi <b>akapit</b>.")
    html = page(client, "pl")
    assert "<p>Pierwszy akapit.</p>" in html and "<p>Drugi &lt;b&gt;akapit&lt;/b&gt;.</p>" in html
    assert "7 dni" not in html


def test_a_malformed_date_setting_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("OBS_SITE_PUBLISHED", "23.09.2024")
    with pytest.raises(ImproperlyConfigured, match="OBS_SITE_PUBLISHED"):
        config.day("OBS_SITE_PUBLISHED")


def test_the_statement_reports_exactly_the_pages_the_axe_test_checks():
    checks = automated_checks()
    assert [p["path"] for p in checks["pages"]] == axe_test.PUBLIC
    assert [p["path"] for p in checks["pages"] if "en" in p["languages"]] == axe_test.IN_ENGLISH_TOO
    assert [p["path"] for p in checks["staff"]] == axe_test.STAFF
    assert checks["rules"] == axe_test.WCAG_21_AA["runOnly"]["values"]


def test_every_page_type_of_the_statement_is_listed_in_its_table(client):
    html = page(client, "pl")
    for entry in automated_checks()["pages"]:
        assert f"<code>{escape(entry['path'])}</code>" in html  # an address with "&" is written "&amp;"


@pytest.mark.parametrize("path", ["/", "/indicators/", "/analytics/open-data/", "/sign-in/"])
def test_every_page_links_the_statement_from_its_footer_and_head(client, path):
    html = client.get(path).content.decode()
    footer = html.split('<footer class="site-footer">')[1]
    assert re.search(r'<a href="/accessibility/">Deklaracja dostępności</a>', footer)
    assert '<meta name="deklaracja-dostępności" content="http://127.0.0.1/accessibility/">' in html
