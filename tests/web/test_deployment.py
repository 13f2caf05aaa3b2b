"""HTTPS deployment: production settings pass `check --deploy`, and a login works behind a TLS-terminating proxy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import _test_database_url, start_site

PRODUCTION = {"OBS_DEBUG": "0", "OBS_SECRET_KEY": "k7Qp2xV9mZr4Lw8Ty1Bn6Hc3Jd5Fg0Ks-production-like-key-Xe2",
              "OBS_ALLOWED_HOSTS": "obserwatorium.example.pl,127.0.0.1"}
HTTPS = {"OBS_HTTPS": "1", "OBS_BEHIND_PROXY": "1"}


def run_check(tmp_path, **env: str) -> str:
    """`obserwatorium check --deploy` in its own process with the given OBS_* environment."""
    # Without the test run's own OBS_* settings, and without the async-safety switch the browser fixture sets
    # for Playwright in this process: a deployment never has it (check --deploy reports it as async.E001).
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("OBS_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run([sys.executable, "-m", "obserwatorium.cli", "check", "--deploy"],
                            env={**clean, "OBS_DATA_DIR": str(tmp_path), **env},
                            capture_output=True, text=True, timeout=120)
    return result.stdout + result.stderr


def test_check_deploy_is_clean_with_the_https_settings(tmp_path):
    output = run_check(tmp_path, **PRODUCTION, **HTTPS)
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "ERROR" not in output


def test_check_deploy_is_clean_with_hsts_preload_too(tmp_path):
    output = run_check(tmp_path, **PRODUCTION, **HTTPS, OBS_HSTS_PRELOAD="1")
    assert "System check identified no issues (0 silenced)" in output, output


def test_check_deploy_names_what_plain_http_lacks(tmp_path):
    output = run_check(tmp_path, **PRODUCTION)
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= set(
        re.findall(r"security\.W\d+", output))


def test_a_malformed_hsts_duration_is_a_clear_error(tmp_path):
    output = run_check(tmp_path, **PRODUCTION, **HTTPS, OBS_HSTS_SECONDS="a year")
    assert "OBS_HSTS_SECONDS must be a whole number" in output


@pytest.mark.django_db
def test_a_post_forwarded_as_https_passes_the_origin_check(client, django_user_model, settings):
    # The settings OBS_BEHIND_PROXY=1 gives; without them Django sees http:// and refuses the https:// Origin.
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    django_user_model.objects.create_user("client-office", password="a-client-password-42", is_staff=True)
    client.handler.enforce_csrf_checks = True
    proxy = {"Host": "testserver", "X-Forwarded-Proto": "https"}  # nginx/Caddy pass the browser's Host on
    form = client.get("/admin/login/", headers=proxy)
    token = form.cookies["csrftoken"].value
    login = client.post("/admin/login/?next=/admin/",
                        {"username": "client-office", "password": "a-client-password-42", "next": "/admin/"},
                        headers={**proxy, "Origin": "https://testserver",
                                 "X-CSRFToken": token, "Referer": "https://testserver/admin/login/"})
    assert login.status_code == 302 and login["Location"] == "/admin/"


@pytest.fixture(scope="module")
def proxied_site(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """`obserwatorium serve` configured for a TLS-terminating proxy on 127.0.0.1, with a committed staff user."""
    from django.contrib.auth import get_user_model

    with django_db_blocker.unblock():
        database_url = _test_database_url()
        user = get_user_model().objects.create_user("proxy-office", password="a-proxy-password-42", is_staff=True)
    env = {**os.environ, **PRODUCTION, **HTTPS, "OBS_DATABASE_URL": database_url}
    process, url = start_site(env, tmp_path_factory.mktemp("proxied"))
    yield url
    process.terminate()
    process.wait(timeout=10)
    # The server has exited, so its connections end with it. Terminating every backend of the test database
    # here would also cut the shared site's pooled connections and fail the browser tests that follow.
    with django_db_blocker.unblock():
        user.delete()


def _cookies(response: httpx.Response) -> dict[str, str]:
    return {c.split("=", 1)[0]: c.split("=", 1)[1].split(";", 1)[0] for c in response.headers.get_list("set-cookie")}


def test_login_through_the_proxy_with_forwarded_https(proxied_site):
    # What nginx or Caddy sends after terminating TLS: the original Host, X-Forwarded-Proto and the browser's Origin.
    origin = "https://" + proxied_site.removeprefix("http://")
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    form = httpx.get(proxied_site + "/admin/login/", headers=forwarded)
    assert form.status_code == 200
    assert "Strict-Transport-Security" in form.headers
    cookies = _cookies(form)
    assert "secure" in form.headers["set-cookie"].lower()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    login = httpx.post(proxied_site + "/admin/login/?next=/admin/",
                       data={"username": "proxy-office", "password": "a-proxy-password-42",
                             "csrfmiddlewaretoken": token, "next": "/admin/"},
                       headers={**forwarded, "Origin": origin, "Referer": origin + "/admin/login/",
                                "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())})
    assert login.status_code == 302, login.text[:500]
    assert login.headers["location"] == "/admin/"
    assert "sessionid" in _cookies(login)


def test_plain_http_is_redirected_to_https(proxied_site):
    response = httpx.get(proxied_site + "/admin/login/")
    assert response.status_code == 301
    assert response.headers["location"].startswith("https://")
