"""Template tags of the public pages: optional panels of other apps and numbers in the page's language."""

from __future__ import annotations

from django import template
from django.template import TemplateDoesNotExist
from django.template.context import Context
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from obserwatorium.web.numbers import format_number, format_stated

register = template.Library()


@register.simple_tag(takes_context=True)
def optional_panel(context: Context, template_name: str) -> SafeString | str:
    """Render `template_name` with the current context if some installed app provides it, else nothing.

    Lets a page offer a slot that another app (e.g. insights) fills later without the page depending on it.
    """
    try:
        panel = context.template.engine.get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    return panel.render(context)


@register.filter
def number(value: float | None, decimals: int = 0) -> str:
    """A number with `decimals` places and the active language's separators; "—" when missing."""
    return format_number(value, decimals=int(decimals), language=(get_language() or "pl")[:2])


@register.filter
def stated(value: float | None) -> str:
    """A figure as its source states it, with the active language's separators."""
    return format_stated(value, language=(get_language() or "pl")[:2])
