"""The public pages show the cooperation beside the indicators: the home page the year's counts (a source's
stated total phrased as such) and what comes next, the municipality page the gmina's part, the domain page the
domain's forums, plans, projects and targets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone

from obserwatorium.cooperation.models import Forum, Meeting
from obserwatorium.events.models import Event
from tests.registry_fixtures import registry_preset, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _page(client, url: str, language: str = "pl") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def test_home_states_the_sources_total_as_a_total_in_correct_polish(client):
    # The preset holds the 2022 summary's totals only: "more than 80 meetings", 15 new partners.
    page = _page(client, "/")
    assert "Współpraca w 2022 roku w liczbach" in page
    assert "ponad 80</strong>" in page and "spotkań forów" in page
    assert "15</strong>" in page and "nowych partnerów" in page
    assert "suma podana przez źródło" in page and "Moc efektów: podsumowanie działań w 2022 r." in page
    assert 'href="/reports/annual/2022/"' in page
    english = _page(client, "/", "en")
    assert "more than 80</strong>" in english and "forum meetings" in english


def test_home_counts_itemised_meetings_of_the_latest_year_as_counted(client, world):  # noqa: F811
    page = _page(client, "/")  # the world's two meetings are of March 2024
    assert "Współpraca w 2024 roku w liczbach" in page
    assert "2</strong>" in page and "spotkania forów" in page and "policzone w rejestrach" in page


def test_home_lists_coming_published_meetings_and_events_only(client, world):  # noqa: F811
    soon = timezone.now() + timedelta(days=3)
    Meeting.objects.create(forum=world.forum_a, starts_at=soon, place="Sala przyszła")
    Meeting.objects.create(forum=world.forum_a, starts_at=soon, place="Sala ukryta", published=False)
    Event.objects.create(title="Festiwal <script>alert(1)</script>", starts_at=soon, unit=world.skawina,
                         status="published")
    page = _page(client, "/")
    assert "Sala przyszła" in page and "Sala ukryta" not in page and "Sala A" not in page
    assert "Festiwal &lt;script&gt;" in page and "<script>alert(1)" not in page
    assert "Koncert w Skawinie" not in page  # past


def test_the_municipality_page_shows_the_gminas_part(client, world):  # noqa: F811
    world.forum_a.member_units.add(world.skawina)
    world.project.units.add(world.skawina)
    Event.objects.create(title="Jarmark skawiński", starts_at=timezone.now() + timedelta(days=9), unit=world.skawina,
                         status="published")
    page = _page(client, f"/units/{world.skawina.slug}/")
    assert "Skawina we współpracy metropolitalnej" in page
    assert 'href="/forums/forum-a/"' in page and "Forum B" not in page
    assert f'href="/projects/{world.project.slug}/"' in page
    assert "B-1 Działanie B" in page and "A-1" not in page  # the action Skawina is responsible for
    assert "Jarmark skawiński" in page
    other = _page(client, f"/units/{world.wieliczka.slug}/", "en")
    assert "A-1 Działanie A" in other and "Jarmark" not in other


def test_the_domain_page_shows_the_domains_own_cooperation(client, world):  # noqa: F811
    page = _page(client, "/domains/environment-space/")
    assert "Forum A" in page and "Forum B" not in page
    assert "Plan A" in page and "Plan B" not in page
    assert "1 spotkanie w rejestrze" in page
    assert client.get("/domains/no-such-domain/").status_code == 404
    assert 'href="/domains/environment-space/"' in _page(client, "/")


def test_the_domain_page_reads_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):  # noqa: F811
    client.get("/domains/environment-space/")  # warm the session and the caches
    caches["figures"].clear()  # the headline figures computed anew both times (each write makes the kept ones obsolete)
    with django_assert_max_num_queries(30) as before:
        client.get("/domains/environment-space/")
    for n in range(10):
        forum = Forum.objects.create(slug=f"forum-extra-{n}", name_pl=f"Forum extra {n}", domain=world.domain_a)
        Meeting.objects.create(forum=forum, starts_at=timezone.now() - timedelta(days=n + 1))
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = _page(client, "/domains/environment-space/")
    assert "Forum extra 9" in page
