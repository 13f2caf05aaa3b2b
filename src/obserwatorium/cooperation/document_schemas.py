"""API schemas of the documents registry and of the association's own events (registered in `api`).

No `from __future__ import annotations` here: django-ninja reads the annotations at definition time.
"""

from datetime import date, datetime
from typing import Annotated

from ninja import FilterLookup, FilterSchema, ModelSchema, Schema

from obserwatorium.cooperation.models import AssociationEvent, Document, DocumentVersion

PUBLIC = ["published", "created_at", "updated_at"]


def _ids(manager) -> list[int]:
    return [item.pk for item in manager.all()]


class DocumentVersionOut(Schema):
    number: int
    file: str  # the file's address on the site (served with the rights to see the document)
    note: str
    uploaded_at: datetime


def _version(version: DocumentVersion) -> DocumentVersionOut:
    return DocumentVersionOut(number=version.number, file=version.file.url, note=version.note,
                              uploaded_at=version.uploaded_at)


class DocumentOut(ModelSchema):
    units: list[int]
    forums: list[int]
    projects: list[int]
    action_plans: list[int]
    file: str  # the current (latest) version's address, "" without a file
    versions: list[DocumentVersionOut]  # newest first

    class Meta:
        model = Document
        fields = ["id", "slug", "kind", "title_pl", "title_en", "summary_pl", "summary_en", "status", "year",
                  "adopted_on", "adopted_precision", "end_year", "domain", "url", "source", *PUBLIC]

    @staticmethod
    def resolve_versions(obj: Document) -> list[DocumentVersionOut]:
        return [_version(v) for v in obj.versions.all()]

    @staticmethod
    def resolve_file(obj: Document) -> str:
        versions = list(obj.versions.all())
        return versions[0].file.url if versions else ""

    @staticmethod
    def resolve_units(obj: Document) -> list[int]:
        return _ids(obj.units)

    @staticmethod
    def resolve_forums(obj: Document) -> list[int]:
        return _ids(obj.forums)

    @staticmethod
    def resolve_projects(obj: Document) -> list[int]:
        return _ids(obj.projects)

    @staticmethod
    def resolve_action_plans(obj: Document) -> list[int]:
        return _ids(obj.action_plans)


class DocumentIn(Schema):
    slug: str
    kind: str
    title_pl: str
    title_en: str = ""
    summary_pl: str = ""
    summary_en: str = ""
    status: str = ""
    year: int | None = None
    adopted_on: date | None = None
    adopted_precision: str = "day"
    end_year: int | None = None
    domain: int | None = None
    units: list[int] = []
    forums: list[int] = []
    projects: list[int] = []
    action_plans: list[int] = []
    url: str = ""
    source: int | None = None
    published: bool = True


class DocumentFilters(FilterSchema):
    kind: str | None = None
    status: str | None = None
    year: int | None = None
    domain: Annotated[str | None, FilterLookup("domain__code")] = None


class AssociationEventOut(ModelSchema):
    partners: list[int]

    class Meta:
        model = AssociationEvent
        fields = ["id", "slug", "kind", "name_pl", "name_en", "description_pl", "description_en", "year", "held_on",
                  "held_precision", "place", "domain", "source", *PUBLIC]

    @staticmethod
    def resolve_partners(obj: AssociationEvent) -> list[int]:
        return _ids(obj.partners)


class AssociationEventIn(Schema):
    slug: str
    kind: str = "other"
    name_pl: str
    name_en: str = ""
    description_pl: str = ""
    description_en: str = ""
    year: int
    held_on: date | None = None
    held_precision: str = "day"
    place: str = ""
    domain: int | None = None
    partners: list[int] = []
    source: int | None = None
    published: bool = True
