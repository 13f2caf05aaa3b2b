"""The workflow draft → review → published → archived: who may take each step, what the public then sees, and
that every step is kept in the history (who, when, through what)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from obserwatorium.history.selectors import changes_of
from obserwatorium.news import selectors
from obserwatorium.news.models import Article, Status
from obserwatorium.news.services import save_article, transition_article
from tests.news.articles import news_of

pytestmark = pytest.mark.django_db


def _fresh(article: Article) -> Article:
    return Article.objects.get(pk=article.pk)


def test_a_coordinator_writes_a_draft_sends_it_for_review_and_the_office_publishes_it(world):
    coordinator, office = world.users["coordinator"], world.users["office"]
    draft = save_article(article=Article(), values={"title": "Nowy przystanek", "slug": "nowy-przystanek",
                                                   "lead": "Zajawka", "domain": world.domain_a},
                         user=coordinator)
    assert draft.status == Status.DRAFT and not draft.published
    assert not selectors.public_articles().filter(pk=draft.pk).exists()
    transition_article(article=draft, action="submit", user=coordinator)
    with pytest.raises(PermissionDenied):
        transition_article(article=_fresh(draft), action="publish", user=coordinator)
    assert _fresh(draft).status == Status.REVIEW
    published = transition_article(article=_fresh(draft), action="publish", user=office)
    assert published.status == Status.PUBLISHED and published.published and published.publish_at is not None
    assert selectors.public_articles().filter(pk=draft.pk).exists()
    steps = [(c.user_id, (c.after or {}).get("status")) for c in
             changes_of(draft).order_by("pk")]
    assert steps == [(coordinator.pk, "draft"), (coordinator.pk, "review"), (office.pk, "published")]


def test_an_author_cannot_touch_a_published_article_and_cannot_write_another_domain(world):
    news = news_of(world)
    coordinator = world.users["coordinator"]
    with pytest.raises(PermissionDenied):
        save_article(article=_fresh(news.published_a), values={"title": "Zmiana"}, user=coordinator)
    with pytest.raises(PermissionDenied):
        transition_article(article=_fresh(news.published_a), action="archive", user=coordinator)
    with pytest.raises(PermissionDenied):
        save_article(article=_fresh(news.draft_skawina), values={"title": "Zmiana"}, user=coordinator)
    with pytest.raises(PermissionDenied):  # nor move their own draft out of their reach
        save_article(article=_fresh(news.draft_a), values={"domain": world.domain_b}, user=coordinator)
    assert _fresh(news.published_a).title == news.published_a.title


def test_a_gmina_editor_writes_drafts_about_their_gmina_only(world):
    news, editor = news_of(world), world.users["editor"]
    save_article(article=_fresh(news.draft_skawina), values={"title": "Skawina pisze"}, user=editor)
    assert _fresh(news.draft_skawina).title == "Skawina pisze"
    for article in (news.draft_a, news.draft_b):
        with pytest.raises(PermissionDenied):
            save_article(article=_fresh(article), values={"title": "Nie moje"}, user=editor)


def test_the_status_changes_only_through_the_workflow(world):
    news = news_of(world)
    with pytest.raises(ValidationError) as refused:
        save_article(article=_fresh(news.draft_a), values={"status": "published"}, user=world.users["office"])
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError):  # a draft is reviewed before it is published
        transition_article(article=_fresh(news.draft_a), action="publish", user=world.users["office"])
    assert _fresh(news.draft_a).status == Status.DRAFT


def test_archive_hides_and_restore_sends_back_to_draft(world):
    news, office = news_of(world), world.users["office"]
    transition_article(article=_fresh(news.published_a), action="archive", user=office)
    archived = _fresh(news.published_a)
    assert archived.status == Status.ARCHIVED and archived.archived_at is not None and not archived.published
    assert not selectors.public_articles().filter(pk=archived.pk).exists()
    restored = transition_article(article=archived, action="restore", user=office)
    assert restored.status == Status.DRAFT and restored.archived_at is None and not restored.published


def test_an_article_published_ahead_of_its_date_waits(world):
    news, office = news_of(world), world.users["office"]
    save_article(article=_fresh(news.review_a), values={"publish_at": timezone.now() + timedelta(days=2)},
                 user=office)
    transition_article(article=_fresh(news.review_a), action="publish", user=office)
    assert _fresh(news.review_a).status == Status.PUBLISHED
    assert not selectors.public_articles().filter(pk=news.review_a.pk).exists()


def test_an_image_needs_its_alt_text(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    news = news_of(world)
    image = SimpleUploadedFile("plac.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    with pytest.raises(ValidationError) as refused:
        save_article(article=_fresh(news.draft_a), values={"image": image}, user=world.users["office"])
    assert "image_alt" in refused.value.message_dict
    assert not _fresh(news.draft_a).image
    script = SimpleUploadedFile("x.html", b"<script>", content_type="text/html")
    with pytest.raises(ValidationError) as refused:
        save_article(article=_fresh(news.draft_a), values={"image": script, "image_alt": "x"},
                     user=world.users["office"])
    assert "image" in refused.value.message_dict
