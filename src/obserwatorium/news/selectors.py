"""Reads of the news: the public articles (filtered by domain, forum, project, gmina) and the authors' desk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import QuerySet

from obserwatorium.access import rules
from obserwatorium.news.models import Article, Status

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


@dataclass(frozen=True)
class NewsFilter:
    """Which public articles: all, or those of one domain (code), forum (slug), project (slug), gmina (slug)."""

    domain: str = ""
    forum: str = ""
    project: str = ""
    gmina: str = ""

    @property
    def query_string(self) -> str:
        return urlencode({k: v for k, v in vars(self).items() if v})


def public_articles(news_filter: NewsFilter | None = None) -> QuerySet[Article]:
    """Published articles that are due, newest first."""
    query = Article.objects.public().select_related("domain", "forum", "project", "unit")
    if news_filter is not None:
        if news_filter.domain:
            query = query.filter(domain__code=news_filter.domain)
        if news_filter.forum:
            query = query.filter(forum__slug=news_filter.forum)
        if news_filter.project:
            query = query.filter(project__slug=news_filter.project)
        if news_filter.gmina:
            query = query.filter(unit__slug=news_filter.gmina)
    return query.order_by("-publish_at", "-pk")


def desk(user: Actor) -> QuerySet[Article]:
    """The unpublished articles the user may work on (the office: every draft and the review queue)."""
    current = Article.objects.current().exclude(status=Status.PUBLISHED).select_related("domain", "unit")
    return rules.writable(user, current).order_by("status", "-updated_at")


def readable_article(user: Actor, slug: str) -> Article:
    """The article at this address if the user may read it: public, or theirs to write (office: any)."""
    article = Article.objects.select_related("domain", "forum", "project", "unit").get(slug=slug)
    if article.is_public or (article.archived_at is None and rules.may_write(user, article)) or (
            rules.is_office(user)):
        return article
    raise Article.DoesNotExist(slug)
