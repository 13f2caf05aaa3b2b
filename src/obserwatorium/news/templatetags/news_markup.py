"""`{{ text|markdown }}`: an editor's Markdown as sanitised HTML (news.markup)."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from obserwatorium.news.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown(text: str) -> SafeString:
    return render_markdown(text)
