"""Compressed answers: brotli or gzip by Accept-Encoding for text, never for files compressed already nor for tiny
bodies, the API's 304s unchanged; hashed static files cached for ten years, each with its .br and .gz."""

from __future__ import annotations

import gzip
import io
import re
import zipfile

import brotli
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from obserwatorium.web.compression import CompressionMiddleware, accepted_codings, compressible
from obserwatorium.web.static_storage import ReusingCompressor, StaticStorage

RANKING = "/analytics/download/ranking.{}?indicator=population&period=2020"
OBSERVATIONS = "/api/observations?indicator=population"
BROWSER = "gzip, deflate, br, zstd"


def _decoded(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    coding = response.get("Content-Encoding")
    return brotli.decompress(body) if coding == "br" else gzip.decompress(body) if coding == "gzip" else body


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "coding"), [(BROWSER, "br"), ("gzip, deflate", "gzip"), ("br;q=0, gzip", "gzip"),
                                                ("identity", None), ("", None)])
def test_the_coding_follows_accept_encoding(client, accept, coding):
    plain = client.get("/")
    response = client.get("/", HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200 and response.get("Content-Encoding") == coding
    assert "Accept-Encoding" in response["Vary"]
    assert re.sub(rb'value="[^"]+"', b"", _decoded(response)) == re.sub(rb'value="[^"]+"', b"", plain.content)
    if coding:
        assert len(response.content) < len(plain.content) / 2
        assert int(response["Content-Length"]) == len(response.content)


@pytest.mark.django_db
def test_data_in_text_formats_is_compressed_and_files_compressed_already_are_not(client):
    for fmt, coding in [("csv", "br"), ("json", "br"), ("geojson", "br"), ("xlsx", None), ("parquet", None)]:
        response = client.get(RANKING.format(fmt), HTTP_ACCEPT_ENCODING=BROWSER)
        assert response.status_code == 200, fmt
        assert response.get("Content-Encoding") == coding, (fmt, response["Content-Type"])
    book = client.get(RANKING.format("xlsx"), HTTP_ACCEPT_ENCODING=BROWSER)
    assert zipfile.is_zipfile(io.BytesIO(book.content))


@pytest.mark.django_db
def test_a_streamed_csv_is_compressed_as_it_streams(client):
    plain = b"".join(client.get("/api/observations.csv?indicator=population").streaming_content)
    for accept, coding in [(BROWSER, "br"), ("gzip", "gzip")]:
        response = client.get("/api/observations.csv?indicator=population", HTTP_ACCEPT_ENCODING=accept)
        assert response.streaming and response["Content-Encoding"] == coding
        assert not response.has_header("Content-Length")
        assert _decoded(response) == plain


@pytest.mark.django_db
def test_the_api_304_still_answers_a_compressed_answer(client):
    first = client.get(OBSERVATIONS, HTTP_ACCEPT_ENCODING=BROWSER)
    assert first["Content-Encoding"] == "br" and first["ETag"].startswith('W/"')
    again = client.get(OBSERVATIONS, HTTP_ACCEPT_ENCODING=BROWSER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and not again.has_header("Content-Encoding")
    assert again["ETag"] == first["ETag"] and "Accept-Encoding" in again["Vary"]
    # The stored body is the plain one: a client without compression gets it, under the same ETag.
    plain = client.get(OBSERVATIONS)
    assert not plain.has_header("Content-Encoding") and plain.content == brotli.decompress(first.content)
    assert plain["ETag"] == first["ETag"]


@pytest.mark.django_db
def test_a_signed_in_user_gets_gzip_with_its_random_padding_never_brotli(client):
    client.force_login(get_user_model().objects.create_user("compressed-reader", password=None))
    answers = [client.get("/", HTTP_ACCEPT_ENCODING=BROWSER) for _ in range(4)]
    assert {answer["Content-Encoding"] for answer in answers} == {"gzip"}
    # BREACH: each gzip header carries a random-length file name (Django's padding), so the length varies.
    assert all(answer.content[3] & gzip.FNAME for answer in answers)
    assert len({answer.content[10:].index(b"\0") for answer in answers}) > 1


def _middleware(response: HttpResponse, accept: str = BROWSER) -> HttpResponse:
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    return CompressionMiddleware(lambda _: response)(request)  # type: ignore[return-value]


def test_a_small_body_an_encoded_one_and_a_no_transform_one_pass_unchanged():
    small = _middleware(HttpResponse(b"x" * 199, content_type="text/html"))
    assert not small.has_header("Content-Encoding") and small.content == b"x" * 199
    encoded = _middleware(HttpResponse(gzip.compress(b"x" * 1000), content_type="text/plain",
                                       headers={"Content-Encoding": "gzip"}))
    assert encoded["Content-Encoding"] == "gzip" and gzip.decompress(encoded.content) == b"x" * 1000
    kept = _middleware(HttpResponse(b"x" * 1000, content_type="text/csv", headers={"Cache-Control": "no-transform"}))
    assert not kept.has_header("Content-Encoding")
    big = _middleware(HttpResponse(b"x" * 200, content_type="text/html"))
    assert big["Content-Encoding"] == "br" and brotli.decompress(big.content) == b"x" * 200


def test_a_strong_etag_becomes_weak_when_the_body_is_compressed():
    response = _middleware(HttpResponse(b"<p>text</p>" * 100, content_type="text/html", headers={"ETag": '"abc"'}))
    assert response["ETag"] == 'W/"abc"'


def test_a_streamed_answer_in_brotli_decodes_to_its_chunks():
    chunks = [f"row {i},{i * 7}\n".encode() for i in range(5000)]
    response = _middleware(StreamingHttpResponse(iter(chunks), content_type="text/csv"))  # type: ignore[arg-type]
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(response.streaming_content)) == b"".join(chunks)


def test_types_and_accept_encoding_are_read_as_the_standards_say():
    assert all(compressible(t) for t in ("text/html; charset=utf-8", "application/json", "application/geo+json",
                                         "image/svg+xml", "text/turtle", "application/rdf+xml", "text/calendar"))
    assert not any(compressible(t) for t in (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.apache.parquet",
        "application/octet-stream", "image/png", "application/pdf", "application/zip", "text/event-stream", ""))
    assert accepted_codings("gzip;q=0.5, BR ; q=1.0, deflate;q=0, *;q=0") == {"gzip", "br"}


@pytest.mark.django_db
def test_hashed_static_files_are_cached_for_ten_years_and_come_compressed(client):
    page = client.get("/").content.decode()
    stylesheet = re.search(r'href="(/static/web/site\.[0-9a-f]{12}\.css)"', page).group(1)
    for accept, coding in [(BROWSER, "br"), ("gzip", "gzip"), ("", None)]:
        response = client.get(stylesheet, HTTP_ACCEPT_ENCODING=accept)
        assert response.status_code == 200 and response.get("Content-Encoding") == coding
        assert response["Cache-Control"] == "max-age=315360000, public, immutable"
        body = b"".join(response.streaming_content)
        assert b"font" in (brotli.decompress(body) if coding == "br" else gzip.decompress(body) if coding else body)
    # The plain name (a link made by hand, the favicon redirect) still answers, with a short cache.
    plain = client.get("/static/web/site.css")
    assert plain.status_code == 200 and "immutable" not in plain["Cache-Control"]


def test_a_file_not_collected_keeps_its_plain_name(tmp_path):
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    assert storage.url("web/site.css") == "/static/web/site.css"


def test_a_hashed_file_is_compressed_once(tmp_path):
    hashed = tmp_path / "site.0123456789ab.css"
    hashed.write_text("body { color: black; }\n" * 100)
    compressor = ReusingCompressor(quiet=True)
    written = compressor.compress(str(hashed))
    assert sorted(written) == [str(hashed) + ".br", str(hashed) + ".gz"]
    (tmp_path / "site.0123456789ab.css.br").write_bytes(b"kept")
    assert sorted(compressor.compress(str(hashed))) == sorted(written)
    assert (tmp_path / "site.0123456789ab.css.br").read_bytes() == b"kept"
    plain = tmp_path / "site.css"  # a plain name says nothing of its content: compressed anew each time
    plain.write_text("a { }\n" * 100)
    compressor.compress(str(plain))
    plain.write_text("b { }\n" * 100)
    compressor.compress(str(plain))
    assert gzip.decompress((tmp_path / "site.css.gz").read_bytes()).startswith(b"b { }")
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "obserwatorium.web.static_storage.StaticStorage"
