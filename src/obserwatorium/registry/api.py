"""JSON endpoints of one registry: list and detail of published records, and role-checked, recorded writes
(create, update, archive, restore) plus each record's change history.

No `from __future__ import annotations` here: django-ninja reads the endpoint annotations at definition time,
and they refer to the schemas passed in.
"""
# The schemas are arguments of this factory, used as annotations that django-ninja reads at run time: mypy
# cannot take a variable as a type, so that one check is off in this module (every other check stays on).
# mypy: disable-error-code="valid-type"

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, models
from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Field, FilterSchema, PatchDict, Path, Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import django_auth

from obserwatorium.api.params import MAX_ID, MAX_INT
from obserwatorium.history.selectors import PRIVATE_FIELDS, changes_of, without_private
from obserwatorium.registry.models import RegistryRecord
from obserwatorium.registry.services import archive_record, restore_record, save_record

if TYPE_CHECKING:
    from obserwatorium.access.actors import Actor


class ChangeOut(Schema):
    changed_at: datetime
    action: str
    via: str
    changed_fields: list[str]
    before: dict | None
    after: dict | None


MAX_LIMIT = 1000


class BoundedPagination(LimitOffsetPagination):
    """Limit and offset with declared bounds: an offset past 2^63 overflowed the database driver."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_INT, description="Items to skip.")


def _invalid(field: str, message: str) -> NinjaValidationError:
    return NinjaValidationError([{"loc": ["body", field], "msg": message, "type": "invalid"}])


def check_links(model: type[models.Model], values: dict[str, Any]) -> None:
    """Refuse ids that name no record, before the model's own checks read the linked rows (a missing one raised
    DoesNotExist there) and before the database notices at commit, both answered with a 500."""
    for field in model._meta.get_fields():
        if not (field.many_to_many or field.many_to_one) or field.auto_created or field.name not in values:
            continue
        value = values[field.name]
        ids = set(value or ()) if field.many_to_many else {value} - {None}
        if not ids:
            continue
        related = field.related_model
        if not (isinstance(related, type) and issubclass(related, models.Model)):  # resolved once apps are ready
            continue
        found = set(related._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
        if missing := sorted(ids - found):
            raise _invalid(field.name, "no such record: " + ", ".join(map(str, missing)))


def write(record: models.Model, values: dict[str, Any], user: "Actor") -> models.Model:
    """Save through the shared service (a refusal or invalid values are answered by `api.errors`)."""
    check_links(type(record), values)
    try:
        return save_record(record=record, values=values, user=user, via="api")
    except DatabaseError as error:
        # What the model's validation cannot see (e.g. a NUL character PostgreSQL will not store) is still the
        # client's input, refused with the database's reason and nothing saved.
        raise _invalid("__all__", f"the database refused the values: {error}") from None


def _published(model: type[models.Model]) -> models.QuerySet:
    """The published records of a registry record model: `register`'s default for `public`."""
    if not issubclass(model, RegistryRecord):
        raise TypeError(f"{model.__name__} is not a registry record: give `register` its `public` records")
    return model.objects.public()


def register(
    router: Router, *, model: type[models.Model], path: str, out: type[Schema], payload: type[Schema],
    filters: type[FilterSchema] | None = None, public: Callable[[], models.QuerySet] | None = None,
) -> None:
    """Add list, detail, create, update, archive, restore and history endpoints for the model at /{path}."""
    name = path.replace("-", "_")
    public_records = public or (lambda: _published(model))
    # The OpenAPI document is written in English: the label must not follow the language active at start-up.
    with translation.override("en"):
        label = str(model._meta.verbose_name_plural)

    Pk = Path(..., ge=1, le=MAX_ID, description="Id of the record.")

    def stored(pk: int) -> models.Model:
        record = model._default_manager.filter(pk=pk).first()
        if record is None or (isinstance(record, RegistryRecord) and record.archived_at is not None):
            raise Http404
        return record

    if filters is not None:
        @router.get(f"/{path}", response=list[out], operation_id=f"list_{name}", summary=f"List {label}")
        @paginate(BoundedPagination)
        def list_records(request: HttpRequest, query: Query[filters]):
            return query.filter(public_records())  # type: ignore[attr-defined]  # a FilterSchema
    else:
        @router.get(f"/{path}", response=list[out], operation_id=f"list_{name}", summary=f"List {label}")
        @paginate(BoundedPagination)
        def list_records(request: HttpRequest):
            return public_records()

    @router.get(f"/{path}/{{int:pk}}", response=out, operation_id=f"get_{name}")
    def get_record(request: HttpRequest, pk: int = Pk):
        record = public_records().filter(pk=pk).first()
        if record is None:
            raise Http404
        return record

    @router.get(f"/{path}/{{int:pk}}/history", response=list[ChangeOut], operation_id=f"history_{name}")
    def record_history(request: HttpRequest, pk: int = Pk):
        record = public_records().filter(pk=pk).first()
        if record is None:
            raise Http404
        return [{"changed_at": c.changed_at, "action": c.action, "via": c.via,
                 "changed_fields": [n for n in c.changed_fields if n not in PRIVATE_FIELDS],
                 "before": without_private(c.before), "after": without_private(c.after)}
                for c in changes_of(record)[:500]]

    @router.post(f"/{path}", response={201: out}, auth=django_auth, operation_id=f"create_{name}")
    def create_record(request: HttpRequest, data: payload):
        values = data.dict(exclude_unset=True)  # type: ignore[attr-defined]  # a Schema
        return Status(201, write(model(), values, request.user))

    @router.patch(f"/{path}/{{int:pk}}", response=out, auth=django_auth, operation_id=f"update_{name}")
    def update_record(request: HttpRequest, data: PatchDict[payload], pk: int = Pk):
        return write(stored(pk), dict(data), request.user)

    if issubclass(model, RegistryRecord):
        @router.post(f"/{path}/{{int:pk}}/archive", response=out, auth=django_auth, operation_id=f"archive_{name}")
        def archive(request: HttpRequest, pk: int = Pk):
            record = stored(pk)
            if not isinstance(record, RegistryRecord):  # it is: the model is one
                raise Http404
            return archive_record(record=record, user=request.user, via="api")

        @router.post(f"/{path}/{{int:pk}}/restore", response=out, auth=django_auth, operation_id=f"restore_{name}")
        def restore(request: HttpRequest, pk: int = Pk):
            record = model._default_manager.filter(pk=pk).first()
            if record is None:
                raise Http404
            return restore_record(record=record, user=request.user, via="api")
