"""One search across the site's kinds of records: diacritics and case ignored, every word a prefix, public
records only, kept current by every save, grouped by kind; nothing typed changes the query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obserwatorium.cooperation.models import Forum, Meeting, Project
from obserwatorium.registry.services import archive_record, restore_record
from obserwatorium.search.index import rebuild, search, words_of
from obserwatorium.search.models import SearchEntry

pytestmark = pytest.mark.django_db


def _found(question: str, kind: str = "") -> dict[str, list[str]]:
    return {g.provider.kind: [e.title for e in g.entries] for g in search(question, kind=kind)}


@pytest.mark.parametrize("question", ["swiatniki", "Świątniki", "ŚWIĄTNIKI GÓR", "swiątniki  gorne"])
def test_a_gmina_is_found_with_or_without_diacritics_and_case(question):
    assert _found(question)["gmina"] == ["Świątniki Górne"]


def test_every_word_must_match_as_a_prefix_and_titles_rank_first():
    found = _found("eduk")
    assert "Forum Edukacji" in found["forum"] and "Edukacja" in found["domain"]
    assert _found("forum eduk")["forum"] == ["Forum Edukacji"]
    assert _found("krakow")["gmina"][0] == "Kraków"
    assert _found("1206113")["gmina"] == ["Skawina"]  # a TERYT code


def test_english_names_are_searched_too():
    assert "Forum Edukacji" in _found("education forum")["forum"]


def test_the_page_groups_results_by_kind_in_both_languages(client):
    page = client.get("/search/?q=eduk", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert '<h2 id="group-forum">Fora' in page and '<h2 id="group-indicator">Wskaźniki' in page
    assert 'href="/forums/' in page and "wynik" in page
    english = client.get("/search/?q=eduk", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<h2 id="group-forum">Forums' in english and "Education Forum" in english
    narrowed = client.get("/search/?q=eduk&kind=forum").content.decode()
    assert 'id="group-forum"' in narrowed and 'id="group-indicator"' not in narrowed


def test_a_new_record_is_found_at_once_and_an_archived_one_no_longer(world):  # noqa: F811
    forum = Forum.objects.create(slug="forum-zoltych-zwirowisk", name_pl="Forum Żółtych Żwirowisk")
    assert _found("zolt zwir")["forum"] == ["Forum Żółtych Żwirowisk"]
    archive_record(user=world.users["office"], record=forum)
    assert "forum" not in _found("zolt zwir")
    restore_record(user=world.users["office"], record=forum)
    assert _found("zolt zwir")["forum"] == ["Forum Żółtych Żwirowisk"]
    Forum.objects.filter(pk=forum.pk).update(published=False)  # a bulk change outside the site …
    rebuild(["forum"])  # … is caught up by a rebuild
    assert "forum" not in _found("zolt zwir")


def test_an_unpublished_record_is_not_found_and_a_renamed_forum_renames_its_meetings(world):  # noqa: F811
    Project.objects.create(slug="tajny", name="Projekt Tajemniczy", published=False)
    assert "project" not in _found("tajemnicz")
    world.forum_a.name_pl = "Forum Kryształowe"
    world.forum_a.save()
    assert any("Forum Kryształowe" in title for title in _found("krysztal")["meeting"])


def test_an_agenda_or_decision_edit_refreshes_its_meetings_entry_and_costs_no_rebuild(
        world):  # noqa: F811
    from obserwatorium.cooperation.meeting_services import add_decision, save_agenda, save_decision

    office, meeting = world.users["office"], world.meeting_a
    save_agenda(meeting=meeting, titles=["Przegląd kotłów węglowych"], user=office)
    assert len(_found("kotlow weglowych")["meeting"]) == 1
    decision = add_decision(meeting=meeting, values={"text": "Przyjęto harmonogram termomodernizacji"}, user=office)
    assert len(_found("termomodernizacji")["meeting"]) == 1
    save_decision(decision=decision, values={"text": "Odrzucono wniosek"}, user=office)
    assert "meeting" not in _found("termomodernizacji") and len(_found("odrzucono")["meeting"]) == 1
    save_agenda(meeting=meeting, titles=[], user=office)  # the item deleted
    assert "meeting" not in _found("kotlow weglowych")
    # One meeting's entry is refreshed, not the whole kind rebuilt: the cost does not grow with the meetings.
    save_agenda(meeting=meeting, titles=["Sprawy bieżące"], user=office)
    with CaptureQueriesContext(connection) as few:  # one item replaced by another, as below
        save_agenda(meeting=meeting, titles=["Sprawy różne"], user=office)
    for day in range(10):
        Meeting.objects.create(forum=meeting.forum, starts_at=meeting.starts_at + timedelta(days=day + 1),
                               place=f"Sala {day}")
    with CaptureQueriesContext(connection) as many:
        save_agenda(meeting=meeting, titles=["Sprawy pilne"], user=office)
    assert len(many.captured_queries) == len(few.captured_queries) <= 30


def test_a_rebuild_writes_the_same_index_the_signals_keep(world):  # noqa: F811
    before = set(SearchEntry.objects.values_list("kind", "object_id", "folded"))
    call_command("search", "rebuild", verbosity=0)
    assert set(SearchEntry.objects.values_list("kind", "object_id", "folded")) == before


def test_a_question_costs_three_queries(django_assert_num_queries):
    with django_assert_num_queries(3):
        search("forum")


def test_nothing_typed_is_an_error_or_changes_the_query(client):
    for question in ['" OR *', "NEAR(a b)", "a:* & !b", "'; DROP TABLE x; --", "\x00", "ą" * 500, "*", "()"]:
        response = client.get("/search/", {"q": question})
        assert response.status_code == 200


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_any_question_is_answered_without_an_error(question):
    words = words_of(question)
    assert len(words) <= 10 and all(w.isalnum() or "_" in w for w in words)
    search(question)


def test_a_published_article_is_found_and_a_draft_or_one_due_later_is_not(world):  # noqa: F811
    from datetime import timedelta

    from django.utils import timezone

    from obserwatorium.news.models import Status
    from tests.news.articles import article

    article("zielony-rower", title="Zielony rower w Skawinie", domain=world.domain_a, status=Status.PUBLISHED)
    article("szkic-rowerowy", title="Rowerowy szkic", domain=world.domain_a)
    due = article("rower-jutro", title="Rowerowa zapowiedź", domain=world.domain_a, status=Status.PUBLISHED,
                  publish_at=timezone.now() + timedelta(days=1))
    assert _found("rower")["article"] == ["Zielony rower w Skawinie"]
    due.publish_at = timezone.now() - timedelta(minutes=1)  # its time has come (the entry already knows it)
    SearchEntry.objects.filter(kind="article", object_id=due.pk).update(visible_from=due.publish_at)
    assert sorted(_found("rower")["article"]) == ["Rowerowa zapowiedź", "Zielony rower w Skawinie"]
