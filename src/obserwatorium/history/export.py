"""Registry records as a table (CSV or XLSX download): every field, labelled in the active language."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.db import models
from django.http import HttpResponse
from django.utils import timezone

from obserwatorium.downloads.formats import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat(sep=" ") if isinstance(value, datetime.datetime) else value.isoformat()
    return str(value)


def csv_response(queryset: models.QuerySet, *, filename: str) -> HttpResponse:
    """A CSV download (UTF-8 with BOM, ';'-separated, as spreadsheets set to Polish read it)."""
    headers, rows = table(queryset)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(headers)
    writer.writerows([neutralise(_text(value)) for value in row] for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(queryset: models.QuerySet, *, filename: str) -> HttpResponse:
    """An XLSX download with typed cells (numbers, dates, booleans)."""
    headers, rows = table(queryset)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "remove_timezone": True})
    sheet = workbook.add_worksheet(filename[:31])
    bold = workbook.add_format({"bold": True})
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    stamps = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, headers, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, datetime.datetime):
                sheet.write_datetime(r, c, value, stamps)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), dates)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(r, c, float(value))
            elif value is None:
                sheet.write_blank(r, c, None)
            else:
                sheet.write_string(r, c, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
