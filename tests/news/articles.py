"""News articles beside the registry tests' world: drafts of domain A (the coordinator's) and of Skawina (the
editor's), one in review, one published; made once per world and kept on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from obserwatorium.news.models import Article, Status
from tests.registry_fixtures import World


@dataclass
class NewsWorld:
    draft_a: Article  # domain A, no gmina: the coordinator's
    draft_skawina: Article  # domain B, Skawina: the editor's
    draft_b: Article  # domain B, Wieliczka: nobody's but the office's
    review_a: Article
    published_a: Article


def article(slug: str, *, domain, status: str = Status.DRAFT, unit=None, **values) -> Article:
    if status == Status.PUBLISHED:
        values.setdefault("publish_at", timezone.now() - timedelta(hours=1))
    return Article.objects.create(slug=slug, title=values.pop("title", slug.replace("-", " ").capitalize()),
                                  lead=values.pop("lead", "Zajawka."), domain=domain, unit=unit, status=status,
                                  **values)


def news_of(world: World) -> NewsWorld:
    """The world's articles, created on first use."""
    if "_news" not in world.__dict__:
        world.__dict__["_news"] = NewsWorld(
            draft_a=article("szkic-a", domain=world.domain_a),
            draft_skawina=article("szkic-skawina", domain=world.domain_b, unit=world.skawina),
            draft_b=article("szkic-b", domain=world.domain_b, unit=world.wieliczka),
            review_a=article("do-przegladu-a", domain=world.domain_a, status=Status.REVIEW),
            published_a=article("opublikowany-a", domain=world.domain_a, status=Status.PUBLISHED,
                                body="Treść **pogrubiona**."),
        )
    return world.__dict__["_news"]
