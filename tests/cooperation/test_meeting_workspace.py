"""A meeting's workspace: numbered decisions, the agenda, attendance, invitations by e-mail with an iCalendar
request, the list of meetings across forums and member activity."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from obserwatorium.access.models import Role
from obserwatorium.cooperation import meeting_selectors, selectors
from obserwatorium.cooperation.invitations import send_invitations
from obserwatorium.cooperation.meeting_services import add_decision, record_attendance, save_agenda
from obserwatorium.cooperation.models import (
    AgendaItem,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    MeetingAttachment,
)
from obserwatorium.history.models import ChangeAction, ChangeRecord
from obserwatorium.notifications.models import MailPreference
from obserwatorium.territory.models import Unit
from tests.form_checks import assert_errors_beside_their_fields
from tests.registry_fixtures import make_user, when
from tests.scratch_databases import run_module, scratch_environment  # noqa: F401

pytestmark = pytest.mark.django_db


def test_decisions_are_numbered_in_order_within_each_meeting_and_a_number_is_never_reused(world):
    secretary = world.users["secretary"]
    numbers = [add_decision(meeting=world.meeting_b, values={"text": f"Uchwała {i}"}, user=secretary).number
               for i in range(3)]
    assert numbers == [1, 2, 3]
    first = add_decision(meeting=world.meeting_a, values={"text": "Inna"}, user=world.users["coordinator"])
    assert first.number == 1
    Decision.objects.filter(meeting=world.meeting_b, number=3).delete()  # e.g. removed in the admin
    assert add_decision(meeting=world.meeting_b, values={"text": "Po usunięciu"}, user=secretary).number == 3
    # The admin's inline saves without a number: the model gives the next one.
    assert Decision.objects.create(meeting=world.meeting_b, text="Z panelu").number == 4
    assert ChangeRecord.objects.filter(content_type__model="decision", action=ChangeAction.CREATED).count() >= 4


def test_a_decision_outside_the_users_forum_is_refused_and_nothing_is_recorded(world):
    with pytest.raises(PermissionDenied):
        add_decision(meeting=world.meeting_a, values={"text": "Nie moja"}, user=world.users["secretary"])
    assert not Decision.objects.exists()


def test_a_linked_decision_says_whether_it_creates_or_changes_the_action(world):
    secretary = world.users["secretary"]
    with pytest.raises(ValidationError) as refused:
        add_decision(meeting=world.meeting_b, values={"text": "Zmiana", "action": world.action_b}, user=secretary)
    assert "effect" in refused.value.message_dict
    with pytest.raises(ValidationError):
        add_decision(meeting=world.meeting_b, values={"text": "Oba", "action": world.action_b,
                                                      "action_plan": world.plan_b, "effect": "changes"},
                     user=secretary)
    decision = add_decision(meeting=world.meeting_b, values={"text": "Zmiana", "action": world.action_b,
                                                             "effect": "changes", "due_on": when(1).date()},
                            user=secretary)
    assert decision.number == 1 and list(world.action_b.decisions.all()) == [decision]


def test_the_decision_form_names_the_field_at_fault_and_saves_nothing(world, client):
    client.force_login(world.users["secretary"])
    url = reverse("cooperation:meeting-decision-add", args=[world.meeting_b.pk])
    response = client.post(url, {"text": "", "follow_up": "open", "due_on": "32.13.2024"})
    page = response.content.decode()
    assert response.status_code == 400 and not Decision.objects.exists()
    assert 'id="error-summary"' in page and 'href="#id_text"' in page and 'href="#id_due_on"' in page
    assert 'aria-invalid="true"' in page
    assert client.post(url, {"text": "Przyjęto plan", "follow_up": "open"}).status_code == 302
    meeting_page = client.get(reverse("cooperation:meeting", args=[world.meeting_b.pk])).content.decode()
    assert 'id="decision-1"' in meeting_page and "Przyjęto plan" in meeting_page


def test_the_agenda_is_saved_as_ordered_items_with_history(world, client):
    client.force_login(world.users["secretary"])
    url = reverse("cooperation:meeting-agenda", args=[world.meeting_b.pk])
    assert client.post(url, {"items": "Otwarcie\n\nBudżet 2025\nWolne wnioski"}).status_code == 302
    assert [(i.position, i.title) for i in world.meeting_b.agenda_items.all()] == [
        (1, "Otwarcie"), (2, "Budżet 2025"), (3, "Wolne wnioski")]
    assert client.post(url, {"items": "Otwarcie\nWolne wnioski"}).status_code == 302
    assert [i.title for i in world.meeting_b.agenda_items.all()] == ["Otwarcie", "Wolne wnioski"]
    changes = ChangeRecord.objects.filter(content_type__model="agendaitem")
    assert changes.filter(action=ChangeAction.DELETED).count() == 1
    assert changes.filter(action=ChangeAction.CHANGED).count() == 1  # item 2 took the third's text
    assert {c.user_id for c in changes} == {world.users["secretary"].pk}
    assert "Wolne wnioski" in client.get(reverse("cooperation:meeting", args=[world.meeting_b.pk])).content.decode()


def _members(world, forum):
    forum.member_units.add(world.skawina, world.wieliczka)
    forum.member_institutions.add(world.partner)


def test_attendance_by_gmina_and_partner_is_recorded_and_cleared(world, client):
    _members(world, world.forum_b)
    client.force_login(world.users["secretary"])
    url = reverse("cooperation:meeting-attendance", args=[world.meeting_b.pk])
    form = client.get(url).content.decode()
    assert f'for="id_unit-{world.skawina.pk}"' in form and f'name="partner-{world.partner.pk}"' in form
    response = client.post(url, {f"unit-{world.skawina.pk}": "present", f"unit-{world.wieliczka.pk}": "excused",
                                 f"partner-{world.partner.pk}": "absent"})
    assert response.status_code == 302
    marks = {(a.unit_id, a.partner_id): a.status for a in Attendance.objects.filter(meeting=world.meeting_b)}
    assert marks == {(world.skawina.pk, None): "present", (world.wieliczka.pk, None): "excused",
                     (None, world.partner.pk): "absent"}
    assert client.post(url, {f"unit-{world.skawina.pk}": "present", f"unit-{world.wieliczka.pk}": "",
                             f"partner-{world.partner.pk}": "xx"}).status_code == 400  # not a choice: nothing
    assert Attendance.objects.filter(meeting=world.meeting_b).count() == 3
    client.post(url, {f"unit-{world.skawina.pk}": "present", f"unit-{world.wieliczka.pk}": "",
                      f"partner-{world.partner.pk}": "absent"})
    assert set(Attendance.objects.filter(meeting=world.meeting_b).values_list("unit", flat=True)) == {
        world.skawina.pk, None}
    assert ChangeRecord.objects.filter(content_type__model="attendance", action=ChangeAction.DELETED).count() == 1
    assert world.meeting_b.present_gminy == [world.skawina]


def test_activity_counts_the_meetings_each_gmina_attended_per_forum_and_year(world):
    office = world.users["office"]
    _members(world, world.forum_b)
    later = Meeting.objects.create(forum=world.forum_b, starts_at=when(5, year=2025))
    draft = Meeting.objects.create(forum=world.forum_b, starts_at=when(6, year=2025), published=False)
    for meeting in (world.meeting_b, later, draft):
        record_attendance(meeting=meeting, marks={("unit", world.skawina.pk): "present",
                                                  ("unit", world.wieliczka.pk): "absent"}, user=office)
    record_attendance(meeting=world.meeting_a, marks={("unit", world.skawina.pk): "present"}, user=office)
    table = meeting_selectors.year_table(meeting_selectors.attended_counts(forum=world.forum_b))
    assert table.years == [2024, 2025]
    assert [(row.label, row.counts) for row in table.rows] == [("Skawina", [1, 1])]  # absent and drafts not
    per_forum = meeting_selectors.year_table(meeting_selectors.attended_counts(unit_id=world.skawina.pk))
    assert [(row.label, row.counts) for row in per_forum.rows] == [("Forum A", [1, 0]), ("Forum B", [1, 1])]
    assert selectors.represented_meeting_counts([world.skawina.pk]) == {(world.skawina.pk, 2024): 2,
                                                                        (world.skawina.pk, 2025): 1}
    assert meeting_selectors.held_counts(forum=world.forum_b, now=when(1, year=2026)) == {2024: 1, 2025: 1}
    assert meeting_selectors.held_counts(forum=world.forum_b, now=when(1, year=2025)) == {2024: 1}


def test_forum_and_municipality_pages_show_the_activity_table_and_chart(world, client):
    _members(world, world.forum_b)
    record_attendance(meeting=world.meeting_b, marks={("unit", world.skawina.pk): "present"},
                      user=world.users["office"])
    for language, heading in (("pl", "Udział w spotkaniach"), ("en", "Meetings attended per member gmina")):
        client.cookies["django_language"] = language
        page = client.get(reverse("cooperation:forum", args=["forum-b"])).content.decode()
        assert heading in page and 'id="activity-spec"' in page and 'data-spec="activity-spec"' in page
    client.cookies["django_language"] = "pl"
    unit_page = client.get(reverse("web:unit", args=[world.skawina.slug])).content.decode()
    assert 'id="activity-spec"' in unit_page and "Forum B" in unit_page


def test_the_meeting_list_filters_by_forum_domain_year_gmina_and_time(world, client):
    _members(world, world.forum_b)
    coming = Meeting.objects.create(forum=world.forum_b, starts_at=timezone.now() + timedelta(days=3), place="Nowa")
    record_attendance(meeting=world.meeting_b, marks={("unit", world.skawina.pk): "present"},
                      user=world.users["office"])
    url = reverse("cooperation:meetings")

    def found(**query) -> set[int]:
        response = client.get(url, query)
        assert response.status_code == 200
        return {m.pk for m in response.context["page"].object_list}

    assert found() == {world.meeting_a.pk, world.meeting_b.pk, coming.pk}
    assert found(forum="forum-a") == {world.meeting_a.pk}
    assert found(domain=world.domain_b.code) == {world.meeting_b.pk, coming.pk}
    assert found(year="2024") == {world.meeting_a.pk, world.meeting_b.pk}
    assert found(unit=world.skawina.teryt) == {world.meeting_b.pk}
    assert found(when="upcoming") == {coming.pk}
    assert found(when="past", forum="forum-b") == {world.meeting_b.pk}
    refused = client.get(url, {"year": "20x4"})
    assert refused.status_code == 400 and 'href="#id_year"' in refused.content.decode()


def test_the_meeting_list_is_paginated_and_keeps_the_filters(world, client):
    Meeting.objects.bulk_create([Meeting(forum=world.forum_b, starts_at=when(1, month=m % 12 + 1, year=2020 + m // 12))
                                 for m in range(30)])
    page = client.get(reverse("cooperation:meetings"), {"forum": "forum-b"})
    assert len(page.context["page"].object_list) == 25 and page.context["page"].paginator.count == 31
    assert "?forum=forum-b&amp;page=2" in page.content.decode()
    second = client.get(reverse("cooperation:meetings"), {"forum": "forum-b", "page": "2"})
    assert len(second.context["page"].object_list) == 6


def _invitable(world):
    """Forum B with two member gminy and a member institution; addresses for some of the people."""
    _members(world, world.forum_b)
    users = world.users
    type(users["secretary"]).objects.filter(username="secretary").update(email="sekretarz@example.org",
                                                                         first_name="Anna", last_name="Sekretarz")
    type(users["editor"]).objects.filter(username="editor").update(email="skawina@example.org")
    type(users["public"]).objects.filter(username="public").update(email="ktos@example.org")
    inactive = make_user("wieliczka-editor", role=Role.MUNICIPAL_EDITOR, unit=world.wieliczka)
    type(inactive).objects.filter(pk=inactive.pk).update(email="wieliczka@example.org", is_active=False)
    elsewhere = Unit.objects.gminy().exclude(pk__in=[world.skawina.pk, world.wieliczka.pk]).first()
    outsider = make_user("outsider-editor", role=Role.MUNICIPAL_EDITOR, unit=elsewhere)  # not a member gmina
    type(outsider).objects.filter(pk=outsider.pk).update(email="inna-gmina@example.org")
    world.partner.contact_email, world.partner.contact_name = "kbf@example.org", "Jan Kowalski"
    world.partner.save()
    coming = (timezone.now() + timedelta(days=10)).replace(microsecond=0)
    Meeting.objects.filter(pk=world.meeting_b.pk).update(starts_at=coming, ends_at=coming + timedelta(hours=2))
    world.meeting_b.refresh_from_db()
    save_agenda(meeting=world.meeting_b, titles=["Otwarcie", "Budżet"], user=users["office"])
    return users["secretary"].__class__.objects.get(username="secretary")


def _calendar(message) -> Calendar:
    (name, content, mimetype), = message.attachments
    assert name == "invitation.ics" and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def test_invitations_go_to_the_forum_members_with_an_icalendar_request(world):
    secretary = _invitable(world)
    invitation = send_invitations(meeting=world.meeting_b, user=secretary, base_url="https://obs.example.org/")
    expected = {"sekretarz@example.org", "skawina@example.org", "kbf@example.org"}
    assert {address for message in mail.outbox for address in message.to} == expected
    assert all(len(message.to) == 1 for message in mail.outbox)  # nobody sees the others' addresses
    calendar = _calendar(mail.outbox[0])
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert {str(a).removeprefix("mailto:") for a in event["attendee"]} == expected
    assert str(event["organizer"]) == "mailto:sekretarz@example.org" and event["organizer"].params["CN"] == \
        "Anna Sekretarz"
    assert str(event["uid"]) == f"meeting-{world.meeting_b.pk}@obserwatorium" and int(event["sequence"]) == 0
    assert event["dtstart"].dt == world.meeting_b.starts_at and "2. Budżet" in str(event["description"])
    assert invitation.sent_by == secretary and {r["email"] for r in invitation.recipients} == expected
    assert {r["reason"] for r in invitation.recipients} == {"secretary", "gmina", "institution"}


def test_a_changed_time_raises_the_sequence_and_keeps_the_uid(world):
    secretary = _invitable(world)
    send_invitations(meeting=world.meeting_b, user=secretary, base_url="https://obs.example.org/")
    send_invitations(meeting=world.meeting_b, user=secretary, base_url="https://obs.example.org/")
    assert [i.sequence for i in Invitation.objects.order_by("pk")] == [0, 0]  # nothing changed: the same
    world.meeting_b.starts_at += timedelta(hours=1)
    world.meeting_b.save()
    mail.outbox.clear()
    send_invitations(meeting=world.meeting_b, user=secretary, base_url="https://obs.example.org/")
    (event,) = _calendar(mail.outbox[0]).walk("VEVENT")
    assert int(event["sequence"]) == 1 and str(event["uid"]) == f"meeting-{world.meeting_b.pk}@obserwatorium"
    assert mail.outbox[0].subject.startswith("Zmiana")


def test_the_invitation_text_is_in_the_language_of_each_recipient(world):
    secretary = _invitable(world)
    MailPreference.objects.create(user=secretary, language="en")
    send_invitations(meeting=world.meeting_b, user=secretary, base_url="https://obs.example.org/")
    english = next(m for m in mail.outbox if m.to == ["sekretarz@example.org"])
    polish = next(m for m in mail.outbox if m.to == ["kbf@example.org"])  # a partner: Polish, no account
    assert english.subject == "Invitation: meeting of Forum B" and polish.subject == "Zaproszenie: spotkanie – Forum B"
    assert "You are invited to a meeting of Forum B." in english.body and "Zapraszamy" not in english.body
    assert "Zapraszamy na spotkanie Forum B." in polish.body and "Porządek obrad" in polish.body
    assert "Agenda" in english.body and "1. Otwarcie" in polish.body and "1. Otwarcie" in english.body
    assert all(f"https://obs.example.org/forums/meetings/{world.meeting_b.pk}/" in m.body for m in mail.outbox)


def test_invitations_to_a_past_meeting_are_refused_and_nothing_is_sent_or_recorded(world, client):
    _invitable(world)
    Meeting.objects.filter(pk=world.meeting_b.pk).update(starts_at=when(5))
    client.force_login(world.users["secretary"])
    response = client.post(reverse("cooperation:meeting-invitations", args=[world.meeting_b.pk]))
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    assert not mail.outbox and not Invitation.objects.exists()


def test_the_invitations_page_lists_who_will_be_and_who_was_invited(world, client):
    _invitable(world)
    client.force_login(world.users["secretary"])
    url = reverse("cooperation:meeting-invitations", args=[world.meeting_b.pk])
    page = client.get(url).content.decode()
    assert "kbf@example.org" in page and "ktos@example.org" not in page and "wieliczka@example.org" not in page
    assert "inna-gmina@example.org" not in page
    assert client.post(url).status_code == 302 and len(mail.outbox) == 3
    assert "Anna Sekretarz" in client.get(url).content.decode()


def test_an_internal_attachment_is_shown_only_to_those_who_write_the_meeting(world, client):
    MeetingAttachment.objects.create(meeting=world.meeting_b, title="Projekt protokołu", url="https://x.example/p",
                                     internal=True)
    url = reverse("cooperation:meeting", args=[world.meeting_b.pk])
    assert "Projekt protokołu" not in client.get(url).content.decode()
    client.force_login(world.users["secretary"])
    assert "Projekt protokołu" in client.get(url).content.decode()


def test_the_api_gives_the_agenda_decisions_and_attendance(world, client):
    office = world.users["office"]
    save_agenda(meeting=world.meeting_b, titles=["Otwarcie"], user=office)
    add_decision(meeting=world.meeting_b, values={"text": "Przyjęto"}, user=office)
    record_attendance(meeting=world.meeting_b, marks={("unit", world.skawina.pk): "present",
                                                      ("partner", world.partner.pk): "excused"}, user=office)
    body = client.get(f"/api/cooperation/meetings/{world.meeting_b.pk}").json()
    assert body["agenda"] == ["Otwarcie"] and body["decisions"][0]["number"] == 1
    assert body["units_represented"] == [world.skawina.pk]
    assert {"partner": world.partner.pk, "status": "excused"} in body["attendance"]


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_workspace_pages_answer_in_both_languages(world, client, language):
    _members(world, world.forum_b)
    client.force_login(world.users["secretary"])
    client.cookies["django_language"] = language
    decision = add_decision(meeting=world.meeting_b, values={"text": "Przyjęto"}, user=world.users["secretary"])
    words = {"pl": "Porządek obrad", "en": "Agenda"}[language]
    pk = world.meeting_b.pk
    for name, args in (("cooperation:meetings", []), ("cooperation:meeting", [pk]),
                       ("cooperation:meeting-agenda", [pk]), ("cooperation:meeting-decision-add", [pk]),
                       ("cooperation:decision-edit", [decision.pk]), ("cooperation:meeting-attendance", [pk]),
                       ("cooperation:meeting-invitations", [pk])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert f'lang="{language}"' in response.content.decode()
    assert words in client.get(reverse("cooperation:meeting", args=[pk])).content.decode()
    assert AgendaItem.objects.count() == 0


def test_the_migration_moves_the_agenda_decisions_and_gminy_represented_without_loss(scratch_environment):  # noqa: F811
    from django.db import connection

    env = scratch_environment("postgresql" if connection.vendor == "postgresql" else "sqlite")
    ran = run_module("tests.cooperation.meeting_migration_run", env=env, timeout=300)
    assert ran.returncode == 0, ran.stderr[-3000:]
    forward, backward = (json.loads(line) for line in ran.stdout.strip().splitlines()[-2:])
    assert forward == {"agenda": [[1, "Otwarcie"], [2, "Budżet 2024"], [3, "Wolne wnioski"]],
                       "decisions": [[1, "Przyjęto protokół"], [2, "Powołano zespół ds. danych"]],
                       "present": [["Gmina 0", "present"], ["Gmina 1", "present"]], "records": 2}
    assert backward == {"agenda": "1. Otwarcie\n2. Budżet 2024\n3. Wolne wnioski",
                        "decisions": "1. Przyjęto protokół\n2. Powołano zespół ds. danych",
                        "represented": ["Gmina 0", "Gmina 1"]}


def test_the_meeting_form_summarises_its_errors_on_top(world, client):
    client.force_login(world.users["secretary"])
    response = client.post(reverse("cooperation:meeting-add", args=["forum-b"]), {"place": "bez daty"})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="error-summary"' in page and 'href="#id_starts_at"' in page
    assert not Meeting.objects.filter(place="bez daty").exists()


def test_the_meeting_form_puts_each_error_beside_its_field(world, client):
    client.force_login(world.users["secretary"])
    response = client.post(reverse("cooperation:meeting-add", args=["forum-b"]),
                           {"place": "bez daty", "starts_at": "jutro"}, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400
    assert assert_errors_beside_their_fields(response.content.decode(), {"id_starts_at"}).startswith("Popraw ")
