"""Atom and RSS 2.0 feeds of the news parse back (feedparser, bozo 0) with absolute links and dates, all and per
domain, published articles only; and no script survives in any text of an article, on its page or in a feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from obserwatorium.news.models import Article, Status
from tests.news.articles import article, news_of
from tests.news.test_markup import FRAGMENTS, problems_in

pytestmark = pytest.mark.django_db

FEEDS = ("news:feed-atom", "news:feed-rss")


def _parse(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return response, parsed


@pytest.mark.parametrize("name", FEEDS)
def test_the_feed_parses_back_with_absolute_links_and_dates(world, client, name):
    news = news_of(world)
    response, parsed = _parse(client, reverse(name))
    expected = "application/atom+xml" if name.endswith("atom") else "application/rss+xml"
    assert response["Content-Type"].startswith(expected)
    assert parsed.version == ("atom10" if name.endswith("atom") else "rss20")
    titles = [entry.title for entry in parsed.entries]
    assert titles == [news.published_a.title]
    entry = parsed.entries[0]
    assert entry.link == f"http://testserver/news/{news.published_a.slug}/"
    assert entry.id == entry.link  # stable: the article's address
    assert entry.published_parsed is not None
    published = news.published_a.publish_at.astimezone(UTC)
    assert entry.published_parsed[:6] == published.timetuple()[:6]
    if name.endswith("atom"):
        assert entry.updated_parsed is not None
    assert "<strong>pogrubiona</strong>" in entry.summary


@pytest.mark.parametrize("suffix", ["atom", "rss"])
def test_the_domain_feed_has_only_that_domains_articles(world, client, suffix):
    news = news_of(world)
    other = article("mobilnosc", domain=world.domain_b, status=Status.PUBLISHED, title="Nowa linia")
    _, parsed = _parse(client, reverse(f"news:domain-feed-{suffix}", args=[world.domain_b.code]))
    assert [e.title for e in parsed.entries] == [other.title]
    assert world.domain_b.name in parsed.feed.title
    _, everything = _parse(client, reverse(f"news:feed-{suffix}"))
    assert {e.title for e in everything.entries} == {other.title, news.published_a.title}
    assert client.get(reverse(f"news:domain-feed-{suffix}", args=["no-such-domain"])).status_code == 404


def test_an_article_due_later_is_not_in_the_feed_yet(world, client):
    article("jutro", domain=world.domain_a, status=Status.PUBLISHED, publish_at=timezone.now() + timedelta(days=1))
    _, parsed = _parse(client, reverse("news:feed-atom"))
    assert "Jutro" not in [e.title for e in parsed.entries]


HTML_ELEMENTS = {"description", "{http://www.w3.org/2005/Atom}summary", "{http://www.w3.org/2005/Atom}content"}
TITLE_ELEMENTS = {"title", "{http://www.w3.org/2005/Atom}title"}


def _feed_texts(content: bytes, tags: set[str]) -> list[str]:
    """The texts of these elements as a reader gets them (entities undone, not sanitised)."""
    return [element.text for element in ET.fromstring(content).iter() if element.tag in tags and element.text]


hostile = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join)


def _region(html: str, start: str, end: str) -> str:
    """The part of the page the article's texts fill (the rest is the site's own markup)."""
    begin = html.index(start)
    return html[begin:html.index(end, begin)]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=hostile, lead=hostile, body=hostile)
def test_no_script_survives_in_any_text_on_the_page_or_in_the_feeds(world, client, title, lead, body):
    Article.objects.filter(slug="wrogi").update(status=Status.DRAFT, published=False)
    Article.objects.filter(slug="wrogi").delete()
    hostile_article = article("wrogi", domain=world.domain_a, status=Status.PUBLISHED, title=title[:300], lead=lead,
                              body=body, forum=world.forum_a)
    page = client.get(reverse("news:article", args=["wrogi"])).content.decode()
    listing = client.get(reverse("news:list")).content.decode()
    regions = [_region(page, "<article", "</article>"), _region(listing, '<ul class="record-list news-list">', "</ul>"),
               _region(page, "<title>", "</title>")]
    for region in regions:
        assert problems_in(region) == [], region
    assert "<script" not in page.split("</title>")[0].lower()  # the title in the head stays text
    for name in FEEDS:
        content = client.get(reverse(name)).content
        # Titles are text (Atom type="text", RSS 2.0), given back exactly; the HTML parts hold nothing that runs.
        assert hostile_article.title in _feed_texts(content, TITLE_ELEMENTS)
        html_texts = _feed_texts(content, HTML_ELEMENTS)
        assert html_texts  # at least the article's
        for text in html_texts:
            assert problems_in(text) == [], text
