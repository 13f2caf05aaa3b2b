"""Every table of every app, read and written row by row as JSON values that keep their exact type."""

from __future__ import annotations

import base64
import datetime
import decimal
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils.dateparse import parse_duration
from django.utils.duration import duration_iso_string

READ_CHUNK = 5_000
WRITE_CHUNK = 2_000
# Filled by `migrate` in a fresh database; a target holding only these is still empty.
FILLED_BY_MIGRATE = frozenset({"contenttypes.contenttype", "auth.permission"})
SESSIONS = "sessions.session"

_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": lambda v: v.isoformat(),
    "DateField": lambda v: v.isoformat(),
    "TimeField": lambda v: v.isoformat(),
    "DecimalField": str,
    "UUIDField": str,
    "DurationField": duration_iso_string,
    "BinaryField": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
}
_DECODERS: dict[str, Callable[[Any], Any]] = {
    "DateTimeField": datetime.datetime.fromisoformat,
    "DateField": datetime.date.fromisoformat,
    "TimeField": datetime.time.fromisoformat,
    "DecimalField": decimal.Decimal,
    "UUIDField": uuid.UUID,
    "DurationField": parse_duration,
    "BinaryField": base64.b64decode,
}


def label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def stored_models(*, sessions: bool = True) -> list[type[models.Model]]:
    """Every model with a table of its own: all apps, auth and many-to-many link tables included."""
    chosen = [model for model in apps.get_models(include_auto_created=True)
              if model._meta.managed and not model._meta.proxy and not model._meta.swapped]
    return sorted((m for m in chosen if sessions or label(m) != SESSIONS), key=label)


def columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def _codec(field: models.Field, table: dict[str, Callable[[Any], Any]]) -> Callable[[Any], Any] | None:
    internal = field.target_field.get_internal_type() if isinstance(field, models.ForeignObject) \
        else field.get_internal_type()
    return table.get(internal)


def read_rows(model: type[models.Model]) -> Iterator[list]:
    """The model's rows in primary-key order, each a list of JSON-ready values (the columns' order)."""
    fields = columns(model)
    codecs = [_codec(field, _ENCODERS) for field in fields]
    rows = model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
    for row in rows.iterator(chunk_size=READ_CHUNK):
        yield [value if value is None or codec is None else codec(value) for value, codec in zip(row, codecs,
                                                                                                strict=True)]


def write_rows(model: type[models.Model], names: list[str], rows: Iterator[list]) -> int:
    """Insert rows of the archive (columns named as the archive names them) keeping their primary keys."""
    fields = {field.attname: field for field in columns(model)}
    unknown = [name for name in names if name not in fields]
    if unknown or len(names) != len(fields):
        raise ValueError(f"{label(model)}: the archive's columns {names} do not match the code's {list(fields)}")
    ordered = [fields[name] for name in names]
    codecs = [_codec(field, _DECODERS) for field in ordered]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in ordered)}) "
           f"VALUES ({', '.join(['%s'] * len(ordered))})")
    count, chunk = 0, []
    with connection.cursor() as cursor:
        for row in rows:
            chunk.append([field.get_db_prep_save(value if value is None or codec is None else codec(value),
                                                 connection)
                          for value, field, codec in zip(row, ordered, codecs, strict=True)])
            if len(chunk) == WRITE_CHUNK:
                cursor.executemany(sql, chunk)
                count, chunk = count + len(chunk), []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def delete_all(models_to_empty: list[type[models.Model]]) -> None:
    """Empty every table (inside the restore's transaction; foreign keys are checked at its commit)."""
    with connection.cursor() as cursor:
        for model in models_to_empty:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def reset_sequences(restored: list[type[models.Model]]) -> None:
    """Let new rows continue after the restored primary keys (PostgreSQL sequences)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def non_empty_tables() -> list[str]:
    """Tables of the target that hold rows (beyond those `migrate` fills); a missing table counts as empty."""
    existing = set(connection.introspection.table_names())
    found = []
    for model in stored_models():
        if label(model) in FILLED_BY_MIGRATE or model._meta.db_table not in existing:
            continue
        if model._base_manager.exists():
            found.append(label(model))
    return found
