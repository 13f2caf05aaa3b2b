"""The observations page encoded straight from pre-shaped rows (`api.json_body`), without a pydantic model per row.

The answer is the one `schemas.ObservationPageOut` (rows) or `schemas.ObservationColumnsOut` (columns) declares,
key for key and in the same order. `tests/indicators/test_observations_fast_json.py` holds the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse

from obserwatorium.api.json_body import json_response
from obserwatorium.indicators.schemas import ObservationOut

OBSERVATION_KEYS = tuple(ObservationOut.model_fields)


def page_response(*, head: dict[str, Any], rows: Sequence[tuple], columns: bool) -> HttpResponse:
    """The page: `head` (page fields, sources, demo, notice) and the rows as objects or as column arrays."""
    if columns:
        arrays = list(zip(*rows, strict=True)) if rows else [()] * len(OBSERVATION_KEYS)
        body = {**head, "columns": dict(zip(OBSERVATION_KEYS, arrays, strict=True))}
    else:
        body = {**head, "items": [dict(zip(OBSERVATION_KEYS, row, strict=True)) for row in rows]}
    return json_response(body)
