"""Response schemas of the catalogue, observation and revision endpoints (they also document them in OpenAPI).

Plain pydantic models, not ninja.Schema: the selectors hand over dicts, and ninja.Schema's wrapper for reading
ORM attributes costs ~50 µs per item, i.e. half a second for a page of 10,000 observations.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel as Schema
from pydantic import Field


class DomainOut(Schema):
    code: str
    order: int
    strategic: bool = Field(description="One of the cooperation domains of the strategy.")
    name_pl: str
    name_en: str
    description_pl: str
    description_en: str
    color: str
    indicators: int = Field(description="Number of catalogue indicators in the domain.")


class IndicatorSummaryOut(Schema):
    code: str
    domain: str
    name_pl: str
    name_en: str
    unit_pl: str
    unit_en: str
    polarity: str = Field(description="higher (is better), lower (is better) or neutral.")
    decimals: int
    headline: bool
    bdl_variable_id: int | None


class CoverageOut(Schema):
    observations: int
    units: int
    first_period: str | None
    last_period: str | None
    demo: bool = Field(description="Whether any stored value of the indicator is demonstration data.")


class IndicatorOut(IndicatorSummaryOut):
    order: int
    definition_pl: str
    definition_en: str
    aggregation: str = Field(description="Metropolis aggregate: sum, population_weighted_mean, ratio_of_sums or "
                                         "none.")
    numerator: str | None = Field(description="Code of the numerator indicator of a ratio.")
    denominator: str | None = Field(description="Code of the denominator indicator of a ratio.")
    scale: float = Field(description="Multiplier of a ratio (e.g. 1000 for 'per 1,000').")
    min_value: float | None
    max_value: float | None
    source_pl: str
    source_en: str
    bdl_scale: float = Field(description="Multiplier from the BDL value to this indicator's unit.")
    bdl_note_pl: str = Field(description="Caveat on the BDL variable (Polish), e.g. published for powiaty only.")
    bdl_note_en: str = Field(description="Caveat on the BDL variable (English).")
    coverage: CoverageOut


class BatchSourceOut(Schema):
    batch: int = Field(description="Id of the import batch that set the values.")
    kind: str = Field(description="upload, bdl, preset, demo, derived, admin or project.")
    source: str
    source_url: str | None
    licence: str | None
    retrieved_at: datetime | None
    created_at: datetime


class ObservationOut(Schema):
    indicator: str
    teryt: str
    unit: str = Field(description="Name of the unit.")
    period: str
    value: float | None
    flag: str = Field(description="final, provisional, estimated, confidential or demo.")
    batch: int = Field(description="Import batch: see `sources` for its provenance.")


class PageOut(Schema):
    count: int = Field(description="Items matching the query, over all pages.")
    page: int
    page_size: int
    pages: int
    next: str | None = Field(description="Address of the next page, if any.")
    previous: str | None = Field(description="Address of the previous page, if any.")
    sources: list[BatchSourceOut] = Field(description="Provenance of every batch referred to on this page.")


class ObservationPageOut(PageOut):
    demo: bool = Field(description="Whether any value matching the query is demonstration data.")
    notice: str | None = Field(description="Shown when demo is true.")
    items: list[ObservationOut]


class ObservationColumns(Schema):
    indicator: list[str]
    teryt: list[str]
    unit: list[str] = Field(description="Names of the units.")
    period: list[str]
    value: list[float | None]
    flag: list[str]
    batch: list[int] = Field(description="Import batches: see `sources` for their provenance.")


class ObservationColumnsOut(PageOut):
    """The same page with `shape=columns`: one array per field of an item, all of the page's length."""

    demo: bool = Field(description="Whether any value matching the query is demonstration data.")
    notice: str | None = Field(description="Shown when demo is true.")
    columns: ObservationColumns


class RevisionOut(Schema):
    indicator: str
    teryt: str
    unit: str
    period: str
    old_value: float | None
    new_value: float | None
    old_flag: str
    new_flag: str
    old_batch: int = Field(description="Batch that had set the old value.")
    batch: int = Field(description="Batch that set the new value.")
    user: str | None = Field(description="Who made the change, when it was a signed-in user.")
    changed_at: datetime


class RevisionPageOut(PageOut):
    items: list[RevisionOut]
