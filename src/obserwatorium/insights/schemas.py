"""API schemas of the analytics (OpenAPI 3 through django-ninja)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class Message(Schema):
    detail: str


class FieldOut(Schema):
    name: str
    title: str
    description: str


class MetaOut(Schema):
    name: str
    title: str
    description: str
    unit: str
    source: str
    licence: str
    retrieved: str
    fields: list[FieldOut]
    notes: dict[str, Any]
    sources: list[dict[str, Any]] = Field(default_factory=list, description=(
        "Every source batch of the rows: batch id, kind, title, path (address), licence, retrieved."))


class GroupOut(Schema):
    key: str
    label: str
    units: list[str]


class GroupsOut(Schema):
    groups: list[GroupOut]


class DerivedRow(Schema):
    indicator: str
    name: str
    formula: str
    inputs: str
    scale: float
    years: int


class DerivedOut(Schema):
    metadata: MetaOut
    data: list[DerivedRow]


class AggregateRow(Schema):
    period: str
    value: float | None
    flag: str
    covered: int
    expected: int
    missing: list[str]


class AggregateOut(Schema):
    metadata: MetaOut
    data: list[AggregateRow]


class RankingRow(Schema):
    rank: int | None
    unit: str
    name: str
    period: str
    value: float | None
    flag: str | None
    ranked: int
    position: str | None
    batch: int | None = Field(None, description="Source batch of the value (see metadata.sources).")


class Summary(Schema):
    n: int
    q1: float | None
    median: float | None
    q3: float | None


class RankingOut(Schema):
    metadata: MetaOut
    summary: Summary
    data: list[RankingRow]


class ComparisonRow(Schema):
    indicator: str
    indicator_name: str
    unit_of_measure: str
    polarity: str
    decimals: int
    value: float | None
    flag: str | None
    batch: int | None = Field(None, description="Source batch of the value (see metadata.sources).")
    rank: int | None
    ranked: int
    q1: float | None
    median: float | None
    q3: float | None
    position: str | None


class ComparisonOut(Schema):
    metadata: MetaOut
    data: list[ComparisonRow]


class ComponentOut(Schema):
    key: str
    name: str
    weight: float
    direction: str


class IndexDefinitionOut(Schema):
    code: str
    name: str
    description: str
    domain: str | None
    normalisation: str
    missing_rule: str
    min_weight_share: float
    reference_scope: str
    reference_period: list[int]
    components: list[ComponentOut]


class IndicesOut(Schema):
    indices: list[IndexDefinitionOut]


class IndexRow(Schema):
    period: str
    rank: int | None
    unit: str
    name: str | None
    index: float | None
    available: int
    components: int
    weight_share: float
    flag: str


class ContributionRow(Schema):
    unit: str
    period: str
    component: str
    value: float | None
    score: float | None
    weight: float
    effective_weight: float | None
    contribution: float | None
    imputed: bool
    flag: str | None


class IndexOut(Schema):
    definition: IndexDefinitionOut
    metadata: MetaOut
    data: list[IndexRow]
    contributions: list[ContributionRow]


class TrendRow(Schema):
    unit: str
    name: str
    first_year: int | None
    last_year: int | None
    first_value: float | None
    last_value: float | None
    cagr: float | None
    slope: float | None
    relative_slope: float | None
    direction: str | None
    strength: str | None
    status: str | None


class TrendsOut(Schema):
    metadata: MetaOut
    data: list[TrendRow]


class ProgressRow(Schema):
    indicator: str
    indicator_name: str
    unit: str
    unit_name: str
    baseline_year: int
    baseline_value: float | None
    target_year: int
    target_value: float
    illustrative: bool
    status: str | None
    start_year: int | None
    latest_year: int | None
    latest_value: float | None
    observed_cagr: float | None
    required_cagr: float | None
    ratio: float | None
    target_met: bool
    distance_travelled: float | None


class ProgressOut(Schema):
    metadata: MetaOut
    data: list[ProgressRow]


class ValidationErrors(Schema):
    detail: list[dict[str, Any]]
