"""Every change of a tracked record is kept (who, when, through what, before and after) and browsable."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from obserwatorium.cooperation.models import Forum, Partner
from obserwatorium.history.models import ChangeAction, ChangeRecord
from obserwatorium.history.selectors import changes_of
from obserwatorium.history.tracking import recording
from obserwatorium.registry.services import save_record

pytestmark = pytest.mark.django_db


def test_a_created_record_is_kept_with_who_and_through_what(world):
    office = world.users["office"]
    forum = save_record(record=Forum(), values={"slug": "mobilnosc", "name_pl": "Forum mobilności",
                                                "domain": world.domain_b.pk, "member_units": [world.skawina.pk]},
                        user=office, via="api")
    (change,) = changes_of(forum)
    assert (change.action, change.user, change.via, change.before) == (ChangeAction.CREATED, office, "api", None)
    assert change.after["name_pl"] == "Forum mobilności" and change.after["member_units"] == [world.skawina.pk]


def test_one_save_with_many_to_many_is_one_change_with_before_and_after(world):
    coordinator = world.users["coordinator"]
    save_record(record=world.forum_a, values={"coordinator": "Anna Kowalska",
                                              "member_units": [world.skawina.pk, world.wieliczka.pk]},
                user=coordinator, via="page")
    change = changes_of(world.forum_a).first()
    assert change.user == coordinator and change.action == ChangeAction.CHANGED
    assert change.changed_fields == ["coordinator", "member_units"]
    assert (change.before["coordinator"], change.after["coordinator"]) == ("", "Anna Kowalska")
    assert change.before["member_units"] == [] and len(change.after["member_units"]) == 2


def test_changes_outside_any_service_are_recorded_too(world):
    count = ChangeRecord.objects.count()
    world.forum_b.coordinator = "Ktoś"
    world.forum_b.save()
    world.skawina.forums.add(world.forum_b)  # the reverse side of a many-to-many
    changes = list(changes_of(world.forum_b)[:2])
    assert ChangeRecord.objects.count() == count + 2
    assert changes[0].changed_fields == ["member_units"] and changes[1].changed_fields == ["coordinator"]
    assert all(c.user is None for c in changes)


def test_saving_without_a_change_records_nothing(world):
    count = ChangeRecord.objects.count()
    world.forum_a.save()
    save_record(record=world.forum_a, values={"name_pl": world.forum_a.name_pl}, user=world.users["office"])
    assert ChangeRecord.objects.count() == count


def test_a_refused_or_rolled_back_write_records_nothing(world):
    count = ChangeRecord.objects.count()
    with pytest.raises(PermissionDenied):
        save_record(record=world.forum_b, values={"coordinator": "X"}, user=world.users["coordinator"])
    with pytest.raises(ValueError), transaction.atomic(), recording(user=world.users["office"]):
        world.forum_a.coordinator = "Y"
        world.forum_a.save()
        raise ValueError("the operation fails after saving, inside its transaction")
    assert ChangeRecord.objects.count() == count
    assert Forum.objects.get(pk=world.forum_a.pk).coordinator == ""


def test_a_change_that_stays_after_a_failure_is_recorded(world):
    with pytest.raises(ValueError), recording(user=world.users["office"], via="cli"):
        world.forum_a.coordinator = "Z"
        world.forum_a.save()
        raise ValueError("the operation fails after a save outside any transaction")
    change = changes_of(world.forum_a).first()
    assert (change.after["coordinator"], change.via) == ("Z", "cli")


def test_a_draft_may_be_deleted_and_is_kept_in_the_history(world):
    draft = Partner.objects.create(name="Szkic partnera", published=False)
    pk = draft.pk
    draft.delete()
    change = ChangeRecord.objects.filter(object_id=str(pk), content_type__model="partner").first()
    assert change.action == ChangeAction.DELETED and change.before["name"] == "Szkic partnera"
    assert change.after is None


def test_a_record_deleted_by_a_cascade_is_kept_under_the_name_it_had(world):
    """A mail preference is named after its account; deleting the account deletes the preference first, so its
    name must be taken before the delete, not read back from a row that is gone."""
    from django.contrib.auth import get_user_model

    from obserwatorium.notifications.models import MailPreference

    account = get_user_model().objects.create_user("odchodzaca", password="a-long-password-42")
    preference = MailPreference.objects.create(user=account)
    pk = preference.pk
    account.delete()
    change = ChangeRecord.objects.get(object_id=str(pk), content_type__model="mailpreference",
                                      action=ChangeAction.DELETED)
    assert change.object_repr == "odchodzaca"


def test_history_is_browsable_in_the_admin_the_site_and_the_api(world, client):
    office = world.users["office"]
    save_record(record=world.forum_a, values={"coordinator": "Anna Kowalska", "member_units": [world.skawina.pk]},
                user=office)
    public_page = client.get(reverse("history:record", args=["cooperation", "forum", world.forum_a.pk]))
    assert public_page.status_code == 200
    html = public_page.content.decode()
    assert "Anna Kowalska" in html and "Skawina (1206113)" in html and "office" not in html
    api = client.get(f"/api/cooperation/forums/{world.forum_a.pk}/history").json()
    assert api[0]["after"]["coordinator"] == "Anna Kowalska" and "user" not in api[0]
    client.force_login(office)
    staff_page = client.get(reverse("history:record", args=["cooperation", "forum", world.forum_a.pk]))
    assert "office" in staff_page.content.decode()
    admin_page = client.get(reverse("admin:cooperation_forum_history", args=[world.forum_a.pk]))
    assert admin_page.status_code == 200 and "Anna Kowalska" in admin_page.content.decode()
    listing = client.get(reverse("admin:history_changerecord_changelist") + "?q=Forum+A")
    assert listing.status_code == 200 and "Forum A" in listing.content.decode()


def test_contact_persons_are_not_shown_in_the_public_history(world, client):
    save_record(record=world.partner, values={"contact_email": "osoba@example.org"}, user=world.users["office"])
    public = client.get(reverse("history:record", args=["cooperation", "partner", world.partner.pk])).content.decode()
    api = client.get(f"/api/cooperation/partners/{world.partner.pk}/history").content.decode()
    assert "osoba@example.org" not in public and "osoba@example.org" not in api
    client.force_login(world.users["office"])
    staff = client.get(reverse("history:record", args=["cooperation", "partner", world.partner.pk])).content.decode()
    assert "osoba@example.org" in staff


def test_history_of_drafts_is_for_staff_only(world, client):
    Forum.objects.filter(pk=world.forum_a.pk).update(published=False)
    url = reverse("history:record", args=["cooperation", "forum", world.forum_a.pk])
    assert client.get(url).status_code == 404
    client.force_login(world.users["editor"])
    assert client.get(url).status_code == 200


def test_the_history_page_has_one_address_and_the_old_ones_redirect_to_it(world, client):
    url = reverse("history:record", args=["strategy", "action", world.action_a.pk])
    assert url == f"/history/strategy/action/{world.action_a.pk}/"
    assert client.get(url).status_code == 200
    moved = {
        f"/strategy/history/action/{world.action_a.pk}/": url,
        f"/events/history/event/{world.event_skawina.pk}/": f"/history/events/event/{world.event_skawina.pk}/",
        f"/registry-history/forum/{world.forum_a.pk}/": f"/history/cooperation/forum/{world.forum_a.pk}/",
    }
    for old, new in moved.items():
        answer = client.get(old)
        assert (answer.status_code, answer["Location"]) == (301, new)


def test_the_history_of_a_role_assignment_is_for_the_office_alone(world, client):
    """Who holds which role is the office's to read: a staff account without a role gets no history page."""
    assignment = world.users["editor"].role_assignments.get()
    url = reverse("history:record", args=["access", "roleassignment", assignment.pk])
    assert client.get(url).status_code == 404
    for name, status in (("site-editor", 404), ("staff", 404), ("coordinator", 404), ("editor", 404),
                         ("office", 200)):
        client.force_login(world.users[name])
        assert client.get(url).status_code == status, name
    assert client.get(reverse("history:record", args=["territory", "unit", world.skawina.pk])).status_code == 404
    assert client.get(reverse("history:record", args=["nowhere", "thing", 1])).status_code == 404

