"""Every role × every write path: allowed (and the change is made), or refused with 403 and nothing changed.

Roles: office administrator, domain coordinator (domain A), municipal editor (Skawina; also as an account without
Django's staff flag), forum secretary (forum B), a staff account without a role (writes nothing: least privilege)
and the public (a signed-in account without a role). The admin lets only staff in, so it answers the public and
the non-staff editor with its login page instead of 403; nothing changes either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from obserwatorium.access import rules
from obserwatorium.access.models import RoleAssignment
from obserwatorium.collection.models import DataRequest, Submission
from obserwatorium.cooperation.models import (
    AgendaItem,
    Attendance,
    Decision,
    Document,
    DocumentVersion,
    Forum,
    Invitation,
    Meeting,
    Partner,
    Project,
)
from obserwatorium.events.models import Event, EventFeed
from obserwatorium.history.models import ChangeRecord
from obserwatorium.history.tracking import snapshot
from obserwatorium.indicators.models import Indicator, Observation
from obserwatorium.news.models import Article
from obserwatorium.numbers import format_number
from obserwatorium.reports.models import Draft, Edition, Editorial
from obserwatorium.strategy.models import Action, ActionPlan, Strategy
from tests.admin_forms import admin_form_data
from tests.news.articles import news_of
from tests.registry_fixtures import ROLES, World, when

pytestmark = pytest.mark.django_db

ALL = frozenset(ROLES)


def _admin_url(model, name: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


@dataclass(frozen=True)
class Target:
    """One record (or one kind of record to add) and who may write it."""

    name: str
    model: type
    allowed: frozenset[str]
    record: Callable[[World], Any] | None = None  # None: a create


# Path runners: (client, world, target) → response
def admin_change(field: str, value: Any):
    def run(client, world, target):
        record = target.record(world)
        data = admin_form_data(world.users["office"], target.model, record, **{field: value})
        return client.post(_admin_url(target.model, "change", record.pk), data)
    return run


def admin_change_to(values: Callable[[World], dict]):
    def run(client, world, target):
        record = target.record(world)
        data = admin_form_data(world.users["office"], target.model, record, **values(world))
        return client.post(_admin_url(target.model, "change", record.pk), data)
    return run


def admin_add(values: Callable[[World], dict]):
    def run(client, world, target):
        data = admin_form_data(world.users["office"], target.model, None, **values(world))
        return client.post(_admin_url(target.model, "add"), data)
    return run


def admin_archive(client, world, target):
    record = target.record(world)
    return client.post(_admin_url(target.model, "changelist"),
                       {"action": "archive_selected", "_selected_action": [record.pk], "index": 0})


def api_patch(path: str, payload: dict):
    def run(client, world, target):
        return client.patch(f"/api/{path}/{target.record(world).pk}", json.dumps(payload),
                            content_type="application/json")
    return run


def api_patch_to(path: str, payload: Callable[[World], dict]):
    def run(client, world, target):
        return client.patch(f"/api/{path}/{target.record(world).pk}", json.dumps(payload(world)),
                            content_type="application/json")
    return run


def api_create(path: str, payload: Callable[[World], dict]):
    def run(client, world, target):
        return client.post(f"/api/{path}", json.dumps(payload(world), default=str), content_type="application/json")
    return run


def api_archive(path: str):
    def run(client, world, target):
        return client.post(f"/api/{path}/{target.record(world).pk}/archive")
    return run


def page_post(url: Callable[[World], str], data: Callable[[World], dict]):
    def run(client, world, target):
        return client.post(url(world), data(world))
    return run


def _meeting_page_data(world):
    return {"starts_at": "2024-05-06T10:00", "place": "Sala 5"}


def _event_page_data(world):
    return {"title": "Nowe wydarzenie", "category": "concert", "starts_at": "2024-06-01T18:00",
            "unit": world.skawina.pk, "published": "on"}


TARGETS_AND_PATHS: list[tuple[Target, str, Callable]] = []


def case(target: Target, **paths: Callable) -> None:
    TARGETS_AND_PATHS.extend((target, path, run) for path, run in paths.items())


action_a = Target("action A (domain A, Wieliczka)", Action, frozenset({"office", "coordinator"}),
                  lambda w: w.action_a)
action_b = Target("action B (domain B, Skawina)", Action, frozenset({"office", "editor"}), lambda w: w.action_b)
for action in (action_a, action_b):
    case(action, admin=admin_change("progress", 55), api=api_patch("strategy/actions", {"progress": 55}),
         page=page_post(lambda w, a=action: reverse("strategy:action-progress", args=[a.record(w).pk]),
                        lambda w: {"progress": "55", "status": "in-progress"}))
# Before and after: a scoped user changes only records in their scope and cannot move one out of it; a gmina
# reports its action's progress and status but does not re-plan or re-weight the strategy.
case(Target("action B moved to plan A by its gmina", Action, frozenset({"office"}), lambda w: w.action_b),
     admin=admin_change_to(lambda w: {"plan": w.plan_a.pk}),
     api=api_patch_to("strategy/actions", lambda w: {"plan": w.plan_a.pk}))
case(Target("action B weighted 1000 by its gmina", Action, frozenset({"office"}), lambda w: w.action_b),
     admin=admin_change("weight", 1000), api=api_patch("strategy/actions", {"weight": 1000}))
case(Target("action A moved to plan B by its coordinator", Action, frozenset({"office"}), lambda w: w.action_a),
     admin=admin_change_to(lambda w: {"plan": w.plan_b.pk}),
     api=api_patch_to("strategy/actions", lambda w: {"plan": w.plan_b.pk}))
case(Target("event in Skawina moved to Wieliczka", Event, frozenset({"office"}), lambda w: w.event_skawina),
     admin=admin_change_to(lambda w: {"unit": w.wieliczka.pk}),
     api=api_patch_to("events/events", lambda w: {"unit": w.wieliczka.pk}),
     page=page_post(lambda w: reverse("events:event-edit", args=[w.event_skawina.pk]),
                    lambda w: {**_event_page_data(w), "unit": w.wieliczka.pk}))
case(Target("meeting B moved to forum A by its secretary", Meeting, frozenset({"office"}),
            lambda w: w.meeting_b),
     admin=admin_change_to(lambda w: {"forum": w.forum_a.pk}),
     api=api_patch_to("cooperation/meetings", lambda w: {"forum": w.forum_a.pk}))
case(Target("plan A", ActionPlan, frozenset({"office", "coordinator"}), lambda w: w.plan_a),
     admin=admin_change("name_pl", "Plan A zmieniony"), api=api_patch("strategy/plans", {"name_pl": "Plan A2"}))
case(Target("plan B", ActionPlan, frozenset({"office"}), lambda w: w.plan_b),
     admin=admin_change("name_pl", "Plan B zmieniony"), api=api_patch("strategy/plans", {"name_pl": "Plan B2"}))
case(Target("strategy", Strategy, frozenset({"office"}), lambda w: w.strategy),
     admin=admin_change("name_en", "Strategy 2030"), api=api_patch("strategy/strategies", {"name_en": "S 2030"}))
case(Target("forum A", Forum, frozenset({"office", "coordinator"}), lambda w: w.forum_a),
     admin=admin_change("coordinator", "Jan Nowak"), api=api_patch("cooperation/forums", {"coordinator": "J. N."}),
     admin_archive=admin_archive, api_archive=api_archive("cooperation/forums"))
case(Target("forum B", Forum, frozenset({"office"}), lambda w: w.forum_b),
     admin=admin_change("coordinator", "Jan Nowak"), api=api_patch("cooperation/forums", {"coordinator": "J. N."}))
for meeting, allowed in (("meeting_a", {"office", "coordinator"}), ("meeting_b", {"office", "secretary"})):
    target = Target(meeting.replace("_", " "), Meeting, frozenset(allowed), lambda w, m=meeting: getattr(w, m))
    case(target, admin=admin_change("place", "Sala 9"), api=api_patch("cooperation/meetings", {"place": "Sala 9"}),
         page=page_post(lambda w, t=target: reverse("cooperation:meeting-edit", args=[t.record(w).pk]),
                        _meeting_page_data))
# Moderation: a gmina's editor writes their gmina's drafts and submits them; a published event is the office's
# (its gmina may only withdraw or archive it); only the office publishes and rejects.
for event, allowed in (("event_skawina_draft", {"office", "editor"}), ("event_skawina", {"office"}),
                       ("event_wieliczka", {"office"}), ("event_wieliczka_draft", {"office"})):
    target = Target(event.replace("_", " "), Event, frozenset(allowed), lambda w, e=event: getattr(w, e))
    case(target, admin=admin_change("venue", "Rynek"), api=api_patch("events/events", {"venue": "Rynek"}),
         page=page_post(lambda w, t=target: reverse("events:event-edit", args=[t.record(w).pk]),
                        lambda w, t=target: {**_event_page_data(w), "unit": t.record(w).unit_id}))
for event, allowed in (("event_skawina_draft", {"office", "editor"}), ("event_skawina", {"office", "editor"}),
                       ("event_wieliczka", {"office"})):
    case(Target(f"{event.replace('_', ' ')} archived", Event, frozenset(allowed), lambda w, e=event: getattr(w, e)),
         admin_archive=admin_archive, api_archive=api_archive("events/events"))


def event_step(step: str, data: Callable[[World, Any], dict] | None = None):
    """The page (POST /events/<pk>/<step>/) and the API (POST /api/events/events/<pk>/<step>) of one step."""
    def page(client, world, target):
        record = target.record(world)
        return client.post(reverse(f"events:event-{step}", args=[record.pk]), data(world, record) if data else {})

    def api(client, world, target):
        record = target.record(world)
        body = {key.rsplit("-", 1)[-1]: value for key, value in (data(world, record) if data else {}).items()}
        return client.post(f"/api/events/events/{record.pk}/{step}", json.dumps(body),
                           content_type="application/json")
    return {"page": page, "api": api}


def _reason(world, record):
    return {f"reject-{record.pk}-reason": "Brak adresu."}


def _publish_selected(client, world, target):
    return client.post(reverse("events:moderation-publish"), {"selected": [target.record(world).pk]})


def _admin_moderation(action: str, extra: dict | None = None):
    """An action of the events admin on the selected event (reject: the reason page sent back)."""
    def run(client, world, target):
        return client.post(_admin_url(Event, "changelist"), {"action": action, "index": 0, **(extra or {}),
                                                             "_selected_action": [target.record(world).pk]})
    return run


case(Target("submit the Skawina draft", Event, frozenset({"office", "editor"}), lambda w: w.event_skawina_draft),
     **event_step("submit"))
case(Target("submit the Wieliczka draft", Event, frozenset({"office"}), lambda w: w.event_wieliczka_draft),
     **event_step("submit"))
case(Target("publish the submitted Skawina event", Event, frozenset({"office"}), lambda w: w.event_skawina_submitted),
     **event_step("publish"), page_selected=_publish_selected, admin_publish=_admin_moderation("publish_selected"))
case(Target("reject the submitted Skawina event", Event, frozenset({"office"}), lambda w: w.event_skawina_submitted),
     **event_step("reject", _reason),
     admin_reject=_admin_moderation("reject_selected", {"apply": "1", "reason": "Brak adresu."}))
case(Target("withdraw the published Skawina event", Event, frozenset({"office", "editor"}),
            lambda w: w.event_skawina), **event_step("withdraw"))
case(Target("withdraw the published Wieliczka event", Event, frozenset({"office"}), lambda w: w.event_wieliczka),
     **event_step("withdraw"))
case(Target("project", Project, frozenset({"office"}), lambda w: w.project),
     admin=admin_change("website", "https://example.org/comanage"),
     api=api_patch("cooperation/projects", {"status": "completed"}))
case(Target("partner", Partner, frozenset({"office"}), lambda w: w.partner),
     admin=admin_change("kind", "ngo"), api=api_patch("cooperation/partners", {"kind": "ngo"}))

# News: a coordinator writes their domain's drafts, a gmina editor their gmina's; only the office publishes,
# changes or archives what is published.
def _article_page_data(world, article):
    return {"title": "Nowy tytuł", "slug": article.slug, "language": "pl", "lead": "Nowa zajawka",
            "domain": article.domain_id, "unit": article.unit_id or ""}


for name, allowed in (("draft_a", {"office", "coordinator"}), ("draft_skawina", {"office", "editor"}),
                      ("draft_b", {"office"}), ("published_a", {"office"})):
    target = Target(f"news {name.replace('_', ' ')}", Article, frozenset(allowed),
                    lambda w, n=name: getattr(news_of(w), n))
    case(target, admin=admin_change("lead", "Nowa zajawka"), api=api_patch("news/articles", {"lead": "Nowa"}),
         page=page_post(lambda w, t=target: reverse("news:article-edit", args=[t.record(w).slug]),
                        lambda w, t=target: _article_page_data(w, t.record(w))),
         admin_archive=admin_archive, api_archive=api_archive("news/articles"))
case(Target("news draft A moved to domain B by its coordinator", Article, frozenset({"office"}),
            lambda w: news_of(w).draft_a),
     admin=admin_change_to(lambda w: {"domain": w.domain_b.pk}),
     api=api_patch_to("news/articles", lambda w: {"domain": w.domain_b.pk}))
for action, name, allowed in (("submit", "draft_a", {"office", "coordinator"}), ("publish", "review_a", {"office"}),
                              ("unpublish", "published_a", {"office"})):
    target = Target(f"news {name.replace('_', ' ')} {action}", Article, frozenset(allowed),
                    lambda w, n=name: getattr(news_of(w), n))
    case(target, api=lambda c, w, t, a=action: c.post(f"/api/news/articles/{t.record(w).pk}/{a}"),
         page=page_post(lambda w, t=target, a=action: reverse("news:article-action", args=[t.record(w).slug, a]),
                        lambda w: {}))
# Event feeds: a gmina's editor adds and runs their own gmina's feed; whether it is trusted (its events published
# without review) is the office's decision.
def _skawina_feed(world):
    found = EventFeed.objects.filter(unit=world.skawina, name="Kalendarz Skawiny").first()
    if found is None:  # made on first use, outside the history (bulk_create sends no signal): part of the world
        EventFeed.objects.bulk_create([EventFeed(unit=world.skawina, name="Kalendarz Skawiny",
                                                 url="https://skawina.pl/k.ics")])
        found = EventFeed.objects.get(unit=world.skawina, name="Kalendarz Skawiny")
    return found


def _feed_file(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//PL\r\nBEGIN:VEVENT\r\nUID:a@skawina.pl\r\n"
            "DTSTART:20250601T180000Z\r\nSUMMARY:Z kalendarza\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    return {"file": SimpleUploadedFile("k.ics", text.encode(), content_type="text/calendar")}


def _feed_page_data(unit):
    return lambda w: {"unit": getattr(w, unit).pk, "name": "Nowy kanał", "url": "https://example.org/k.ics",
                      "default_category": "other", "active": "on"}


case(Target("event feed of Skawina", EventFeed, frozenset({"office", "editor"}), _skawina_feed),
     admin=admin_change("name", "Kalendarz gminy"),
     page=page_post(lambda w: reverse("events:feed-run", args=[_skawina_feed(w).pk]), _feed_file))
case(Target("event feed of Skawina made trusted", EventFeed, frozenset({"office"}), _skawina_feed),
     admin=admin_change("trusted", True))
case(Target("new event feed in Skawina", EventFeed, frozenset({"office", "editor"})),
     page=page_post(lambda w: reverse("events:feeds"), _feed_page_data("skawina")))
case(Target("new event feed in Wieliczka", EventFeed, frozenset({"office"})),
     page=page_post(lambda w: reverse("events:feeds"), _feed_page_data("wieliczka")))

# Creates
case(Target("new article in domain A", Article, frozenset({"office", "coordinator"})),
     admin=admin_add(lambda w: {"title": "Nowy", "slug": "nowy-a", "lead": "Z.", "language": "pl",
                                "domain": w.domain_a.pk}),
     api=api_create("news/articles", lambda w: {"title": "Nowy", "slug": "nowy-a", "lead": "Z.",
                                                "domain": w.domain_a.pk}),
     page=page_post(lambda w: reverse("news:article-add"), lambda w: {"title": "Nowy", "slug": "nowy-a", "lead": "Z.",
                                                                     "language": "pl", "domain": w.domain_a.pk}))
case(Target("new article about Skawina", Article, frozenset({"office", "editor"})),
     api=api_create("news/articles", lambda w: {"title": "Nowy", "slug": "nowy-s", "lead": "Z.",
                                                "domain": w.domain_b.pk, "unit": w.skawina.pk}),
     page=page_post(lambda w: reverse("news:article-add"), lambda w: {"title": "Nowy", "slug": "nowy-s", "lead": "Z.",
                                                                     "language": "pl", "domain": w.domain_b.pk,
                                                                     "unit": w.skawina.pk}))
case(Target("new meeting of forum B", Meeting, frozenset({"office", "secretary"})),
     admin=admin_add(lambda w: {"forum": w.forum_b.pk, "starts_at": when(9), "place": "Sala 1"}),
     api=api_create("cooperation/meetings", lambda w: {"forum": w.forum_b.pk, "starts_at": when(9).isoformat()}),
     page=page_post(lambda w: reverse("cooperation:meeting-add", args=[w.forum_b.slug]), _meeting_page_data))
case(Target("new event in Skawina", Event, frozenset({"office", "editor"})),
     admin=admin_add(lambda w: {"title": "Festyn", "starts_at": when(12), "unit": w.skawina.pk}),
     api=api_create("events/events", lambda w: {"title": "Festyn", "starts_at": when(12).isoformat(),
                                                "unit": w.skawina.pk}),
     page=page_post(lambda w: reverse("events:event-add"), _event_page_data))
case(Target("new event in Wieliczka", Event, frozenset({"office"})),
     api=api_create("events/events", lambda w: {"title": "Festyn", "starts_at": when(12).isoformat(),
                                                "unit": w.wieliczka.pk}),
     page=page_post(lambda w: reverse("events:event-add"), lambda w: {**_event_page_data(w), "unit": w.wieliczka.pk}))
case(Target("new action in plan A", Action, frozenset({"office", "coordinator"})),
     admin=admin_add(lambda w: {"plan": w.plan_a.pk, "code": "A-9", "name_pl": "Nowe", "status": "planned"}),
     api=api_create("strategy/actions", lambda w: {"plan": w.plan_a.pk, "code": "A-9", "name_pl": "Nowe"}))
case(Target("new role assignment", RoleAssignment, frozenset({"office"})),
     admin=admin_add(lambda w: {"user": w.users["public"].pk, "role": "office-admin"}))


def _editorial(world: World, key: str, domain) -> Editorial:
    """A stored editorial paragraph of the 2022 draft (created without history, so it is not a change here)."""
    found = Editorial.objects.filter(draft__kind="annual", draft__year=2022, section_key=key).first()
    if found is not None:
        return found
    draft = Draft.objects.filter(kind="annual", year=2022, subject="").first() or \
        Draft.objects.bulk_create([Draft(kind="annual", year=2022)])[0]
    return Editorial.objects.bulk_create([Editorial(draft=draft, section_key=key, domain=domain,
                                                    text_pl="Stary", text_en="Old")])[0]


def _editorial_post(key: Callable[[World], str]):
    def run(client, world, target):
        target.record(world)
        section = key(world)
        return client.post(reverse("reports:draft-section", kwargs={"kind": "annual", "year": 2022,
                                                                     "section_key": section}),
                           {f"{section}-text_pl": "Nowy", f"{section}-text_en": "New"})
    return run


# Report drafts and editions: a coordinator writes their domain's section, the office every section; only the
# office publishes (reports.edition has no rule).
case(Target("editorial of domain A's section", Editorial, frozenset({"office", "coordinator"}),
            lambda w: _editorial(w, w.domain_a.code, w.domain_a)),
     page=_editorial_post(lambda w: w.domain_a.code))
case(Target("editorial of the introduction", Editorial, frozenset({"office"}),
            lambda w: _editorial(w, "introduction", None)),
     page=_editorial_post(lambda w: "introduction"))
case(Target("new edition of the 2022 report", Edition, frozenset({"office"})),
     page=page_post(lambda w: reverse("reports:publish", kwargs={"kind": "annual", "year": 2022}), lambda w: {}))


# A meeting's workspace: agenda, decisions, attendance and invitations are written by whoever writes the meeting
# (the forum's secretary, its domain's coordinator, the office), on the meeting's pages.
def _stored_decision(world: World, meeting: Meeting) -> Decision:
    """A decision of the meeting, stored without history (so that storing it is not a change here)."""
    found = Decision.objects.filter(meeting=meeting).first()
    return found or Decision.objects.bulk_create([Decision(meeting=meeting, number=1, text="Przyjęto plan")])[0]


def _member_marked_present(world: World, meeting: Meeting) -> dict:
    """Skawina made a member of the meeting's forum (without history), marked present."""
    Forum.member_units.through.objects.bulk_create(
        [Forum.member_units.through(forum_id=meeting.forum_id, unit_id=world.skawina.pk)], ignore_conflicts=True)
    return {f"unit-{world.skawina.pk}": "present"}


def _invite(client, world, target):
    # A coming meeting and a secretary with an address: set without history, before the invitations are sent.
    Meeting.objects.filter(pk=world.meeting_b.pk).update(starts_at=timezone.now() + timedelta(days=7))
    world.users["secretary"].__class__.objects.filter(username="secretary").update(email="sekretarz@example.org")
    return client.post(reverse("cooperation:meeting-invitations", args=[world.meeting_b.pk]))


for meeting, allowed in (("meeting_a", {"office", "coordinator"}), ("meeting_b", {"office", "secretary"})):
    def _pk(w, m=meeting):
        return getattr(w, m).pk
    label = meeting.replace("_", " ")
    case(Target(f"agenda of {label}", AgendaItem, frozenset(allowed)),
         page=page_post(lambda w, p=_pk: reverse("cooperation:meeting-agenda", args=[p(w)]),
                        lambda w: {"items": "Otwarcie\nSprawy bieżące"}))
    case(Target(f"new decision of {label}", Decision, frozenset(allowed)),
         page=page_post(lambda w, p=_pk: reverse("cooperation:meeting-decision-add", args=[p(w)]),
                        lambda w: {"text": "Przyjęto harmonogram", "follow_up": "open"}))
    case(Target(f"decision of {label}", Decision, frozenset(allowed),
                lambda w, m=meeting: _stored_decision(w, getattr(w, m))),
         page=page_post(lambda w, m=meeting: reverse("cooperation:decision-edit",
                                                     args=[_stored_decision(w, getattr(w, m)).pk]),
                        lambda w: {"text": "Przyjęto plan z poprawkami", "follow_up": "done"}))
    case(Target(f"attendance at {label}", Attendance, frozenset(allowed)),
         page=page_post(lambda w, p=_pk: reverse("cooperation:meeting-attendance", args=[p(w)]),
                        lambda w, m=meeting: _member_marked_present(w, getattr(w, m))))
case(Target("invitations to meeting B", Invitation, frozenset({"office", "secretary"})), page=_invite)


# Documents: the office and the domain's coordinator write a document and upload its next version (on the document's
# page form, in one with its description); a version is never changed or deleted.
def _document(world: World, domain: str) -> Document:
    """A published document of the domain (created without history, so that storing it is not a change here)."""
    slug = f"dokument-{domain}"
    found = Document.objects.filter(slug=slug).first()
    return found or Document.objects.bulk_create([Document(slug=slug, kind="report", title_pl=f"Dokument {domain}",
                                                           domain=getattr(world, domain))])[0]


def _document_page_data(world: World, domain: str, **extra) -> dict:
    return {"title_pl": f"Dokument {domain}", "slug": f"dokument-{domain}", "kind": "report", "status": "adopted",
            "adopted_precision": "day", "domain": getattr(world, domain).pk, "published": "on", **extra}


def _pdf(name: str = "wersja.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 wersja", content_type="application/pdf")


for domain, allowed in (("domain_a", {"office", "coordinator"}), ("domain_b", {"office"})):
    label = domain.replace("_", " ")
    target = Target(f"document of {label}", Document, frozenset(allowed), lambda w, d=domain: _document(w, d))
    case(target, admin=admin_change("summary_pl", "Nowe streszczenie"),
         api=api_patch("cooperation/documents", {"summary_pl": "Nowe"}),
         page=page_post(lambda w, d=domain: reverse("cooperation:document-edit", args=[_document(w, d).slug]),
                        lambda w, d=domain: _document_page_data(w, d)),
         admin_archive=admin_archive, api_archive=api_archive("cooperation/documents"))
    case(Target(f"new version of the document of {label}", DocumentVersion, frozenset(allowed)),
         page=page_post(lambda w, d=domain: reverse("cooperation:document-edit", args=[_document(w, d).slug]),
                        lambda w, d=domain: _document_page_data(w, d, file=_pdf(), note="Wersja")))
    case(Target(f"new document in {label}", Document, frozenset(allowed)),
         admin=admin_add(lambda w, d=domain: {"slug": "nowy-dokument", "kind": "report", "title_pl": "Nowy",
                                              "domain": getattr(w, d).pk}),
         api=api_create("cooperation/documents", lambda w, d=domain: {"slug": "nowy-dokument", "kind": "report",
                                                                      "title_pl": "Nowy", "domain": getattr(w, d).pk}),
         page=page_post(lambda w: reverse("cooperation:document-add"),
                        lambda w, d=domain: {**_document_page_data(w, d), "slug": "nowy-dokument"}))
case(Target("document A moved to domain B by its coordinator", Document, frozenset({"office"}),
            lambda w: _document(w, "domain_a")),
     admin=admin_change_to(lambda w: {"domain": w.domain_b.pk}),
     api=api_patch_to("cooperation/documents", lambda w: {"domain": w.domain_b.pk}),
     page=page_post(lambda w: reverse("cooperation:document-edit", args=[_document(w, "domain_a").slug]),
                    lambda w: _document_page_data(w, "domain_b", slug="dokument-domain_a")))


def _data_request(world: World) -> DataRequest:
    """An open request of the population for 2024 to Skawina and Wieliczka (created without history, so it is not
    a change here)."""
    found = DataRequest.objects.filter(title="Prośba z macierzy").first()
    if found is not None:
        return found
    request = DataRequest.objects.bulk_create([DataRequest(title="Prośba z macierzy", periods=[2024],
                                                           deadline=when(28).date())])[0]
    DataRequest.indicators.through.objects.bulk_create([DataRequest.indicators.through(
        datarequest_id=request.pk, indicator_id=Indicator.objects.get(code="population").pk)])
    DataRequest.gminy.through.objects.bulk_create([DataRequest.gminy.through(datarequest_id=request.pk, unit_id=u.pk)
                                                   for u in (world.skawina, world.wieliczka)])
    Submission.objects.bulk_create([Submission(request=request, unit=u) for u in (world.skawina, world.wieliczka)])
    return request


def _submission(world: World, unit: str, *, submitted: bool = False) -> Submission:
    submission = _data_request(world).submissions.get(unit=getattr(world, unit))
    if submitted and submission.status != "submitted":
        Submission.objects.filter(pk=submission.pk).update(status="submitted")  # as if sent (no history)
        submission.refresh_from_db()
    return submission


def _grid_post(unit: str, action: str):
    """The grid of the unit with its 2024 population: the 2023 value as typed in Polish (asks no confirmation)."""
    def run(client, world, target):
        submission = target.record(world)
        population = Indicator.objects.get(code="population")
        last = Observation.objects.get(indicator=population, unit=getattr(world, unit), period="2023").value
        return client.post(reverse("collection:grid", args=[submission.request_id, getattr(world, unit).teryt]),
                           {"action": action, f"c{population.pk}-2024": format_number(last, language="pl")})
    return run


def _request_post(name: str, data: Callable[[World], dict] = lambda w: {}):
    def run(client, world, target):
        record = target.record(world)
        request = record if isinstance(record, DataRequest) else record.request
        args = [request.pk] if isinstance(record, DataRequest) else [request.pk, record.unit.teryt]
        return client.post(reverse(f"collection:{name}", args=args), data(world))
    return run


# Data requests: the office opens, reminds, reopens, accepts and closes (no rule: the office alone); a gmina's
# editor saves and submits their own gmina's submission of an open request ("collection.submission").
for unit, allowed in (("skawina", {"office", "editor"}), ("wieliczka", {"office"})):
    case(Target(f"submission of {unit} to an open request", Submission, frozenset(allowed),
                lambda w, u=unit: _submission(w, u)),
         page=_grid_post(unit, "save"), page_submit=_grid_post(unit, "submit"))
case(Target("new data request", DataRequest, frozenset({"office"})),
     page=page_post(lambda w: reverse("collection:request-new"), lambda w: {
         "title": "Nowa prośba", "indicators": [Indicator.objects.get(code="population").pk], "periods": "2024",
         "gminy": [w.skawina.pk], "deadline": "2025-02-28"}))
case(Target("data request", DataRequest, frozenset({"office"}), _data_request),
     page_remind=_request_post("request-remind"), page_close=_request_post("request-close"))
case(Target("submitted submission of Skawina", Submission, frozenset({"office"}),
            lambda w: _submission(w, "skawina", submitted=True)),
     page_reopen=_request_post("submission-reopen", lambda w: {"comment": "Sprawdźcie."}),
     page_accept=_request_post("submission-accept"))


def _state(world: World, target: Target) -> tuple:
    news_of(world)  # the news articles exist before anything is counted
    records = ChangeRecord.objects.count()
    if target.record is None:
        return (target.model._default_manager.count(), records)
    record = target.record(world)
    return (snapshot(target.model, record.pk), records)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("target", "path", "run"), TARGETS_AND_PATHS,
                         ids=[f"{t.name}/{p}" for t, p, _ in TARGETS_AND_PATHS])
def test_write_is_allowed_or_refused_with_403_and_nothing_changed(client, world, role, target, path, run):
    client.force_login(world.users[role])
    before = _state(world, target)
    response = run(client, world, target)
    after = _state(world, target)
    staff = world.users[role].is_staff
    if role in target.allowed or (role == "site-editor" and "editor" in target.allowed and staff is False
                                  and not path.startswith("admin")):
        assert response.status_code in (200, 201, 302), response.content[:500]
        if path.startswith("admin") and response.status_code == 200:
            pytest.fail(f"the admin form was not accepted: {response.content[:2000]!r}")
        assert after[0] != before[0], "allowed, but nothing changed"
        assert after[1] > before[1], "the change was not recorded in the history"
    else:
        if not staff and path.startswith("admin"):
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        elif path == "page" and ((target.model in (Event, Article, Document) and response.status_code == 400)
                                 or target.model is EventFeed):
            # The event, feed, article and document forms offer only the user's own gminy (and a coordinator's
            # domains):
            # another is refused as an invalid choice.
            assert response.status_code in (400, 403), response.content[:500]
        elif path.startswith("admin") and response.status_code == 200:
            # The admin form offers only the choices the user may write into (access.rules.choice_limit): a
            # record moved out of their scope is refused as a choice that is not on offer, and nothing is saved.
            errors = response.context_data["adminform"].form.errors.as_data()
            assert errors and all(e.code == "invalid_choice" for field in errors.values() for e in field), errors
        else:
            assert response.status_code == 403, response.content[:500]
        assert after == before, "refused, but something changed"


def test_the_matrix_covers_every_role_and_registry():
    models = {t.model for t, _, _ in TARGETS_AND_PATHS}
    assert {Action, ActionPlan, Strategy, Forum, Meeting, Event, EventFeed, Project, Partner, RoleAssignment,
            Editorial, Edition, Article, AgendaItem, Decision, Attendance, Invitation, DataRequest,
            Submission, Document, DocumentVersion} <= models
    paths = {p.split("_")[0] for _, p, _ in TARGETS_AND_PATHS}
    assert paths == {"admin", "api", "page"}


@pytest.mark.parametrize(("path", "method"), [("/api/strategy/actions/1", "patch"), ("/api/events/events", "post"),
                                              ("/api/cooperation/forums/1/archive", "post")])
def test_anonymous_api_writes_need_authentication(client, world, path, method):
    records = ChangeRecord.objects.count()
    response = getattr(client, method)(path, "{}", content_type="application/json")
    assert response.status_code == 401
    assert ChangeRecord.objects.count() == records


def test_anonymous_page_writes_go_to_the_login(client, world):
    response = client.post(reverse("events:event-add"), _event_page_data(world))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:sign-in") + "?next=")
    assert not Event.objects.filter(title="Nowe wydarzenie").exists()


def test_observations_scope(world):
    assert rules.units_editable_for_observations(world.users["office"]).count() > 15
    assert list(rules.units_editable_for_observations(world.users["editor"])) == [world.skawina]
    for role in ("coordinator", "secretary", "public"):
        assert not rules.units_editable_for_observations(world.users[role]).exists()
    assert not rules.units_editable_for_observations(None).exists()


def test_a_staff_account_without_a_role_writes_nothing_until_given_one(world):
    from tests.registry_fixtures import make_user

    staff = make_user("staff-without-role")
    assert not rules.is_office(staff) and not rules.scope_of(staff).any
    assert not rules.may_write(staff, world.event_wieliczka)
    RoleAssignment.objects.create(user=staff, role="municipal-editor", unit=world.wieliczka)
    rules.forget(staff)
    assert not rules.is_office(staff)
    assert rules.may_write(staff, world.event_wieliczka) and not rules.may_write(staff, world.event_skawina)


def test_a_superuser_is_office_staff_without_a_role(world, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", password=None)
    assert rules.is_office(superuser)
