"""API reads by data version: an ETag, 304 for a client that holds the answer, a stored body until the next
write, and nothing stored or served from the store for signed-in users."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from obserwatorium.dataversion.selectors import data_version
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import Flag, Indicator
from obserwatorium.indicators.services import edit_observation
from obserwatorium.territory.models import Unit

pytestmark = pytest.mark.django_db

URL, PARAMS = "/api/observations", {"indicator": "population", "unit": "1206113", "period_from": "1990",
                                    "period_to": "1990"}


def _stored_keys() -> list[str]:
    return [key for key in cache._cache if "obs:api:" in key]  # type: ignore[attr-defined]  # LocMemCache


def _write(admin_user, value: float) -> None:
    unit = Unit.objects.get(teryt="1206113", valid_to=None)
    edit_observation(row=ObservationRow(Indicator.objects.get(code="population").pk, unit.pk, "1990", value,
                                        Flag.FINAL), user=admin_user)


def test_an_answer_carries_the_version_etag_and_a_matching_request_gets_a_304(client):
    first = client.get(URL, PARAMS)
    etag = first["ETag"]
    assert etag.startswith(f'W/"{data_version().token}-') and first["Cache-Control"] == "public, no-cache"
    assert "Cookie" in first["Vary"] and "Accept-Language" in first["Vary"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, PARAMS, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert len(queries) == 1  # the data version, nothing else


def test_a_stored_answer_is_served_until_a_write_bumps_the_version(client, admin_user):
    _write(admin_user, 100.0)
    first = client.get(URL, PARAMS)
    assert [item["value"] for item in first.json()["items"]] == [100.0]
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL, PARAMS)
    assert len(queries) == 1 and second.content == first.content and second["ETag"] == first["ETag"]
    _write(admin_user, 200.0)
    third = client.get(URL, PARAMS, HTTP_IF_NONE_MATCH=first["ETag"])
    assert third.status_code == 200 and third["ETag"] != first["ETag"]
    assert [item["value"] for item in third.json()["items"]] == [200.0]


def test_the_language_and_the_query_are_parts_of_the_key(client):
    polish = client.get(URL, {"indicator": "population"})
    english = client.get(URL, {"indicator": "population"}, HTTP_ACCEPT_LANGUAGE="en")
    assert polish["ETag"] != english["ETag"]
    assert polish.json()["notice"] != english.json()["notice"]
    assert client.get(URL, PARAMS)["ETag"] != polish["ETag"]


def test_signed_in_users_are_never_served_nor_stored_a_public_answer(client, admin_user):
    client.get(URL, PARAMS)
    assert len(_stored_keys()) == 1
    client.force_login(admin_user)
    signed_in = client.get(URL, PARAMS)
    assert signed_in.status_code == 200 and not signed_in.has_header("ETag")
    assert signed_in["Cache-Control"] == "private, no-cache" and "Cookie" in signed_in["Vary"]
    cache.clear()
    client.get(URL, {**PARAMS, "page_size": 3})
    assert _stored_keys() == []
    client.logout()
    assert client.get(URL, PARAMS).has_header("ETag")


def test_errors_and_csv_are_neither_stored_nor_tagged(client):
    bad = client.get(URL, {"indicator": "no-such-indicator"})
    assert bad.status_code == 422 and not bad.has_header("ETag")
    csv = client.get("/api/observations.csv", PARAMS)
    assert csv.status_code == 200 and not csv.has_header("ETag")
    assert _stored_keys() == []


def test_every_api_read_is_tagged(client):
    for path in ("/api/units", "/api/indicators", "/api/indicators/population", "/api/domains"):
        response = client.get(path)
        assert response.status_code == 200 and response.has_header("ETag"), path
        assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, path


# Large enough to be compressed (every unit's population over every period).
WIDE = {"indicator": "population", "page_size": 500}


class _CompressionCalls:
    """Counts what reaches the compression layer, which lies inside the stored-answer layer."""

    def __init__(self, monkeypatch) -> None:
        from obserwatorium.web import compression

        self.calls = 0
        original = compression.CompressionMiddleware.__call__

        def counted(middleware, request):
            self.calls += 1
            return original(middleware, request)

        monkeypatch.setattr(compression.CompressionMiddleware, "__call__", counted)


def _decoded(response) -> dict:
    import gzip
    import json

    import brotli

    coding = response.get("Content-Encoding")
    body = response.content
    body = brotli.decompress(body) if coding == "br" else gzip.decompress(body) if coding == "gzip" else body
    return json.loads(body)


def test_a_visitor_without_a_session_is_served_the_answer_as_it_went_out_with_one_read(client, monkeypatch):
    first = client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    assert first["Content-Encoding"] == "br"
    compression = _CompressionCalls(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    assert len(queries) == 1 and compression.calls == 0  # the data version; not built nor compressed again
    assert second.status_code == 200 and second.content == first.content
    for header in ("ETag", "Content-Encoding", "Content-Type", "Content-Language", "Vary", "Cache-Control",
                   "Content-Length", "X-Frame-Options"):
        assert second[header] == first[header], header
    # The security headers are set afresh on every answer, outside the store.
    assert second.has_header("Content-Security-Policy") and second["X-Content-Type-Options"] == "nosniff"


def test_each_coding_and_language_has_its_own_stored_answer(client, monkeypatch):
    answers = {}
    for coding in ("br", "gzip", ""):
        for language in ("pl", "en"):
            answers[coding, language] = client.get(URL, WIDE, HTTP_ACCEPT_ENCODING=coding,
                                                   HTTP_ACCEPT_LANGUAGE=language)
    compression = _CompressionCalls(monkeypatch)
    for (coding, language), first in answers.items():
        again = client.get(URL, WIDE, HTTP_ACCEPT_ENCODING=coding, HTTP_ACCEPT_LANGUAGE=language)
        assert again.get("Content-Encoding") == first.get("Content-Encoding") == (coding or None)
        assert again["Content-Language"] == language and _decoded(again) == _decoded(first)
    assert compression.calls == 0
    assert _decoded(answers["br", "pl"])["notice"] != _decoded(answers["br", "en"])["notice"]
    assert _decoded(answers["br", "pl"]) == _decoded(answers["gzip", "pl"]) == _decoded(answers["", "pl"])


def test_a_stored_answer_gives_a_304_without_body_headers(client):
    first = client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=first["ETag"])
    assert len(queries) == 1
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    assert not again.has_header("Content-Encoding") and not again.has_header("Content-Type")
    assert "Accept-Encoding" in again["Vary"] and again["Cache-Control"] == "public, no-cache"


def test_a_write_makes_the_stored_answer_obsolete(client, admin_user, monkeypatch):
    _write(admin_user, 100.0)
    client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    _write(admin_user, 200.0)
    compression = _CompressionCalls(monkeypatch)
    fresh = client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    assert compression.calls == 1 and fresh["Content-Encoding"] == "br"
    assert [item["value"] for item in _decoded(fresh)["items"]
            if item["teryt"] == "1206113" and item["period"] == "1990"] == [200.0]


def test_a_session_credentials_a_body_or_no_cache_go_the_whole_way(client, admin_user, monkeypatch, settings):
    client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    compression = _CompressionCalls(monkeypatch)
    client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br", HTTP_AUTHORIZATION="Bearer nothing")
    client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br", CONTENT_LENGTH="2")
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    assert compression.calls == 3
    client.cookies.clear()
    client.force_login(admin_user)
    signed_in = client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br, gzip")
    assert compression.calls == 4 and signed_in["Cache-Control"] == "private, no-cache"
    assert signed_in["Content-Encoding"] == "gzip"  # never brotli with a session (BREACH)
    client.logout()
    client.cookies.clear()
    settings.OBS_API_CACHE_SECONDS = 0
    client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    client.get(URL, WIDE, HTTP_ACCEPT_ENCODING="br")
    assert compression.calls == 6
