"""Dates known only to the month or the year: a source often says "in December 2022" or "in 2022", and a record
must keep exactly that, neither a made-up day nor nothing."""

from __future__ import annotations

import datetime

from babel.dates import format_date
from django.db import models
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def stated_date(value: datetime.date | None, precision: str = DatePrecision.DAY) -> str:
    """The date as far as it is known, in the active language ('13 grudnia 2022', 'grudzień 2022', '2022')."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        # The stand-alone month name ('grudzień 2022'); Django's Polish format capitalises it mid-sentence.
        language = (get_language() or "pl")[:2]
        return format_date(value, "LLLL y", locale=language if language in ("pl", "en") else "pl")
    return formats.date_format(value, "DATE_FORMAT")


def first_day(value: datetime.date, precision: str) -> datetime.date:
    """The stored form of a date of the given precision: the first day of its month or year."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def precision_field(verbose_name) -> models.CharField:
    """A companion field saying how much of a date field is known."""
    return models.CharField(verbose_name, max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY,
                            help_text=_("How much of the date the source states: the day, only the month, or "
                                        "only the year (then the first day of the month or year is stored)."))
