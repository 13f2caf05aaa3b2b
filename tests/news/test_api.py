"""The news API: public reads of published articles only (body as sanitised HTML too); drafts written by their
authors; the workflow's steps with the same rights as on the pages."""

from __future__ import annotations

import json

import pytest

from obserwatorium.news.models import Article, Status
from tests.news.articles import article, news_of
from tests.news.test_markup import problems_in

pytestmark = pytest.mark.django_db


def test_the_public_reads_published_articles_only(world, client):
    news = news_of(world)
    article("zly-link", domain=world.domain_b, status=Status.PUBLISHED, body="[x](javascript:alert(1)) <script>")
    listed = client.get("/api/news/articles").json()
    slugs = {item["slug"] for item in listed["items"]}
    assert slugs == {news.published_a.slug, "zly-link"}
    by_domain = client.get(f"/api/news/articles?domain={world.domain_b.code}").json()
    assert [item["slug"] for item in by_domain["items"]] == ["zly-link"]
    one = client.get(f"/api/news/articles/{Article.objects.get(slug='zly-link').pk}").json()
    assert problems_in(one["body_html"]) == [] and "href" not in one["body_html"]
    assert client.get(f"/api/news/articles/{news.draft_a.pk}").status_code == 404


def test_a_coordinator_creates_a_draft_and_cannot_publish_it(world, client):
    client.force_login(world.users["coordinator"])
    payload = {"title": "Z API", "slug": "z-api", "lead": "Zajawka", "domain": world.domain_a.pk}
    created = client.post("/api/news/articles", json.dumps(payload), content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft"
    assert client.post(f"/api/news/articles/{pk}/submit").status_code == 200
    assert client.post(f"/api/news/articles/{pk}/publish").status_code == 403
    assert Article.objects.get(pk=pk).status == Status.REVIEW
    client.force_login(world.users["office"])
    assert client.post(f"/api/news/articles/{pk}/publish").json()["status"] == "published"
    assert client.post(f"/api/news/articles/{pk}/publish").status_code == 422  # already published


def test_the_status_is_not_written_through_the_content_endpoints(world, client):
    news = news_of(world)
    client.force_login(world.users["coordinator"])
    response = client.patch(f"/api/news/articles/{news.draft_a.pk}", json.dumps({"status": "published"}),
                            content_type="application/json")
    assert response.status_code in (200, 422)
    assert Article.objects.get(pk=news.draft_a.pk).status == Status.DRAFT
