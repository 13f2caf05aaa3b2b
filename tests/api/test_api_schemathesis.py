"""Schemathesis over the whole OpenAPI schema, in-process through the WSGI application, anonymous and as an
office administrator: every generated request gets a documented answer that matches the schema, never a 500."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from obserwatorium.access.models import Role, RoleAssignment
from obserwatorium.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF_TOKEN = "schemathesis0csrf0token0for0tests"[:32].ljust(32, "0")
EXAMPLES = int(os.environ.get("OBS_SCHEMATHESIS_EXAMPLES", "10"))


@pytest.fixture
def same_connection():
    """Keep the test's database connection across WSGI requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "office"])
def cookies(request, db) -> dict[str, str]:
    """No cookies, or a signed-in office administrator's session with a CSRF token."""
    if request.param == "anonymous":
        return {}
    user = get_user_model().objects.create_user("schemathesis-office", password=None, is_staff=True)
    RoleAssignment.objects.create(user=user, role=Role.OFFICE_ADMIN)
    session = SessionStore()
    session.update({"_auth_user_id": str(user.pk), "_auth_user_hash": user.get_session_auth_hash(),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend"})
    session.create()
    return {"sessionid": session.session_key, "csrftoken": CSRF_TOKEN}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, cookies, same_connection):
    # The WSGI transport hands back the body as sent and decodes no content coding, while requests (with the
    # brotli module installed) asks for br: ask for the body itself; compression has its own tests.
    headers = {"Accept-Encoding": "identity"}
    if cookies:
        headers["X-CSRFToken"] = CSRF_TOKEN
    case.call_and_validate(headers=headers, cookies=cookies, checks=CHECKS)
