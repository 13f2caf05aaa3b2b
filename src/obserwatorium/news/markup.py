"""Editors' Markdown as safe HTML: markdown-it-py renders (raw HTML is shown as text), nh3 sanitises.

Nothing that runs survives: no script or style, no event handler, no `javascript:`/`data:` address; links leave
the site with rel="noopener nofollow". Headings start at h2, the article's title being the page's h1.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "del", "s", "a", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
                "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "rel"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "noopener nofollow"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"])


def _is_external(href: str) -> bool:
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # The only rel a link may carry is the one given here to links leaving the site.
    if tag == "a" and attribute == "rel":
        return EXTERNAL_REL if value == EXTERNAL_REL else None
    return value


def render_markdown(text: str) -> SafeString:
    """The Markdown text as sanitised HTML, safe to put in a page or a feed."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        for child in token.children or ():
            if child.type == "link_open" and _is_external(str(child.attrGet("href") or "")):
                child.attrSet("rel", EXTERNAL_REL)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return mark_safe(sanitise(html))  # sanitised just above: only the allowed tags remain


def sanitise(html: str) -> str:
    """HTML reduced to the allowed tags, attributes and address schemes (what nh3 removes is gone, not escaped)."""
    return nh3.clean(html, tags=ALLOWED_TAGS, clean_content_tags={"script", "style"},
                     attributes=ALLOWED_ATTRIBUTES, attribute_filter=_filter_attribute, url_schemes=URL_SCHEMES,
                     link_rel=None, strip_comments=True)
