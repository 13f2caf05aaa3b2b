"""Load a preset's domains (domains.yaml), indicator catalogue (catalogue/<domain>.yaml) and stated facts
(population.csv); idempotent."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator

from obserwatorium.dataversion.services import bump_data_version
from obserwatorium.indicators.bulk import ObservationRow
from obserwatorium.indicators.models import (
    FACTS_LICENCE,
    Aggregation,
    BatchKind,
    Domain,
    Flag,
    ImportBatch,
    Indicator,
    Measure,
    Observation,
    Polarity,
)
from obserwatorium.indicators.services import write_observations
from obserwatorium.territory.models import Unit

INDICATOR_FIELDS = (
    "name_pl", "name_en", "definition_pl", "definition_en", "unit_pl", "unit_en", "polarity", "decimals",
    "aggregation", "scale", "min_value", "max_value", "source_pl", "source_en", "bdl_variable_id",
    "bdl_scale", "bdl_note_pl", "bdl_note_en", "headline", "demo", "measure",
)


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DomainEntry(_Entry):
    code: str
    order: int = 0
    strategic: bool = True
    name_pl: str
    name_en: str
    color: str = ""
    description_pl: str = ""
    description_en: str = ""


class DomainsFile(_Entry):
    """domains.yaml."""

    source: str = ""
    domains: list[DomainEntry]


class DemoParameters(_Entry):
    low: float = 0
    high: float | None = None
    trend: float = 0.0
    noise: float = 0.0
    per_capita: bool = False
    integer: bool = False
    from_ratio: bool = False


class IndicatorEntry(_Entry):
    code: str
    domain: str
    name_pl: str
    name_en: str
    definition_pl: str = ""
    definition_en: str = ""
    unit_pl: str = ""
    unit_en: str = ""
    polarity: str
    decimals: int
    aggregation: str
    measure: str | None = None
    numerator: str | None = None
    denominator: str | None = None
    scale: float | None = None
    min_value: float | None = None
    max_value: float | None = None
    source_pl: str = ""
    source_en: str = ""
    bdl_variable_id: int | None = None
    bdl_scale: float | None = None
    bdl_note_pl: str | None = None
    bdl_note_en: str | None = None
    headline: bool = False
    demo: DemoParameters | None = None

    @field_validator("polarity", "aggregation", "measure")
    @classmethod
    def _one_of_the_choices(cls, value: str | None, info: ValidationInfo) -> str | None:
        choices = {"polarity": Polarity, "aggregation": Aggregation, "measure": Measure}[str(info.field_name)].values
        if value is not None and value not in choices:
            raise ValueError(f"{value!r} is none of {', '.join(choices)}")
        return value


class CatalogueFile(_Entry):
    """One file of the catalogue: the indicators of one domain."""

    indicators: list[IndicatorEntry]


class PopulationRow(_Entry):
    """A row of population.csv."""

    teryt: str
    year: int
    population: float
    source: str


def load_domains(*, preset: str, document: dict[str, Any]) -> dict[str, int]:
    """Create or update the preset's domains; count every domain."""
    for entry in document["domains"]:
        Domain.objects.update_or_create(code=entry["code"], defaults={k: v for k, v in entry.items() if k != "code"})
    return {"domains": Domain.objects.count()}


def load_catalogue(*, preset: str, documents: list[dict[str, Any]]) -> dict[str, int]:
    """Create or update the catalogue, domain by domain in the domains' order; count every indicator."""
    domains = {d.code: d for d in Domain.objects.all()}
    rank = {code: (domain.order, code) for code, domain in domains.items()}
    # Every file holds one domain's indicators: the files follow the domains' order, a file its own order.
    ordered = sorted(documents, key=lambda d: min((rank.get(e["domain"], (0, "")) for e in d["indicators"]),
                                                  default=(0, "")))
    entries = [entry for document in ordered for entry in document["indicators"]]
    for order, entry in enumerate(entries):
        defaults = {k: entry[k] for k in INDICATOR_FIELDS if k in entry and entry[k] is not None}
        defaults.setdefault("demo", {})
        # A sum is the group value of a size-dependent count; anything else is a rate, share or average.
        defaults.setdefault("measure", "count" if entry.get("aggregation") == "sum" else "rate")
        if entry.get("numerator") or entry.get("denominator"):
            # A ratio's terms may come later in the catalogue: the rule is set once they all exist.
            defaults["aggregation"] = "none"
        Indicator.objects.update_or_create(
            code=entry["code"], defaults={**defaults, "domain": domains[entry["domain"]], "order": order}
        )
    by_code = {i.code: i for i in Indicator.objects.all()}
    for entry in entries:
        if entry.get("numerator") or entry.get("denominator"):
            Indicator.objects.filter(code=entry["code"]).update(
                numerator=by_code[entry["numerator"]], denominator=by_code[entry["denominator"]],
                aggregation=entry["aggregation"],
            )
            bump_data_version()  # QuerySet.update sends no model signal
    return {"indicators": Indicator.objects.count()}


def load_population_facts(*, preset: str, rows: list[dict[str, str]] | None) -> dict[str, int]:
    """Stated population figures, one batch per distinct source so every value keeps its own provenance."""
    indicator = Indicator.objects.filter(code="population").first()
    if indicator is None or rows is None:
        return {"facts": 0}
    units = {unit.teryt: unit for unit in Unit.objects.current()}
    by_source: dict[str, list[ObservationRow]] = defaultdict(list)
    for row in rows:
        by_source[row["source"]].append(ObservationRow(
            indicator.pk, units[row["teryt"]].pk, row["year"], float(row["population"]), Flag.FINAL))
    # A fact may replace demo data or an earlier preset fact, never a value a user, import or sync wrote.
    protected = set(Observation.objects.filter(indicator=indicator)
                    .exclude(batch__kind__in=(BatchKind.PRESET, BatchKind.DEMO)).values_list("unit_id", "period"))
    loaded = 0
    for source, stated in by_source.items():
        selected = [row for row in stated if (row.unit_id, row.period) not in protected]
        keys = {(r.unit_id, r.period) for r in selected}
        stored = set(Observation.objects.filter(indicator=indicator, flag=Flag.FINAL,
                                                batch__kind=BatchKind.PRESET, batch__source=source[:500])
                     .values_list("unit_id", "period"))
        if keys <= stored:
            continue
        batch = ImportBatch(kind=BatchKind.PRESET, source=source[:500], file_name="population.csv",
                            licence=FACTS_LICENCE)
        loaded += write_observations(batch=batch, rows=selected).counts.inserted
    return {"facts": loaded}
