"""Role holders sign in on the site (staff or not), in the site's layout, and go back where they were."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.events.models import Event
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db
PASSWORD = "an-editor-password-5"


@pytest.fixture
def editor(django_user_model):
    """Skawina's editor: a role, no Django staff flag."""
    user = django_user_model.objects.create_user("redaktorka", password=PASSWORD, first_name="Anna",
                                                 last_name="Nowak")
    RoleAssignment.objects.create(user=user, role=Role.MUNICIPAL_EDITOR, unit=Unit.objects.get(teryt="1206113"))
    return user


@pytest.mark.parametrize(("language", "link"), [("pl", "Zaloguj"), ("en", "Sign in")])
def test_every_page_links_to_the_sign_in_with_the_way_back(client, language, link):
    for url in ("/", "/strategy/", "/events/"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert f'href="/sign-in/?next={url}">{link}</a>' in page


def test_a_role_holder_without_staff_signs_in_and_returns_to_the_write_page(client, editor):
    response = client.get(reverse("events:event-add"))
    assert response.status_code == 302 and response["Location"] == "/sign-in/?next=/events/new/"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="pl")
    assert page.status_code == 200 and 'class="site-header"' in page.content.decode()
    response = client.post("/sign-in/", {"username": "redaktorka", "password": PASSWORD, "next": "/events/new/"})
    assert response.status_code == 302 and response["Location"] == "/events/new/"
    form = client.get("/events/new/", HTTP_ACCEPT_LANGUAGE="pl")
    assert form.status_code == 200
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Anna Nowak" in home and "Wyloguj" in home and ">Zaloguj<" not in home
    # Not staff: the admin stays closed.
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    client.post("/events/new/", {"title": "Festyn", "category": "concert", "starts_at": "2024-06-01T18:00",
                                 "unit": Unit.objects.get(teryt="1206113").pk, "published": "on"})
    assert Event.objects.filter(title="Festyn").exists()


def test_the_sign_in_page_is_headed_with_the_site_name_not_the_host(client):
    page = client.get("/sign-in/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert '<a class="brand" href="/">Obserwatorium Metropolii Krakowskiej</a>' in page


def test_a_foreign_next_is_not_followed(client, editor):
    response = client.post("/sign-in/", {"username": "redaktorka", "password": PASSWORD,
                                         "next": "https://example.org/"})
    # Not the foreign site: the landing page of a signed-in user, their tasks.
    assert response.status_code == 302 and response["Location"] == "/my/"


@pytest.mark.parametrize(("language", "summary", "wrong"), [
    ("pl", "Nie udało się wysłać formularza", "Nazwa użytkownika lub hasło są błędne"),
    ("en", "The form could not be sent", "The user name or the password is wrong")])
def test_a_wrong_password_is_said_in_the_page_language(client, editor, language, summary, wrong):
    response = client.post("/sign-in/", {"username": "redaktorka", "password": "wrong"},
                           HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200 and summary in page and wrong in page
    assert 'role="alert"' in page


def test_a_missing_field_is_named_next_to_it_and_in_the_summary(client):
    page = client.post("/sign-in/", {"username": "redaktorka"}, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert 'aria-invalid="true" aria-describedby="id_password_error"' in page
    assert '<span class="field-error" id="id_password_error">Wypełnij to pole.</span>' in page
    assert '<a href="#id_password">Hasło: Wypełnij to pole.</a>' in page


def test_sign_out_returns_home(client, editor):
    client.force_login(editor)
    response = client.post("/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert ">Zaloguj<" in client.get("/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
