"""Sign-in abuse: lockout per account and per address, its expiry, the security log, the idle session timeout."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import F
from django.test import RequestFactory

from obserwatorium.web.middleware import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-42"
ATTACKER, OFFICE = "198.51.100.66", "192.0.2.10"


@pytest.fixture
def accounts(django_user_model):
    return [django_user_model.objects.create_user(name, password=PASSWORD, is_staff=True)
            for name in ("analyst", "coordinator")]


def sign_in(client, username: str, password: str, address: str, language: str = "pl"):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"},
                       REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)


def fail(client, username: str, address: str, times: int | None = None) -> None:
    limit = times or settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit + 1):
        # The form again, until the failure that reaches the limit: that one already answers with the lockout.
        assert sign_in(client, username, "a-wrong-guess", address).status_code == (200 if attempt < limit else 429)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_the_right_password_is_refused_in_polish(client, accounts):
    fail(client, "analyst", ATTACKER)
    response = sign_in(client, "analyst", PASSWORD, ATTACKER)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Logowanie zablokowane" in text
    assert "zablokowane przez 15 minut od ostatniej próby, nawet przy poprawnym haśle" in text
    assert response["Retry-After"] == "900"
    assert not signed_in(client)


def test_the_lockout_message_in_english(client, accounts):
    fail(client, "analyst", ATTACKER)
    response = sign_in(client, "analyst", PASSWORD, ATTACKER, language="en")
    assert response.status_code == 429
    assert "locked for 15 minutes after the last attempt, even with the right password" in response.content.decode()


def test_the_lockout_holds_for_any_login_view(accounts):
    # A login view calls authenticate(request, ...); the site's sign-in page goes through the same backend.
    request = RequestFactory().post("/login/", REMOTE_ADDR=ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert authenticate(request, username="analyst", password="wrong") is None
    assert authenticate(RequestFactory().post("/login/", REMOTE_ADDR=ATTACKER),
                        username="analyst", password=PASSWORD) is None


def test_a_locked_account_is_locked_from_every_address(client, accounts):
    fail(client, "analyst", ATTACKER)
    assert sign_in(client, "analyst", PASSWORD, OFFICE).status_code == 429


def test_a_locked_address_is_locked_for_every_account(client, accounts):
    # Spraying: one guess each at many accounts from one address counts against the address.
    for name in ("analyst", "coordinator", "nobody-1", "nobody-2", "nobody-3")[:settings.AXES_FAILURE_LIMIT]:
        sign_in(client, name, "a-wrong-guess", ATTACKER)
    assert sign_in(client, "coordinator", PASSWORD, ATTACKER).status_code == 429


def test_another_account_from_another_address_still_signs_in(client, accounts):
    fail(client, "analyst", ATTACKER)
    response = sign_in(client, "coordinator", PASSWORD, OFFICE)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert signed_in(client)


def test_the_lock_expires_after_the_cool_off(client, accounts):
    fail(client, "analyst", ATTACKER)
    assert sign_in(client, "analyst", PASSWORD, ATTACKER).status_code == 429
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    response = sign_in(client, "analyst", PASSWORD, ATTACKER)
    assert response.status_code == 302 and signed_in(client)


def test_failed_sign_ins_and_the_lockout_are_logged_and_recorded(client, accounts, caplog):
    with caplog.at_level(logging.INFO, logger="obserwatorium.security"):
        fail(client, "analyst", ATTACKER)
        sign_in(client, "analyst", PASSWORD, ATTACKER)
    messages = [r.getMessage() for r in caplog.records if r.name == "obserwatorium.security"]
    failed = [m for m in messages if m.startswith("failed sign-in")]
    assert len(failed) >= settings.AXES_FAILURE_LIMIT
    assert f"user='analyst' address={ATTACKER} path=/admin/login/" in failed[0]
    assert any(m.startswith("sign-in locked out: user='analyst'") for m in messages)
    assert any(m.startswith("access denied (429): POST /admin/login/") for m in messages)
    assert "a-wrong-guess" not in " ".join(messages) and PASSWORD not in " ".join(messages)
    attempt = AccessAttempt.objects.get(username="analyst")
    assert attempt.ip_address == ATTACKER and attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_a_permission_refusal_is_logged(client, django_user_model, caplog):
    editor = django_user_model.objects.create_user("reader", password=PASSWORD)  # not staff
    client.force_login(editor)
    with caplog.at_level(logging.INFO, logger="obserwatorium.security"):
        response = client.get("/import/", REMOTE_ADDR=OFFICE)
    assert response.status_code == 403
    assert any(r.getMessage().startswith("access denied (403): GET /import/ user='reader'")
               for r in caplog.records)


def test_an_idle_session_ends(client, accounts):
    client.force_login(accounts[0])
    assert client.get("/admin/").status_code == 200
    session = client.session
    assert isinstance(session[LAST_SEEN_KEY], int)
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 1
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not signed_in(client)


def test_a_session_in_use_slides_forward(client, accounts):
    client.force_login(accounts[0])
    client.get("/admin/")
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS + 120  # two minutes to spare
    session.save()
    assert client.get("/admin/").status_code == 200
    assert client.session[LAST_SEEN_KEY] >= int(time.time()) - 5  # renewed
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_SECONDS == 60 * 60
