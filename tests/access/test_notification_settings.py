"""The write paths of the e-mail settings, for every role: each signed-in account writes its own settings (allowed
and recorded) and nobody else's; the anonymous visitor is sent to sign in and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from obserwatorium.history.models import ChangeRecord
from obserwatorium.notifications.models import Kind, MailPreference
from tests.registry_fixtures import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_role_writes_its_own_email_settings_and_the_change_is_recorded(role, client, world):
    user, other = world.users[role], world.users["office" if role != "office" else "editor"]
    MailPreference.objects.create(user=other, declined=[])
    client.force_login(user)
    before = ChangeRecord.objects.count()
    # A forged "user" field is ignored: the page writes the signed-in account's settings only.
    response = client.post(reverse("notifications:settings"), {"received": [Kind.INVITATION], "language": "en",
                                                               "user": other.pk})
    assert response.status_code == 302
    mine = MailPreference.objects.get(user=user)
    assert (set(mine.declined), mine.language) == (set(Kind.values) - {Kind.INVITATION}, "en")
    assert ChangeRecord.objects.count() > before
    assert MailPreference.objects.get(user=other).declined == []


def test_the_anonymous_visitor_is_sent_to_sign_in_and_nothing_changes(client, world):
    before = (MailPreference.objects.count(), ChangeRecord.objects.count())
    response = client.post(reverse("notifications:settings"), {"received": [], "language": "en"})
    assert response.status_code == 302 and reverse("web:sign-in") in response["Location"]
    assert (MailPreference.objects.count(), ChangeRecord.objects.count()) == before


def test_an_unknown_kind_or_language_is_a_form_error_and_nothing_changes(client, world):
    client.force_login(world.users["editor"])
    response = client.post(reverse("notifications:settings"), {"received": ["spam"], "language": "de"})
    assert response.status_code == 400
    assert not MailPreference.objects.filter(user=world.users["editor"]).exists()
