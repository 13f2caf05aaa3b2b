"""Compressed answers of the site's own pages and data: brotli where the client accepts it, else gzip.

Text compresses to a fifth or less (HTML, JSON, CSV, GeoJSON, SVG, Turtle); files that are compressed already
(XLSX, Parquet, PNG, PDF, ZIP) are passed on as they are. Static files never come here: whitenoise answers them
first, with the .br and .gz files written by `obserwatorium assets`.

BREACH: a page that reflects what a visitor typed beside a secret can leak the secret through its compressed
length. Gzip answers carry Django's defence (random-length padding, as GZipMiddleware does); brotli has no such
field, so answers to a signed-in user (or any request with credentials, where the secrets are) are never brotli.
A visitor without a session holds no secret but the CSRF token, which Django masks anew for every answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator

import brotli
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_sequence, compress_string

MIN_LENGTH = 200  # shorter bodies gain nothing (Django's GZipMiddleware uses the same bound)
# 5 costs no more than gzip's level 6 (0.23 against 0.31 ms for the 15 KB home page) for 6-18 % smaller bodies;
# 11, the static files' level, takes 80 times longer: right for a file compressed once, not per answer.
BROTLI_QUALITY = 5
GZIP_RANDOM_BYTES = 100  # Django's GZipMiddleware.max_random_bytes
TEXT_TYPES = frozenset({"application/json", "application/javascript", "application/xml", "image/svg+xml"})
TEXT_SUFFIXES = ("+json", "+xml")  # geo+json, ld+json, problem+json, rss+xml, atom+xml, rdf+xml


def compressible(content_type: str) -> bool:
    """Whether a body of this type is text worth compressing (an allow-list: unknown types pass unchanged)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "text/event-stream":  # each event must leave at once, not when a compressed block fills
        return False
    return media_type.startswith("text/") or media_type in TEXT_TYPES or media_type.endswith(TEXT_SUFFIXES)


def accepted_codings(header: str) -> set[str]:
    """The content codings an Accept-Encoding header allows (q=0 refuses one)."""
    accepted = set()
    for item in header.split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        quality = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding and quality > 0:
            accepted.add(coding.lower())
    return accepted


def _has_credentials(request: HttpRequest) -> bool:
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def choose_coding(request: HttpRequest) -> str | None:
    """"br", "gzip" or None (no compression) for this request."""
    accepted = accepted_codings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    if "br" in accepted and not _has_credentials(request):
        return "br"
    return "gzip" if "gzip" in accepted else None


def _brotli_sequence(chunks: Iterable[bytes]) -> Iterator[bytes]:
    compressor = brotli.Compressor(quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
    for chunk in chunks:
        if output := compressor.process(chunk):
            yield output
    yield compressor.finish()


async def _brotli_async(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    compressor = brotli.Compressor(quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
    async for chunk in chunks:
        if output := compressor.process(chunk):
            yield output
    yield compressor.finish()


async def _gzip_async(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    async for chunk in chunks:  # one gzip member per chunk, as Django's GZipMiddleware does
        yield compress_string(chunk, max_random_bytes=GZIP_RANDOM_BYTES)


def _compress_body(body: bytes, coding: str) -> bytes:
    if coding == "br":
        return brotli.compress(body, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
    return compress_string(body, max_random_bytes=GZIP_RANDOM_BYTES)


def _worth_compressing(response: HttpResponseBase) -> bool:
    if response.has_header("Content-Encoding") or response.status_code == 206:
        return False
    if "no-transform" in response.get("Cache-Control", "").lower():
        return False
    if not compressible(response.get("Content-Type", "")):
        return False
    return response.streaming or len(response.content) >= MIN_LENGTH  # type: ignore[attr-defined]


class CompressionMiddleware:
    """Brotli or gzip for text answers of at least MIN_LENGTH bytes, with Vary: Accept-Encoding."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code == 304:
            # A 304 stands for the answer it confirms, which may have been compressed: a cache that updates its
            # copy from the 304's headers must keep varying on the encoding.
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        if not _worth_compressing(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = choose_coding(request)
        if coding is None:
            return response
        if response.streaming:
            self._compress_stream(response, coding)
        else:
            body = response.content  # type: ignore[attr-defined]
            compressed = _compress_body(body, coding)
            if len(compressed) >= len(body):
                return response
            response.content = compressed  # type: ignore[attr-defined]
            response.headers["Content-Length"] = str(len(compressed))
        # The compressed body is another representation of the same content: a strong ETag becomes weak
        # (RFC 9110 8.8.1), and a weak one, the API's, keeps matching the client's If-None-Match.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = coding
        return response

    @staticmethod
    def _compress_stream(response: HttpResponseBase, coding: str) -> None:
        content = response.streaming_content  # type: ignore[attr-defined]
        wrapped: Iterator[bytes] | AsyncIterator[bytes]
        if response.is_async:  # type: ignore[attr-defined]
            wrapped = _brotli_async(content) if coding == "br" else _gzip_async(content)
        elif coding == "br":
            wrapped = _brotli_sequence(content)
        else:
            wrapped = compress_sequence(content, max_random_bytes=GZIP_RANDOM_BYTES)
        response.streaming_content = wrapped  # type: ignore[attr-defined]
        # The compressed length is known only once the last chunk is sent.
        del response.headers["Content-Length"]
