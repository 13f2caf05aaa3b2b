"""Registry records as a table (CSV or XLSX download): every field, labelled in the active language."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import models
from django.http import HttpResponse
from django.utils import timezone

from obserwatorium.downloads.csvfile import EXCEL_PL, CsvWriter, write_csv
from obserwatorium.downloads.xlsxfile import Column, Kind, Workbook, XlsxWriter

XLSX_TYPE = XlsxWriter.media_type


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def _cell(record: models.Model, field: models.Field) -> Any:
    if field.many_to_many:
        return "; ".join(str(item) for item in getattr(record, field.name).all())
    if field.is_relation:
        related = getattr(record, field.name)
        return str(related) if related is not None else ""
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    value = getattr(record, field.attname)
    if isinstance(field, models.JSONField):
        return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if hasattr(value, "storage"):  # a file
        return value.name or ""
    return value


def table(queryset: models.QuerySet) -> tuple[list[str], list[list[Any]]]:
    """Column labels and rows of the queryset's records."""
    columns = _columns(queryset.model)
    related = [f.name for f in columns if f.is_relation and not f.many_to_many]
    records = queryset.select_related(*related).prefetch_related(*(f.name for f in columns if f.many_to_many))
    headers = [str(f.verbose_name) for f in columns]
    return headers, [[_cell(record, f) for f in columns] for record in records]


def _kind(field: models.Field) -> Kind:
    """The spreadsheet type of a column, as `_cell` gives its values."""
    if field.is_relation or field.choices or isinstance(field, models.FileField):
        return Kind.TEXT
    if isinstance(field, models.BooleanField):
        return Kind.BOOLEAN
    if isinstance(field, models.DateTimeField):
        return Kind.DATETIME
    if isinstance(field, models.DateField):
        return Kind.DATE
    if isinstance(field, models.IntegerField):
        return Kind.INTEGER
    if isinstance(field, models.FloatField | models.DecimalField):
        return Kind.NUMBER
    return Kind.TEXT


def csv_response(queryset: models.QuerySet, *, filename: str) -> HttpResponse:
    """A CSV download (UTF-8 with BOM, ';'-separated, as spreadsheets set to Polish read it)."""
    headers, rows = table(queryset)
    response = HttpResponse(write_csv(header=headers, rows=rows, dialect=EXCEL_PL), content_type=CsvWriter.media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(queryset: models.QuerySet, *, filename: str) -> HttpResponse:
    """An XLSX download with typed cells (numbers, dates, booleans)."""
    headers, rows = table(queryset)
    columns = [Column(header, _kind(field)) for header, field in zip(headers, _columns(queryset.model), strict=True)]
    book = Workbook()
    book.add_table(filename, columns, rows)
    response = HttpResponse(book.close(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
