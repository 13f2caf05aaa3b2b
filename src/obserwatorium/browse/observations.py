"""The observations as a browsable table: every current value with its indicator, unit, period, flag and source
batch; counted by domain, indicator, unit, year and flag in grouped queries, never read whole."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from obserwatorium.browse.tables import Column, Facet, Table
from obserwatorium.indicators import selectors
from obserwatorium.indicators.models import Flag, Observation
from obserwatorium.insights.datasets import DEMO_SOURCE, Provenance, provenance_of_batches
from obserwatorium.numbers import format_number


def _source(record: Observation) -> str:
    batch = record.batch
    return batch.source or batch.file_name or str(batch.get_kind_display())


def _value_text(record: Observation) -> str:
    return format_number(record.value, decimals=record.indicator.decimals, language=(get_language() or "pl")[:2])


def _provenance(rows: QuerySet) -> Provenance:
    """Every source batch of the filtered rows (one grouped query), demonstration data named as such."""
    found = provenance_of_batches(rows.order_by().values_list("batch_id", flat=True).distinct())
    if found.demo_only:
        return Provenance(licence=found.licence, source="; ".join((str(DEMO_SOURCE), found.source)),
                          retrieved=found.retrieved, sources=found.sources, demo_only=True)
    return found


OBSERVATIONS = Table(
    "observations", _("Observations"),
    _("Every value of every indicator per territorial unit and period, with its flag and source."),
    public=lambda: Observation.objects.all(),
    columns=(
        Column("indicator", _("Indicator code"), lambda r: r.indicator.code, sort=("indicator__code",), listed=False),
        Column("indicator_name", _("Indicator"), lambda r: r.indicator.name, sort=("indicator__name_pl",), wide=True,
               link=lambda r: reverse("web:indicator", args=[r.indicator.code])),
        Column("domain", _("Domain"), lambda r: r.indicator.domain.code, sort=("indicator__domain__order",),
               show=lambda r: r.indicator.domain.name),
        Column("unit", _("TERYT code"), lambda r: r.unit.teryt, sort=("unit__teryt",), listed=False),
        Column("unit_name", _("Territorial unit"), lambda r: r.unit.name, sort=("unit__name",)),
        Column("period", _("Period"), lambda r: r.period, sort=("period",)),
        Column("value", _("Value"), lambda r: r.value, sort=("value",), show=_value_text, numeric=True,
               flag=lambda r: r.flag if r.value is not None else ""),
        Column("unit_of_measure", _("Unit of measure"), lambda r: r.indicator.unit_of_measure),
        Column("flag", _("Flag"), lambda r: r.flag, sort=("flag",), show=lambda r: r.get_flag_display(),
               description=_("final, provisional, estimated, confidential or demo")),
        Column("source", _("Source"), _source, sort=("batch__source",), wide=True),
        Column("batch", _("Source batch"), lambda r: r.batch_id, sort=("batch_id",), listed=False,
               description=_("id of the value's batch in the metadata's sources")),
    ),
    facets=(Facet("domain", _("Domain"), "indicator__domain__code",
                  labels=("indicator__domain__name_pl", "indicator__domain__name_en")),
            Facet("indicator", _("Indicator"), "indicator__code", labels=("indicator__name_pl", "indicator__name_en")),
            Facet("unit", _("Territorial unit"), "unit__teryt", labels=("unit__name",)),
            Facet("year", _("Year"), "period", year="period"),
            Facet("flag", _("Flag"), "flag", choices=dict(Flag.choices))),
    searched=("indicator__name_pl", "indicator__name_en", "indicator__code", "unit__name"),
    default_sort="indicator_name", related=("indicator__domain", "unit", "batch"),
    provenance=_provenance, summary=selectors.observation_summary,
)
