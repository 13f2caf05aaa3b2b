"""The API's one error mapping: each domain error raised by an endpoint becomes its HTTP answer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.testing import TestClient

from obserwatorium.api.errors import add_error_handlers
from obserwatorium.lock_errors import RETRY_AFTER_SECONDS, busy_message
from obserwatorium.registry.models import DeletionRefused

RAISED = {
    "refused": PermissionDenied("You may not change this record."),
    "refused-silently": PermissionDenied(),
    "deletion": DeletionRefused("A published record cannot be deleted; archive it instead."),
    "fields": ValidationError({"name": ["This field is required."], "year": ["Too early.", "Not a year."]}),
    "record": ValidationError("The record contradicts itself."),
    "missing": ObjectDoesNotExist(),
    "not-found": Http404(),
    "locked": OperationalError("database is locked"),
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    api = NinjaAPI(urls_namespace="errors-test")
    add_error_handlers(api)
    for name, error in RAISED.items():
        api.get(f"/{name}", operation_id=name)(_raising(error))
    return TestClient(api)


def _raising(error: Exception):
    def endpoint(request):
        raise error
    return endpoint


@pytest.mark.parametrize(("name", "status", "detail"), [
    ("refused", 403, "You may not change this record."),
    ("refused-silently", 403, "Forbidden"),
    ("deletion", 403, "A published record cannot be deleted; archive it instead."),
    ("fields", 422, [{"loc": ["body", "name"], "msg": "This field is required.", "type": "invalid"},
                     {"loc": ["body", "year"], "msg": "Too early. Not a year.", "type": "invalid"}]),
    ("record", 422, [{"loc": ["body", "__all__"], "msg": "The record contradicts itself.", "type": "invalid"}]),
    ("missing", 404, "Not Found"),
    ("not-found", 404, "Not Found"),
])
def test_domain_errors_become_answers(client, name, status, detail):
    response = client.get(f"/{name}")
    assert (response.status_code, response.json()) == (status, {"detail": detail})


def test_a_lock_error_is_503_with_retry_after(client):
    response = client.get("/locked")
    assert response.status_code == 503 and response.json() == {"detail": busy_message()}
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_another_database_error_is_not_hidden():
    api = NinjaAPI(urls_namespace="errors-test-other")
    add_error_handlers(api)

    @api.get("/broken")
    def broken(request):
        raise OperationalError("no such table: nowhere")

    with pytest.raises(OperationalError):
        TestClient(api).get("/broken")
