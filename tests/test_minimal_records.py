"""Every registry record with only its required fields filled can be shown on every page: 0 server errors.

The models, pages and admin views are discovered, not listed (tests/page_crawl.py): every concrete model that
keeps a change history (TrackedModel: strategy, cooperation, events, roles … and any registry added later),
every URL pattern of the site whose parameters a record can fill (pk, slug, code, model name), and the admin's
list, change, history and delete confirmation of every registered model. A new registry is covered the day it
is added.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import models

from tests.page_crawl import admin_urls, build_minimal, record_urls, registry_models

pytestmark = pytest.mark.django_db

LANGUAGES = ("pl", "en")


@pytest.fixture
def minimal_records(db) -> list[models.Model]:
    return [build_minimal(model) for model in registry_models()]


def _server_errors(client, urls: set[str]) -> dict[str, int]:
    client.raise_request_exception = False  # collect every failing page, not just the first
    errors = {}
    for language in LANGUAGES:
        for url in sorted(urls):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            if response.status_code >= 500:
                errors[f"{language} {url}"] = response.status_code
    return errors


def test_the_registries_are_discovered():
    labels = {model._meta.label_lower for model in registry_models()}
    assert {"strategy.strategy", "strategy.goal", "strategy.actionplan", "strategy.action", "strategy.target",
            "cooperation.forum", "cooperation.meeting", "cooperation.partner", "cooperation.agreement",
            "cooperation.project", "cooperation.projectresult", "events.event"} <= labels


def test_every_public_page_of_a_minimal_record_answers(client, minimal_records):
    urls = record_urls(minimal_records)
    assert "/strategy/" in urls and any(url.startswith("/strategy/actions/") for url in urls)
    assert _server_errors(client, urls) == {}


def test_every_page_of_a_minimal_record_answers_for_the_office(client, minimal_records):
    superuser = get_user_model().objects.create_superuser("minimal-office", password=None)
    client.force_login(superuser)
    urls = record_urls(minimal_records) | admin_urls(minimal_records)
    assert _server_errors(client, urls) == {}
