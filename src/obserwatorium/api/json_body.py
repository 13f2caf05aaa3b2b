"""Answers encoded straight from plain rows with orjson, where a pydantic model per row would cost most of the
request (thousands of units, a page of observations). The body is what the endpoint's response model declares,
key for key and in the same order; date-times are written as Django's JSON encoder writes them (milliseconds, `Z`
for UTC), as the schema-validated endpoints do. Each such endpoint has a test holding the two equal."""

from __future__ import annotations

from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

CONTENT_TYPE = "application/json; charset=utf-8"
_DATES = DjangoJSONEncoder()


def _default(value: Any) -> Any:
    return _DATES.default(value)


def encode(data: Any) -> bytes:
    """JSON of plain data; date-times as DjangoJSONEncoder writes them."""
    return orjson.dumps(data, default=_default, option=orjson.OPT_PASSTHROUGH_DATETIME)


def json_response(data: Any) -> HttpResponse:
    return HttpResponse(encode(data), content_type=CONTENT_TYPE)
