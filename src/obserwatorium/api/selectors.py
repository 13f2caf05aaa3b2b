"""Reads shaped for the API: plain rows from values()/values_list(), never one ORM object per observation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Min, Q, QuerySet

from obserwatorium.indicators.models import Domain, Flag, ImportBatch, Indicator, Observation, Revision
from obserwatorium.territory.models import Unit
from obserwatorium.vocabulary import fold

UNIT_FIELDS = ("id", "teryt", "name", "slug", "level", "gmina_type", "parent__teryt", "membership", "member_since",
               "bdl_unit_id", "valid_from", "valid_to", "area_km2", "area_source", "has_boundary")
INDICATOR_SUMMARY_FIELDS = ("code", "domain__code", "name_pl", "name_en", "unit_pl", "unit_en", "polarity",
                            "decimals", "headline", "bdl_variable_id")
INDICATOR_FIELDS = INDICATOR_SUMMARY_FIELDS + (
    "order", "definition_pl", "definition_en", "aggregation", "numerator__code", "denominator__code", "scale",
    "min_value", "max_value", "source_pl", "source_en", "bdl_scale", "bdl_note_pl",
    "bdl_note_en")
OBSERVATION_COLUMNS = ("indicator__code", "unit__teryt", "unit__name", "period", "value", "flag", "batch_id")
REVISION_COLUMNS = ("indicator__code", "unit__teryt", "unit__name", "period", "old_value", "new_value", "old_flag",
                    "new_flag", "old_batch_id", "batch_id", "user__first_name", "user__last_name",
                    "user__username", "changed_at")


def _blank_to_none(row: dict[str, Any], *fields: str) -> dict[str, Any]:
    for field in fields:
        if row.get(field) == "":
            row[field] = None
    return row


def _rename(row: Mapping[str, Any], **names: str) -> dict[str, Any]:
    renamed = dict(row)
    for old, new in names.items():
        renamed[new] = renamed.pop(old)
    return renamed


def units(*, level: str | None = None, membership: str | None = None, parent_teryt: str | None = None,
          teryt: str | None = None) -> list[dict[str, Any]]:
    """Territorial units (every validity version) as rows, ordered by TERYT code."""
    query = Unit.objects.annotate(
        has_boundary=ExpressionWrapper(Q(boundary__isnull=False), output_field=BooleanField()))
    if level:
        query = query.filter(level=level)
    if membership:
        query = query.filter(membership=membership)
    if parent_teryt:
        query = query.filter(parent__teryt=parent_teryt)
    if teryt:
        query = query.filter(teryt=teryt)
    rows = query.order_by("teryt", "id").values(*UNIT_FIELDS)
    return [_blank_to_none(_rename(row, parent__teryt="parent"), "gmina_type", "bdl_unit_id", "area_source")
            for row in rows]


def unit(teryt: str, *, geometry: bool = False) -> dict[str, Any] | None:
    """The current version of the unit with this code (or its latest one), optionally with its boundary."""
    versions = units(teryt=teryt)
    if not versions:
        return None
    current = [row for row in versions if row["valid_to"] is None]
    row = current[0] if current else max(versions, key=lambda r: r["valid_to"])
    row["boundary"] = None
    if geometry and row["has_boundary"]:
        row["boundary"] = Unit.objects.filter(pk=row["id"]).values_list("boundary", flat=True).first()
    return row


def unit_ids_by_teryt(codes: Sequence[str]) -> dict[str, list[int]]:
    """Every unit id (all validity versions) for each known TERYT code."""
    found: dict[str, list[int]] = {}
    for teryt, pk in Unit.objects.filter(teryt__in=list(codes)).values_list("teryt", "id"):
        found.setdefault(teryt, []).append(pk)
    return found


def domains() -> list[dict[str, Any]]:
    """Domains in their order, with the number of indicators in each."""
    rows = Domain.objects.annotate(indicator_count=Count("indicators")).order_by("order", "code").values(
        "code", "order", "strategic", "name_pl", "name_en", "description_pl", "description_en", "color",
        "indicator_count")
    return [_rename(row, indicator_count="indicators") for row in rows]


def folded(text: str) -> str:
    """Text for matching: case and diacritics ignored."""
    return fold(text)


def indicators(*, domain: str | None = None, headline: bool | None = None, search: str | None = None,
               ) -> list[dict[str, Any]]:
    """Catalogue summaries in catalogue order; every word of the search must occur in the code or a name."""
    query = Indicator.objects.all()
    if domain:
        query = query.filter(domain__code=domain)
    if headline is not None:
        query = query.filter(headline=headline)
    rows = [_rename(row, domain__code="domain") for row in query.values(*INDICATOR_SUMMARY_FIELDS)]
    if search:
        # The catalogue is small: matching in Python treats Polish letters alike on SQLite and PostgreSQL.
        words = folded(search).split()
        rows = [row for row in rows
                if all(word in folded(f"{row['code']} {row['name_pl']} {row['name_en']}") for word in words)]
    return rows


def indicator(code: str) -> dict[str, Any] | None:
    """Full metadata of one indicator, with the coverage of its stored values."""
    row = Indicator.objects.filter(code=code).values("id", *INDICATOR_FIELDS).first()
    if row is None:
        return None
    values = Observation.objects.filter(indicator_id=row.pop("id"))
    coverage = values.aggregate(observations=Count("id"), units=Count("unit_id", distinct=True),
                                first_period=Min("period"), last_period=Max("period"))
    coverage["demo"] = values.filter(flag=Flag.DEMO).exists()
    row["coverage"] = coverage
    return _rename(row, domain__code="domain", numerator__code="numerator", denominator__code="denominator")


def indicator_objects(codes: Sequence[str]) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(code__in=list(codes)).only("id", "code")}


def domain_exists(code: str) -> bool:
    return Domain.objects.filter(code=code).exists()


def sources(batch_ids: Iterable[int]) -> list[dict[str, Any]]:
    """Provenance of the given import batches, by id."""
    rows = ImportBatch.objects.filter(pk__in=set(batch_ids)).order_by("id").values(
        "id", "kind", "source", "source_url", "licence", "retrieved_at", "created_at")
    return [_blank_to_none(_rename(row, id="batch"), "source_url", "licence") for row in rows]


def revisions(*, indicator_ids: Sequence[int] | None = None, unit_ids: Sequence[int] | None = None,
              period: str | None = None) -> QuerySet[Revision]:
    """Revision history, newest first, in a stable order."""
    query = Revision.objects.all()
    if indicator_ids is not None:
        query = query.filter(indicator_id__in=indicator_ids)
    if unit_ids is not None:
        query = query.filter(unit_id__in=unit_ids)
    if period:
        query = query.filter(period=period)
    return query.order_by("-changed_at", "-id")


def revision_row(row: tuple) -> dict[str, Any]:
    """One revision from a REVISION_COLUMNS tuple; the user is named by full name, else by user name."""
    (code, teryt, name, period, old_value, new_value, old_flag, new_flag, old_batch, batch,
     first_name, last_name, username, changed_at) = row
    user = f"{first_name or ''} {last_name or ''}".strip() or username or None
    return {"indicator": code, "teryt": teryt, "unit": name, "period": period, "old_value": old_value,
            "new_value": new_value, "old_flag": old_flag, "new_flag": new_flag, "old_batch": old_batch,
            "batch": batch, "user": user, "changed_at": changed_at}
