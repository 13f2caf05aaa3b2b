"""The "My tasks" page: each role sees its own part, sign-in lands there, and every section reads a fixed number
of queries however many records there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from obserwatorium.cooperation.meetings import Decision
from obserwatorium.cooperation.models import Meeting
from obserwatorium.events.models import Event
from obserwatorium.strategy.models import Action
from obserwatorium.workspace import selectors

pytestmark = pytest.mark.django_db

PARTS = {"office": "office-tasks", "editor": "editor-tasks", "secretary": "secretary-tasks",
         "coordinator": "coordinator-tasks"}


@pytest.mark.parametrize("role", ["office", "coordinator", "editor", "site-editor", "secretary", "staff", "public"])
@pytest.mark.parametrize("language", ["pl", "en"])
def test_each_role_sees_its_own_part(role, language, client, world, asked):
    client.force_login(world.users[role])
    page = client.get(reverse("workspace:home"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    html = page.content.decode()
    own = {"site-editor": "editor"}.get(role, role)
    for part, anchor in PARTS.items():
        assert (f'id="{anchor}"' in html) == (part == own), (part, role)
    assert ("Moje sprawy" in html) == (language == "pl") and ("My tasks" in html) == (language == "en")
    if own == "editor":
        assert asked.request.title in html and "Działanie B" in html  # Skawina's request and its action
        assert ("Zgłoszone w Skawinie" in html) == (role == "editor")  # the event the editor submitted
    if own == "office":
        assert "Zgłoszone w Skawinie" in html and asked.request.title in html
    if role in ("staff", "public"):
        assert ("nie ma tu dla Ciebie spraw" in html) or ("nothing for you to do here" in html)


def test_sign_in_lands_on_my_tasks_and_the_header_links_it(client, world):
    editor = world.users["editor"]
    editor.set_password("s3cret-pass!")
    editor.save()
    response = client.post(reverse("web:sign-in"), {"username": "editor", "password": "s3cret-pass!"})
    assert response.status_code == 302 and response["Location"] == reverse("workspace:home")
    assert f'href="{reverse("workspace:home")}"' in client.get("/").content.decode()


def test_the_anonymous_visitor_is_sent_to_sign_in(client, world):
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 302 and reverse("web:sign-in") in response["Location"]


def _more_records(world, count: int) -> None:
    """`count` more of everything the sections list, so a per-row query would show."""
    now = timezone.now()
    for n in range(count):
        Event.objects.create(title=f"E{n}", starts_at=now + timedelta(days=n + 1), unit=world.skawina,
                             status="submitted", submitted_by=world.users["editor"], submitted_at=now)
        meeting = Meeting.objects.create(forum=world.forum_b, starts_at=now + timedelta(days=n - count), place="S")
        Decision.objects.create(meeting=meeting, number=1, text=f"D{n}")
        Action.objects.create(plan=world.plan_a, code=f"X-{n}", name_pl=f"X{n}", responsible_unit=world.skawina,
                              status="planned", end_date=(now + timedelta(days=n)).date())


SECTIONS = [
    ("open_submissions", lambda w: (frozenset({w.skawina.pk}),), 1),
    ("missing_values", lambda w: (frozenset({w.skawina.pk}), "2023"), 1),
    ("provisional_values", lambda w: (frozenset({w.skawina.pk}),), 1),
    ("moderation_outcomes", lambda w: (w.users["editor"].pk,), 1),
    ("responsible_actions", lambda w: (frozenset({w.skawina.pk}), timezone.localdate()), 1),
    ("upcoming_meetings", lambda w: (frozenset({w.forum_b.pk}),), 1),
    ("meetings_without_minutes", lambda w: (frozenset({w.forum_b.pk}),), 1),
    ("decisions_to_follow", lambda w: (frozenset({w.forum_b.pk}),), 1),
    ("domain_plans", lambda w: (frozenset({w.domain_a.pk}),), 1),
    ("domain_actions", lambda w: (frozenset({w.domain_a.pk}), timezone.localdate()), 1),
    ("domain_targets", lambda w: (frozenset({w.domain_a.pk}),), 1),
    ("stale_indicators", lambda w: (frozenset({w.domain_a.pk}), "2024"), 1),
    ("moderation_queue", lambda w: (), 1),
    ("recent_batches", lambda w: (), 1),
    ("recent_syncs", lambda w: (), 1),
    ("freshness_by_source", lambda w: (), 1),
    ("request_completeness", lambda w: (), 1),
    ("latest_year", lambda w: (), 1),
]


@pytest.mark.parametrize(("name", "args", "queries"), SECTIONS, ids=[s[0] for s in SECTIONS])
def test_each_section_reads_a_fixed_number_of_queries(name, args, queries, world, asked,
                                                      django_assert_num_queries):
    function = getattr(selectors, name)
    with django_assert_num_queries(queries):
        few = function(*args(world))
    _more_records(world, 20)
    with django_assert_num_queries(queries):
        many = function(*args(world))
    if isinstance(many, selectors.Section):
        assert len(many.rows) <= selectors.LIMIT and (many.total >= few.total)


@pytest.mark.parametrize("role", ["office", "editor", "secretary", "coordinator"])
def test_the_page_reads_the_same_number_of_queries_with_twenty_times_the_records(role, client, world, asked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.users[role])
    client.get(reverse("workspace:home"))  # the first request of the process reads what Django caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("workspace:home"))
    _more_records(world, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("workspace:home")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries), "\n".join(
        q["sql"][:150] for q in many.captured_queries)
