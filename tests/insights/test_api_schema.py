"""Schemathesis against the OpenAPI schema of /api/analytics/, in-process through the WSGI application.

Every generated request — huge, malformed or odd — must get a documented answer, never a server error.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from obserwatorium.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application).include(path_regex="^/api/analytics/")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def same_connection():
    """Keep the test's database connection across WSGI requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_analytics_api_conforms_to_its_schema(case, same_connection):
    # Uncompressed: the WSGI transport decodes no content coding (see tests/api/test_api_schemathesis.py).
    case.call_and_validate(headers={"Host": "127.0.0.1", "Accept-Encoding": "identity"}, checks=CHECKS)
