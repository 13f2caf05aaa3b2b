"""One design for every site form: each field drawn by web/_field.html and each form's errors summarised on top by
web/_error_summary.html; the forms of the Django admin keep the admin's own design."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import obserwatorium
from tests.form_checks import assert_errors_beside_their_fields

SOURCE = Path(obserwatorium.__file__).parent
FIELD = "web/_field.html"
# A form or a field drawn by Django's own layouts, or a field's widget or label put down by hand.
OWN_LAYOUT = re.compile(r"\{\{\s*(?:\w+\.)*form(?:\.\w+)?\s*\}\}|\.as_(?:p|table|ul|div|field_group)\b|label_tag"
                        r"|html_name|\{\{\s*field\s*\}\}")


def _site_form_templates() -> list[Path]:
    return [path for path in sorted(SOURCE.glob("*/templates/**/*.html"))
            if "<form" in path.read_text(encoding="utf-8")
            and "admin" not in path.relative_to(SOURCE).parts[2:] and not path.name.startswith("admin_")]


def test_every_site_form_draws_its_fields_with_the_shared_include():
    templates = _site_form_templates()
    assert len(templates) > 20
    own = [f"{path.relative_to(SOURCE)}: {match.group(0)}" for path in templates
           for match in OWN_LAYOUT.finditer(path.read_text(encoding="utf-8"))]
    assert own == []


def test_every_site_form_that_posts_its_fields_summarises_its_errors_on_top():
    posting = [path for path in _site_form_templates()
               if FIELD in (text := path.read_text(encoding="utf-8")) and 'method="post"' in text]
    assert len(posting) >= 10
    assert [str(p.relative_to(SOURCE)) for p in posting
            if "web/_error_summary.html" not in p.read_text(encoding="utf-8")] == []


@pytest.mark.django_db
def test_the_sign_in_form_summarises_its_errors_and_names_each_field(client):
    response = client.post(reverse("web:sign-in"), {"username": "", "password": ""}, HTTP_ACCEPT_LANGUAGE="pl")
    page = response.content.decode()
    assert assert_errors_beside_their_fields(page, {"id_username", "id_password"}) == "Popraw 2 pola"
    assert 'href="#id_username">Nazwa użytkownika: Wypełnij to pole.</a>' in page


@pytest.mark.django_db
def test_a_wrong_password_is_said_once_on_top_without_a_field_count(client):
    response = client.post(reverse("web:sign-in"), {"username": "nikt", "password": "zle-haslo-1"},
                           HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "The form could not be sent" in page and page.count("The user name or the password is wrong.") == 1
    assert 'aria-invalid="true"' not in page
