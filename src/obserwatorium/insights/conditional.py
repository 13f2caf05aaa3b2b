"""Conditional GET for JSON answers: a strong ETag over the body, Last-Modified from the data version."""

from __future__ import annotations

import hashlib
import json
import math
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe

CACHE_CONTROL = "public, max-age=0, must-revalidate"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def conditional_response(request: HttpRequest, body: bytes, content_type: str, last_modified: datetime
                         ) -> HttpResponse:
    """200 with validators, or 304 when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    etag = etag_of(body)
    stamp = int(last_modified.timestamp())
    not_modified = False
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        not_modified = _matches(if_none_match, etag)
    else:
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        not_modified = since is not None and stamp <= since
    response = HttpResponseNotModified() if not_modified else HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = CACHE_CONTROL
    response["Vary"] = "Accept-Language, Cookie"
    return response


def finite(data: Any) -> Any:
    """The data with NaN and infinities replaced by null (JSON has neither)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [finite(value) for value in data]
    return data


def conditional_json(request: HttpRequest, payload: Any, last_modified: datetime) -> HttpResponse:
    """A JSON answer (pydantic model or plain data) under conditional GET."""
    if hasattr(payload, "model_dump"):
        payload = payload.model_dump(mode="json")
    body = json.dumps(finite(payload), ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return conditional_response(request, body, "application/json; charset=utf-8", last_modified)
