"""`{{ record.adopted_on|stated_date:record.adopted_precision }}`: a date shown only as far as it is known."""

from __future__ import annotations

from django import template

from obserwatorium.cooperation.dates import DatePrecision
from obserwatorium.cooperation.dates import stated_date as format_stated_date

register = template.Library()


@register.filter
def stated_date(value, precision: str = DatePrecision.DAY) -> str:
    return format_stated_date(value, precision or DatePrecision.DAY)
