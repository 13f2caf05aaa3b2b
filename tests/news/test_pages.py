"""News pages: the list (filters, pagination, Polish and English), an article in its own language, drafts only
for their authors, the authors' form with its errors, and the small News blocks on other pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from obserwatorium.news.models import Article, Status
from tests.news.articles import article, news_of

pytestmark = pytest.mark.django_db


def _get(client, url: str, language: str = "pl"):
    client.cookies["django_language"] = language
    return client.get(url)


def test_the_list_shows_published_news_only_in_both_languages(world, client):
    news = news_of(world)
    for language, heading in (("pl", "Aktualności"), ("en", "News")):
        response = _get(client, reverse("news:list"), language)
        html = response.content.decode()
        assert response.status_code == 200 and f"<h1>{heading}</h1>" in html
        assert news.published_a.title in html
        assert news.draft_a.title not in html and news.review_a.title not in html


def test_the_list_filters_by_domain_forum_project_and_gmina(world, client):
    news = news_of(world)
    other = article("w-mobilnosci", domain=world.domain_b, status=Status.PUBLISHED, unit=world.skawina,
                    forum=world.forum_b, project=world.project, title="Tramwaj do Skawiny")
    base = reverse("news:list")
    by_domain = client.get(f"{base}?domain={world.domain_b.code}").content.decode()
    assert other.title in by_domain and news.published_a.title not in by_domain
    for query in (f"forum={world.forum_b.slug}", f"project={world.project.slug}", f"gmina={world.skawina.slug}"):
        html = client.get(f"{base}?{query}").content.decode()
        assert other.title in html and news.published_a.title not in html, query


def test_the_list_is_paginated_newest_first(world, client):
    now = timezone.now()
    for number in range(12):
        article(f"wiadomosc-{number}", domain=world.domain_a, status=Status.PUBLISHED, title=f"Wiadomość {number:02}",
                publish_at=now - timedelta(days=number + 1))
    first = client.get(reverse("news:list")).content.decode()
    assert "Wiadomość 00" in first and "Wiadomość 11" not in first
    assert first.index("Wiadomość 00") < first.index("Wiadomość 01")
    second = client.get(reverse("news:list") + "?page=2").content.decode()
    assert "Wiadomość 11" in second and "Wiadomość 00" not in second


def test_an_article_is_shown_in_its_language_within_the_interface_of_the_visitor(world, client):
    english = article("in-english", domain=world.domain_a, status=Status.PUBLISHED, language="en",
                      title="Cycle paths", body="## Plan\n\nText with [a link](https://example.org).")
    for language in ("pl", "en"):
        html = _get(client, reverse("news:article", args=[english.slug]), language).content.decode()
        assert f'<html lang="{language}">' in html
        assert '<article class="news-article domain-environment-space" lang="en">' in html
        assert '<h3>Plan</h3>' in html and 'rel="noopener nofollow"' in html
    assert "Język artykułu" in _get(client, reverse("news:article", args=[english.slug]), "pl").content.decode()


def test_a_draft_is_hidden_from_the_public_and_shown_to_its_author_with_the_actions(world, client):
    news = news_of(world)
    url = reverse("news:article", args=[news.draft_a.slug])
    assert client.get(url).status_code == 404
    client.force_login(world.users["public"])
    assert client.get(url).status_code == 404
    client.force_login(world.users["coordinator"])
    html = client.get(url).content.decode()
    assert "Wyślij do przeglądu" in html and "Opublikuj" not in html
    client.force_login(world.users["office"])
    review = client.get(reverse("news:article", args=[news.review_a.slug])).content.decode()
    assert "Opublikuj" in review and "Zwróć do poprawy" in review


def test_the_review_actions_on_the_page(world, client):
    news = news_of(world)
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("news:article-action", args=[news.draft_a.slug, "submit"]))
    assert response.status_code == 302
    assert Article.objects.get(pk=news.draft_a.pk).status == Status.REVIEW
    assert client.post(reverse("news:article-action", args=[news.draft_a.slug, "publish"])).status_code == 403
    client.force_login(world.users["office"])
    client.post(reverse("news:article-action", args=[news.draft_a.slug, "publish"]))
    assert Article.objects.get(pk=news.draft_a.pk).is_public
    # A step that does not fit the state is refused with a message, nothing changed.
    response = client.post(reverse("news:article-action", args=[news.draft_a.slug, "submit"]), follow=True)
    assert Article.objects.get(pk=news.draft_a.pk).status == Status.PUBLISHED
    assert "nie można" in response.content.decode()


def test_the_form_names_each_mistake_by_its_field_and_on_top_and_saves_nothing(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["coordinator"])
    count = Article.objects.count()
    image = SimpleUploadedFile("plac.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    response = client.post(reverse("news:article-add"), {
        "title": "Bez opisu", "slug": "bez opisu!", "language": "pl", "lead": "", "domain": world.domain_a.pk,
        "image": image})
    html = response.content.decode()
    assert response.status_code == 400 and Article.objects.count() == count
    assert 'class="error-summary"' in html
    for field in ("id_slug", "id_lead", "id_image_alt"):
        assert f'href="#{field}"' in html, field


def test_an_author_writes_a_draft_with_an_image_and_an_attachment(world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(world.users["site-editor"])
    response = client.post(reverse("news:article-add"), {
        "title": "Dożynki w Skawinie", "slug": "dozynki", "language": "pl", "lead": "Zapraszamy.",
        "body": "Program w **załączniku**.", "domain": world.domain_a.pk, "unit": world.skawina.pk,
        "image": SimpleUploadedFile("rynek.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
        "image_alt": "Rynek w Skawinie", "attachment_title": "Program",
        "attachment": SimpleUploadedFile("program.pdf", b"%PDF-1.4", content_type="application/pdf")})
    assert response.status_code == 302, response.content[:2000]
    saved = Article.objects.get(slug="dozynki")
    assert saved.status == Status.DRAFT and saved.unit == world.skawina and saved.attachments.count() == 1
    # Files are served by their rights: not to the public while the article is a draft.
    client.logout()
    image_url = reverse("media", args=[saved.image.name])
    attachment_url = reverse("media", args=[saved.attachments.get().file.name])
    assert client.get(image_url).status_code == 404 and client.get(attachment_url).status_code == 404
    Article.objects.filter(pk=saved.pk).update(status=Status.PUBLISHED, published=True,
                                               publish_at=timezone.now() - timedelta(minutes=1))
    assert client.get(image_url).status_code == 200 and client.get(attachment_url).status_code == 200
    html = client.get(reverse("news:article", args=["dozynki"])).content.decode()
    assert f'src="{image_url}" alt="Rynek w Skawinie"' in html and attachment_url in html


def test_news_blocks_on_the_home_domain_forum_project_and_gmina_pages(world, client):
    tagged = article("na-stronach", domain=world.domain_b, status=Status.PUBLISHED, unit=world.skawina,
                     forum=world.forum_b, project=world.project, title="Wiadomość wszędzie")
    from obserwatorium.cooperation.models import Forum
    Forum.objects.filter(pk=world.forum_b.pk).update(published=True)
    pages = {
        "/": f"{reverse('news:list')}",
        reverse("cooperation:forum", args=[world.forum_b.slug]): f"?forum={world.forum_b.slug}",
        reverse("cooperation:project", args=[world.project.slug]): f"?project={world.project.slug}",
        reverse("web:unit", args=[world.skawina.slug]): f"?gmina={world.skawina.slug}",
        reverse("strategy:tree"): f"?domain={world.domain_b.code}",
    }
    for url, link in pages.items():
        html = client.get(url).content.decode()
        assert tagged.title in html, url
        assert link in html, url
    assert tagged.title not in client.get(reverse("cooperation:forum", args=[world.forum_a.slug])).content.decode()
