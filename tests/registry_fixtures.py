"""Fixtures of the registry tests: the preset's registry facts loaded once, users with each role, a small world
of registry records in two domains."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.cooperation.models import Forum, Meeting, Partner, Project
from obserwatorium.events.models import Event
from obserwatorium.indicators.models import Domain
from obserwatorium.presets.files import preset_dir
from obserwatorium.presets.pipeline import load_preset
from obserwatorium.strategy.models import Action, ActionPlan, Strategy
from obserwatorium.territory.models import Unit

WARSAW = ZoneInfo("Europe/Warsaw")
# "staff": a Django staff account without a role (writes nothing); "site-editor": Skawina's editor without the
# staff flag (writes on the site's pages and the API, not in the admin).
ROLES = ("office", "coordinator", "editor", "site-editor", "secretary", "staff", "public")


@pytest.fixture(scope="session", autouse=True)
def registry_preset(django_db_setup, django_db_blocker) -> None:
    """The Kraków preset's registry facts, committed once (as `preset load` will load them)."""
    with django_db_blocker.unblock():
        load_preset(path=preset_dir("krakow"), only=("cooperation", "strategy"))


def make_user(username: str, *, staff: bool = True, role: str | None = None, **scope):
    user = get_user_model().objects.create_user(username=username, password=None,
                                                is_staff=staff)
    if role is not None:
        RoleAssignment.objects.create(user=user, role=role, **scope)
    return user


@dataclass
class World:
    """Records in two domains: A (the coordinator's) and B; the editor's gmina is Skawina; the secretary
    keeps the minutes of forum B."""

    strategy: Strategy
    domain_a: Domain
    domain_b: Domain
    skawina: Unit
    wieliczka: Unit
    plan_a: ActionPlan
    plan_b: ActionPlan
    action_a: Action
    action_b: Action
    forum_a: Forum
    forum_b: Forum
    meeting_a: Meeting
    meeting_b: Meeting
    event_skawina: Event
    event_wieliczka: Event
    project: Project
    partner: Partner
    users: dict
    # Events on their way through moderation (events.models.Status).
    event_skawina_draft: Event
    event_skawina_submitted: Event
    event_wieliczka_draft: Event


def when(day: int, hour: int = 10, month: int = 3, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, tzinfo=WARSAW)


@pytest.fixture
def world(db) -> World:
    strategy = Strategy.objects.get(code="smk-2030")
    domain_a, domain_b = Domain.objects.get(code="environment-space"), Domain.objects.get(code="mobility")
    skawina, wieliczka = Unit.objects.get(teryt="1206113"), Unit.objects.get(teryt="1219053")
    plan_a = ActionPlan.objects.create(strategy=strategy, domain=domain_a, name_pl="Plan A", status="adopted")
    plan_b = ActionPlan.objects.create(strategy=strategy, domain=domain_b, name_pl="Plan B", status="adopted")
    action_a = Action.objects.create(plan=plan_a, code="A-1", name_pl="Działanie A", responsible_unit=wieliczka,
                                     status="in-progress", progress=10)
    action_b = Action.objects.create(plan=plan_b, code="B-1", name_pl="Działanie B", responsible_unit=skawina,
                                     status="in-progress", progress=20)
    forum_a = Forum.objects.create(slug="forum-a", name_pl="Forum A", domain=domain_a)
    forum_b = Forum.objects.create(slug="forum-b", name_pl="Forum B", domain=domain_b)
    meeting_a = Meeting.objects.create(forum=forum_a, starts_at=when(4), place="Sala A")
    meeting_b = Meeting.objects.create(forum=forum_b, starts_at=when(5), place="Sala B")
    event_skawina = Event.objects.create(title="Koncert w Skawinie", starts_at=when(6, 18), unit=skawina,
                                         status="published")
    event_wieliczka = Event.objects.create(title="Wystawa w Wieliczce", starts_at=when(7, 18), unit=wieliczka,
                                           status="published")
    project = Project.objects.get(slug="comanage")
    partner = Partner.objects.get(name="Krakowskie Biuro Festiwalowe")
    users = {
        "office": make_user("office", role=Role.OFFICE_ADMIN),
        "coordinator": make_user("coordinator", role=Role.DOMAIN_COORDINATOR, domain=domain_a),
        "editor": make_user("editor", role=Role.MUNICIPAL_EDITOR, unit=skawina),
        "secretary": make_user("secretary", role=Role.FORUM_SECRETARY, forum=forum_b),
        "site-editor": make_user("site-editor", staff=False, role=Role.MUNICIPAL_EDITOR, unit=skawina),
        "staff": make_user("staff"),
        "public": make_user("public", staff=False),
    }
    event_skawina_draft = Event.objects.create(title="Szkic w Skawinie", starts_at=when(8, 18), unit=skawina)
    event_skawina_submitted = Event.objects.create(title="Zgłoszone w Skawinie", starts_at=when(9, 18), unit=skawina,
                                                   status="submitted", submitted_by=users["editor"],
                                                   submitted_at=when(1))
    event_wieliczka_draft = Event.objects.create(title="Szkic w Wieliczce", starts_at=when(8, 18), unit=wieliczka)
    return World(strategy, domain_a, domain_b, skawina, wieliczka, plan_a, plan_b, action_a, action_b, forum_a,
                  forum_b, meeting_a, meeting_b, event_skawina, event_wieliczka, project, partner, users,
                  event_skawina_draft, event_skawina_submitted, event_wieliczka_draft)
