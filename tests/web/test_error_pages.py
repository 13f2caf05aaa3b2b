"""Error pages speak the page's language in the site's layout and say why and where to go; forms offer only the
choices the user may make."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "heading", "hint"), [
    ("pl", "Strona nie została znaleziona", "lista wskaźników"), ("en", "Page not found", "the list of indicators")])
def test_not_found_in_the_layout_and_language(client, language, heading, hint):
    response = client.get("/indicators/no-such-indicator/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 404
    assert 'class="site-header"' in page and f"<h1>{heading}</h1>" in page and hint in page


def test_refused_says_why_and_offers_the_sign_in(client):
    user = get_user_model().objects.create_user("mieszkanka")
    client.force_login(user)
    response = client.post("/events/new/", {}, HTTP_ACCEPT_LANGUAGE="pl")
    page = response.content.decode()
    assert response.status_code == 403 and "<h1>Brak dostępu</h1>" in page and 'class="site-header"' in page
    assert "Nie możesz dodawać rekordów tego rodzaju." in page or "rola" in page


def test_the_csrf_failure_page_is_the_sites(client):
    response = Client(enforce_csrf_checks=True).post("/sign-in/", {"username": "x"}, HTTP_ACCEPT_LANGUAGE="pl")
    page = response.content.decode()
    assert response.status_code == 403 and "<h1>Formularz wygasł</h1>" in page and 'class="site-header"' in page


@pytest.mark.parametrize(("language", "heading"), [("pl", "Błąd serwera"), ("en", "Server error")])
def test_the_server_error_page_renders_without_the_database(django_assert_num_queries, language, heading):
    with translation.override(language), django_assert_num_queries(0):
        page = render_to_string("500.html")
    assert f"<h1>{heading}</h1>" in page and 'href="/"' in page


@pytest.mark.parametrize(("language", "heading"), [("pl", "Nieprawidłowe żądanie"), ("en", "Bad request")])
def test_a_bad_request_gets_the_sites_page_in_its_language(client, language, heading):
    # A Host header the site does not serve (DisallowedHost) is answered with 400 before any view runs.
    response = client.get("/", HTTP_HOST="intruder.invalid", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 400
    assert f"<h1>{heading}</h1>" in page and 'class="site-header"' in page and f'lang="{language}"' in page


def test_the_event_form_offers_an_editor_only_their_gmina(client):
    skawina = Unit.objects.get(teryt="1206113")
    editor = get_user_model().objects.create_user("redaktor-skawiny")
    RoleAssignment.objects.create(user=editor, role=Role.MUNICIPAL_EDITOR, unit=skawina)
    client.force_login(editor)
    form = client.get("/events/new/").context["form"]
    assert list(form.fields["unit"].queryset) == [skawina]
    office = get_user_model().objects.create_superuser("biuro", password=None)
    client.force_login(office)
    assert client.get("/events/new/").context["form"].fields["unit"].queryset.count() == 15


def test_a_missing_record_raised_by_a_selector_is_the_404_page(client):
    """No view catches DoesNotExist: web.errors maps it, the page keeps the site's 404."""
    response = client.get("/strategy/actions/999999/", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 404 and "<h1>Strona nie została znaleziona</h1>" in response.content.decode()


def test_domain_errors_map_to_answers_in_one_place(rf):
    from django.core.exceptions import BadRequest, ObjectDoesNotExist, PermissionDenied, ValidationError
    from django.http import Http404

    from obserwatorium.web.errors import PageErrorMiddleware

    middleware = PageErrorMiddleware(lambda request: None)
    page = rf.get("/indicators/")
    with pytest.raises(Http404):
        middleware.process_exception(page, ObjectDoesNotExist("no such record"))
    with pytest.raises(BadRequest, match="Zła wartość"):
        middleware.process_exception(page, ValidationError("Zła wartość"))
    assert middleware.process_exception(page, PermissionDenied()) is None  # Django's handler403 answers
    assert middleware.process_exception(rf.get("/api/v1/units"), ObjectDoesNotExist()) is None  # the API maps its own
