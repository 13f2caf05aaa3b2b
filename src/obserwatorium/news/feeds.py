"""Atom and RSS 2.0 feeds of the published news: all, and per domain (Django's syndication framework)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from obserwatorium.indicators.models import Domain
from obserwatorium.news import selectors
from obserwatorium.news.markup import render_markdown
from obserwatorium.news.models import Article

FEED_SIZE = 30


class NewsFeed(Feed):
    """The latest published articles (RSS 2.0); the body as sanitised HTML after the lead."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    language = "pl"

    def get_object(self, request: HttpRequest, code: str = "") -> Domain | None:
        return get_object_or_404(Domain, code=code, strategic=True) if code else None

    def title(self, obj: Domain | None) -> str:
        name = _("News of the Kraków Metropolis observatory")
        return f"{name}: {obj.name}" if obj is not None else name

    def link(self, obj: Domain | None) -> str:
        return reverse("news:list") + (f"?domain={obj.code}" if obj is not None else "")

    def description(self, obj: Domain | None) -> str:
        return _("News articles of the Kraków Metropolis Association.")

    def items(self, obj: Domain | None):
        return selectors.public_articles(selectors.NewsFilter(domain=obj.code if obj else ""))[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        demo = f"<p><strong>{escape(_('Demonstration article, not real news.'))}</strong></p>" if item.demo else ""
        return f"{demo}<p>{escape(item.lead)}</p>{render_markdown(item.body)}"

    def item_link(self, item: Article) -> str:
        return reverse("news:article", args=[item.slug])

    def item_pubdate(self, item: Article):
        return item.publish_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [item.domain.name]


class AtomNewsFeed(NewsFeed):
    """The same articles as an Atom 1.0 feed."""

    feed_type = Atom1Feed

    def subtitle(self, obj: Domain | None) -> str:
        return self.description(obj)
