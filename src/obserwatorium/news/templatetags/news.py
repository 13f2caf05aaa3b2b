"""`{% news_block %}`: the small "News" block of a page (home, domain, forum, project, gmina) with a link to
the list filtered the same way. A template tag, so the pages showing it need not import the news app."""

from __future__ import annotations

from django import template

from obserwatorium.news import selectors

register = template.Library()


@register.inclusion_tag("news/_block.html")
def news_block(*, domain=None, forum=None, project=None, unit=None, count: int = 3, level: int = 2,
               anchor: str = "") -> dict:
    """The latest `count` public articles of the domain, forum, project or gmina given (all when none is)."""
    news_filter = selectors.NewsFilter(domain=getattr(domain, "code", ""), forum=getattr(forum, "slug", ""),
                                       project=getattr(project, "slug", ""), gmina=getattr(unit, "slug", ""))
    articles = list(selectors.public_articles(news_filter)[:count])
    return {"articles": articles, "news_filter": news_filter, "level": max(2, min(level, 5)),
            "sublevel": max(3, min(level + 1, 6)), "anchor": anchor or "news-block"}
