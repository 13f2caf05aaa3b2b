"""One request body limit (OBS_MAX_UPLOAD_MB), enforced from the headers before the body is read: on the site's
upload form, on the API's progress upload, and by the served site (waitress) for a chunked body."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from obserwatorium.access.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db
LIMIT = settings.MAX_REQUEST_BODY


class UnreadableBody:
    """A request body that fails the test when anything reads more than `allowed` bytes of it."""

    def __init__(self, allowed: int = 0):
        self.allowed = allowed
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 64 * 1024 if size is None or size < 0 else size
        self.read_bytes += size
        if self.read_bytes > self.allowed:
            raise AssertionError(f"the body was read ({self.read_bytes} bytes) before the limit was checked")
        return b"x" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def _post(client, path: str, *, length: int, body: UnreadableBody, language: str = "pl"):
    return client.generic("POST", path, CONTENT_LENGTH=str(length), CONTENT_TYPE="multipart/form-data; boundary=b",
                          HTTP_ACCEPT_LANGUAGE=language, **{"wsgi.input": body})


@pytest.fixture
def office(client):
    user = get_user_model().objects.create_user("limit-office", password=None, is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.OFFICE_ADMIN)
    client.force_login(user)
    return user


@pytest.mark.parametrize(("language", "words"), [("pl", "Plik jest za duży"), ("en", "File too large")])
def test_upload_form_refuses_an_oversized_body_unread(client, office, language, words):
    body = UnreadableBody()
    response = _post(client, "/import/", length=LIMIT + 1, body=body, language=language)
    assert response.status_code == 413 and body.read_bytes == 0
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert words in page and f"{settings.MAX_REQUEST_BODY // (1024 * 1024)} MB" in page


@pytest.mark.parametrize(("language", "words"), [("pl", "większe niż"), ("en", "larger than")])
def test_api_upload_refuses_an_oversized_body_unread(client, office, language, words):
    body = UnreadableBody()
    response = _post(client, "/api/strategy/actions/progress", length=2 * 1024**3, body=body, language=language)
    assert response.status_code == 413 and body.read_bytes == 0
    assert words in response.json()["detail"]


def test_api_upload_checks_rights_before_reading_the_body(client):
    """A signed-in user who may change no action is refused before a byte of the file is read."""
    client.force_login(get_user_model().objects.create_user("limit-reader", password=None))
    client.cookies["csrftoken"] = "a" * 32
    body = UnreadableBody()
    response = client.generic("POST", "/api/strategy/actions/progress", CONTENT_LENGTH="1000",
                              CONTENT_TYPE="multipart/form-data; boundary=b", HTTP_X_CSRFTOKEN="a" * 32,
                              **{"wsgi.input": body})
    assert response.status_code == 403 and body.read_bytes == 0
    assert response.json()["detail"]


def _served_answer(site_url: str, head: str, chunks=()) -> tuple[bytes, int]:
    """Send a request head and then chunks until the server answers; the answer and the body bytes sent."""
    address = urlsplit(site_url)
    sent = 0
    with socket.create_connection((address.hostname, address.port), timeout=30) as sock:
        sock.sendall(head.encode("ascii"))
        try:
            for chunk in chunks:
                sock.sendall(chunk)
                sent += len(chunk)
        except OSError:  # the server stopped receiving: it answered and closed
            pass
        answer = b""
        try:
            while data := sock.recv(65536):
                answer += data
        except ConnectionResetError:
            pass
    return answer, sent


def test_served_site_refuses_a_declared_oversized_body(site_url):
    head = (f"POST /api/strategy/actions/progress HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: en\r\n"
            f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {2 * 1024**3}\r\n\r\n")
    answer, _ = _served_answer(site_url, head)
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"application/json" in answer and b"larger than" in answer


def test_served_site_stops_a_chunked_body_at_the_limit(site_url):
    chunk = b"x" * (1024 * 1024)
    framed = b"%x\r\n%s\r\n" % (len(chunk), chunk)
    total = LIMIT * 3 // len(chunk)
    head = ("POST /import/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: pl\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n")
    answer, sent = _served_answer(site_url, head, (framed for _ in range(total)))
    assert answer.startswith(b"HTTP/1.1 413")
    assert "Plik jest za duży".encode() in answer
    # Waitress stopped reading at the limit: what was sent beyond it fits in the sockets' buffers.
    assert sent < LIMIT + 32 * 1024 * 1024
