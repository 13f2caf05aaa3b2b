"""Template tags of the pages: optional panels of other apps and numbers in the page's language.

The `number` filter is the one way a template shows a number (tests/web/test_numbers.py keeps it so).
"""

from __future__ import annotations

from django import template
from django.template import TemplateDoesNotExist
from django.template.context import Context
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from obserwatorium.indicators import marks
from obserwatorium.numbers import format_number

register = template.Library()


@register.simple_tag(takes_context=True)
def optional_panel(context: Context, template_name: str) -> SafeString | str:
    """Render `template_name` with the current context if some installed app provides it, else nothing.

    Lets a page offer a slot that another app (e.g. insights) fills later without the page depending on it.
    """
    if context.template is None:  # a Context rendered outside a template has no engine to look in
        return ""
    try:
        panel = context.template.engine.get_template(template_name)
    except TemplateDoesNotExist:
        return ""
    return panel.render(context)


@register.filter
def number(value: float | None, decimals: int | str = 0) -> str:
    """A number in the active language with `decimals` places, or at most -`decimals` places when negative
    (no padding zeros: `number:-3` shows 72.03 as "72,03" and 1.0 as "1"); "—" when missing."""
    places = int(decimals)
    return format_number(value, decimals=abs(places), trim=places < 0, language=(get_language() or "pl")[:2])


@register.simple_tag
def flag_mark(flag: str | None, value: float | None = 0.0) -> SafeString | str:
    """The short mark of a non-final flag beside a shown value (a unit's or a group's), the same everywhere;
    nothing for a final or a missing value."""
    return marks.flag_mark(flag, value)
