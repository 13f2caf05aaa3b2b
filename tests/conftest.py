"""Shared fixtures: the Kraków preset with demo data loaded once per test session, and the shared data folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from hypothesis import settings as hypothesis_settings

# Property tests explore new random examples on every developer run; CI (`.ci/run` sets HYPOTHESIS_PROFILE=ci)
# replays a fixed, reproducible sequence, so a landing is judged on the code, not on the draw. No deadline: speed
# is measured in bench/, never by a test (a per-example time limit fails on a loaded machine, not on a fault).
hypothesis_settings.register_profile("dev", deadline=None, print_blob=True)
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

REPO_ROOT = Path(__file__).resolve().parents[1]
# OBS_TEST_SHARED_DATA points elsewhere, e.g. at a missing folder to see that its tests skip cleanly.
SHARED_DATA = Path(os.environ.get("OBS_TEST_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The test database starts with the Kraków preset and its demo data, as `make run` serves it.

    pytest-django creates the test database only when a collected test is a database test; a run of served-only
    browser tests alone (they talk to the site, outside any test transaction) would otherwise load the preset
    into the development database and fail on its missing tables. Such a run creates the test database here."""
    from django.test.utils import setup_databases, teardown_databases

    database_tests = any(item.get_closest_marker("django_db") is not None
                         or {"db", "transactional_db"} & set(getattr(item, "fixturenames", ()))
                         for item in request.session.items)
    created = None
    with django_db_blocker.unblock():
        if not database_tests:
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        call_command("preset", "load", "krakow", verbosity=0)
        call_command("preset", "demo", "krakow", verbosity=0)
    yield
    if created is not None:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def current_static_files():
    """The collected static files (`obserwatorium assets`) as the sources are now: the pages link hashed names
    from the manifest, so a file changed or added since the last collection is collected again first."""
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [storage.path(name) for finder in finders.get_finders() for name, storage in finder.list(None)]
    newest = max((os.stat(source).st_mtime for source in sources), default=0.0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in the site's default language: one that activates another cannot leak it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: a rolled-back test's writes take the data version back, so an API
    answer it cached could otherwise be served to the next test under that same version."""
    from django.core.cache import caches

    for each in caches.all(initialized_only=False):  # the API's answers and the pages' figures
        each.clear()


@pytest.fixture
def shared_data():
    """Path to a file of ../shared/data; the test is skipped cleanly when the folder is absent."""

    def locate(relative: str) -> Path:
        path = SHARED_DATA / relative
        if not path.exists():
            pytest.skip(f"shared data not present: {path}")
        return path

    return locate


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _test_database_url() -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    return f"postgres://{user}@{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/" \
           f"{settings_dict['NAME']}"


def start_site(env: dict[str, str], folder: Path, *arguments: str) -> tuple[subprocess.Popen, str]:
    """`obserwatorium serve` in a subprocess with the given environment (and further arguments of `serve`), once
    it answers; its log in `folder`."""
    port = _free_port()
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "obserwatorium.cli", "serve", "--port", str(port), *arguments],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url + "/", timeout=5)  # any answer will do (redirects are not followed)
            return process, url
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the site did not start; see {log.name}") from None
            time.sleep(0.3)


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """The real site (`obserwatorium serve`, waitress) in a subprocess, on the test database with the preset."""
    with django_db_blocker.unblock():
        database_url = _test_database_url()
    env = {**os.environ, "OBS_DATABASE_URL": database_url, "OBS_DEBUG": "0",
           "OBS_SECRET_KEY": os.environ.get("OBS_SECRET_KEY", "test-only-secret-key")}
    process, url = start_site(env, tmp_path_factory.mktemp("site"))
    yield url
    process.terminate()
    process.wait(timeout=10)
    if connection.vendor == "postgresql":
        # The server's pooled connections may outlive it briefly; the test database must be droppable.
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid()")


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own database work stays synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser page that records console errors and failed requests in `page.problems`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    new_page = context.new_page()
    problems: list[str] = []
    new_page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    new_page.on("pageerror", lambda exc: problems.append(str(exc)))
    new_page.on("requestfailed", lambda req: _record_failed_request(problems, req))
    new_page.problems = problems
    yield new_page
    context.close()


def _record_failed_request(problems: list[str], request) -> None:
    """A request that failed is a problem, except one the browser cancelled because the page navigated away.

    Chromium reports such cancellations (an icon or script still loading when the test moves on) as
    `net::ERR_ABORTED`; they say nothing about the site. A missing file is still caught: the server answers it
    with an error status, which chromium logs as a console error.
    """
    if request.failure != "net::ERR_ABORTED":
        problems.append(f"failed request {request.url} ({request.failure})")


@pytest.fixture(scope="module")
def staff_session(django_db_setup, django_db_blocker):
    """A committed staff user and a signed-in session, so that the served site sees them."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    with django_db_blocker.unblock():
        from obserwatorium.access.models import Role, RoleAssignment

        user = get_user_model().objects.create_user("browser-office", password="a-browser-password-4",
                                                    is_staff=True)
        RoleAssignment.objects.create(user=user, role=Role.OFFICE_ADMIN)
        session = SessionStore()
        session.update({"_auth_user_id": str(user.pk), "_auth_user_hash": user.get_session_auth_hash(),
                        "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"})
        session.create()
    yield session.session_key
    with django_db_blocker.unblock():
        SessionStore(session_key=session.session_key).delete()
        user.delete()


def signed_in(page, site_url: str, session_key: str, language: str):
    """The browser page with the staff session's cookie and the chosen language."""
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": site_url},
        {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": site_url},
    ])
    return page


def pytest_collection_modifyitems(items):
    """Tests of the served site need the test database to exist, so they count as database tests, except those
    marked `served_only`: they talk to the site alone and so run outside a test transaction, which on SQLite
    would hold the write lock the site needs (e.g. for an import's dry run)."""
    flushing = []
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "site_url" in names and item.get_closest_marker("served_only") is None:
            item.add_marker(pytest.mark.django_db)
        marker = item.get_closest_marker("django_db")
        if {"transactional_db", "live_server", "django_db_serialized_rollback"} & set(names) or (
                marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))):
            flushing.append(item.nodeid)
    if flushing:
        # pytest-django empties every table after a transactional test: the preset that django_db_setup loaded
        # once, and that the served site and every later test read, would be gone for the rest of the run.
        raise pytest.UsageError("a transactional database test flushes the shared test database; check such a "
                                "write on a scratch database instead: " + ", ".join(flushing))
