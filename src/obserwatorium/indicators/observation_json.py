"""The observations page encoded straight from pre-shaped rows with orjson, without a pydantic model per row.

The answer is the one `schemas.ObservationPageOut` (rows) or `schemas.ObservationColumnsOut` (columns) declares,
key for key and in the same order; date-times are written as Django's JSON encoder writes them (milliseconds,
`Z` for UTC), as the schema-validated endpoints do. `tests/indicators/test_observations_fast_json.py` holds the
two equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from obserwatorium.indicators.schemas import ObservationOut

OBSERVATION_KEYS = tuple(ObservationOut.model_fields)
CONTENT_TYPE = "application/json; charset=utf-8"
_DATES = DjangoJSONEncoder()


def _default(value: Any) -> Any:
    return _DATES.default(value)


def encode(data: Any) -> bytes:
    """JSON of plain data; date-times as DjangoJSONEncoder writes them."""
    return orjson.dumps(data, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)


def page_response(*, head: dict[str, Any], rows: Sequence[tuple], columns: bool) -> HttpResponse:
    """The page: `head` (page fields, sources, demo, notice) and the rows as objects or as column arrays."""
    if columns:
        arrays = list(zip(*rows, strict=True)) if rows else [()] * len(OBSERVATION_KEYS)
        body = {**head, "columns": dict(zip(OBSERVATION_KEYS, arrays, strict=True))}
    else:
        body = {**head, "items": [dict(zip(OBSERVATION_KEYS, row, strict=True)) for row in rows]}
    return HttpResponse(encode(body), content_type=CONTENT_TYPE)
